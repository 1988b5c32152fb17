"""A town's palette: WCAG contrast computed, a main colour that breaks AA refused in French,
and the derived tokens readable in light and dark mode."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from espacefamille.core.errors import CoreReason, DomainError
from espacefamille.core.palette import (
    AA_NORMAL_TEXT,
    DARK_SURFACES,
    LIGHT_SURFACES,
    contrast_ratio,
    main_colour_check,
    palette_of,
    palette_stylesheet,
)


def test_contrast_of_known_pairs() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    # WebAIM's checker: #767676 on white is 4.54:1, the lightest grey that passes AA.
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#ffffff") < AA_NORMAL_TEXT


def test_a_light_colour_is_refused_with_the_contrast_measured() -> None:
    with pytest.raises(DomainError) as refused:
        main_colour_check("#FFCC00")
    assert refused.value.reason == CoreReason.COLOUR_CONTRAST
    assert refused.value.field == "main_colour"
    assert "#ffcc00" in refused.value.message
    assert "1,30:1" in refused.value.message  # yellow on the light blue-grey tint
    assert "4,5:1" in refused.value.message


def test_not_a_colour_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        main_colour_check("bleu")
    assert refused.value.reason == CoreReason.INVALID_COLOUR


def test_the_default_blue_passes() -> None:
    assert main_colour_check("1D4E89") == "#1d4e89"


colours = st.tuples(*[st.integers(0, 255)] * 3).map(lambda c: "#{:02x}{:02x}{:02x}".format(*c))


@given(colours)
def test_every_accepted_colour_gives_readable_tokens(colour: str) -> None:
    try:
        main_colour_check(colour)
    except DomainError:
        return
    palette = palette_of(colour)
    light, dark = palette.light, palette.dark
    for surface in LIGHT_SURFACES:
        assert contrast_ratio(light["--color-brand"], surface) >= AA_NORMAL_TEXT
    assert contrast_ratio(light["--color-header-ink"], light["--color-header-bg"]) >= AA_NORMAL_TEXT
    assert contrast_ratio(light["--color-header-ink"], light["--color-nav-bg"]) >= AA_NORMAL_TEXT
    assert (
        contrast_ratio(light["--color-on-brand"], light["--color-brand-strong"]) >= AA_NORMAL_TEXT
    )
    for surface in DARK_SURFACES:
        assert contrast_ratio(dark["--color-brand"], surface) >= AA_NORMAL_TEXT
    assert contrast_ratio(dark["--color-on-brand"], dark["--color-brand"]) >= AA_NORMAL_TEXT
    assert contrast_ratio(dark["--color-on-brand"], dark["--color-brand-strong"]) >= AA_NORMAL_TEXT
    assert contrast_ratio(dark["--color-header-ink"], dark["--color-header-bg"]) >= AA_NORMAL_TEXT


def test_the_stylesheet_sets_light_and_dark_tokens() -> None:
    css = palette_stylesheet("#8a1538")
    assert ":root {" in css and "--color-brand: #8a1538;" in css
    assert "@media (prefers-color-scheme: dark)" in css
