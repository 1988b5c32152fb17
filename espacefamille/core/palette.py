"""A town's palette, derived from its main colour, and the WCAG contrast it must keep.

The main colour is the header's background under white text and the colour of links and
buttons on white and on the light grey page: it must reach WCAG AA's 4.5:1 for normal text
against each of them (``main_colour_check``). Dark mode uses a lighter shade of the same hue,
found by mixing with white until it reaches 4.5:1 on the dark surfaces. The tokens' names are
those of ``portal/static/espacefamille/tokens.css``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .errors import CoreReason, DomainError

AA_NORMAL_TEXT = 4.5
DEFAULT_MAIN_COLOUR = "#1d4e89"  # tokens.css
WHITE = "#ffffff"
BLACK = "#000000"
# The surfaces the brand colour is read on (tokens.css): light page and surface, dark ones.
LIGHT_SURFACES = ("#ffffff", "#f5f6f8", "#e8eef7")
DARK_SURFACES = ("#1c1f24", "#121417")
DARK_SURFACE = "#1c1f24"
DARK_INK_ON_BRAND = "#10141a"

_HEX = re.compile(r"^#?([0-9a-fA-F]{6})$")


def hex_colour(text: str) -> str:
    """``#rrggbb`` in lower case, or a refusal in French."""
    found = _HEX.match(text.strip())
    if not found:
        raise DomainError(
            CoreReason.INVALID_COLOUR,
            _("« %(value)s » n'est pas une couleur : choisissez-la, ou écrivez-la #1d4e89.")
            % {"value": text},
            field="main_colour",
        )
    return "#" + found.group(1).lower()


def _channels(colour: str) -> tuple[int, int, int]:
    value = hex_colour(colour)[1:]
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio, from 1 (same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def mix(colour: str, other: str, weight: float) -> str:
    """``colour`` moved ``weight`` (0 to 1) of the way towards ``other``."""
    a, b = _channels(colour), _channels(other)
    return "#" + "".join(f"{round(x + (y - x) * weight):02x}" for x, y in zip(a, b, strict=True))


def main_colour_check(colour: str) -> str:
    """The colour, normalised, when white text on it and it on the light surfaces reach
    WCAG AA (4.5:1); otherwise a French refusal that gives the measured contrast."""
    colour = hex_colour(colour)
    worst = min(contrast_ratio(colour, surface) for surface in LIGHT_SURFACES)
    if worst < AA_NORMAL_TEXT:
        raise DomainError(
            CoreReason.COLOUR_CONTRAST,
            _(
                "La couleur %(colour)s n'offre qu'un contraste de %(ratio)s:1 avec le blanc et "
                "les fonds clairs du portail ; il faut au moins 4,5:1 (niveau AA du RGAA et des "
                "WCAG) pour que le texte reste lisible. Choisissez une couleur plus foncée."
            )
            % {"colour": colour, "ratio": f"{worst:.2f}".replace(".", ",")},
            field="main_colour",
        )
    return colour


def _dark_shade(colour: str) -> str:
    """The lightest-needed mix of ``colour`` with white readable on the dark surfaces."""
    for step in range(0, 101, 2):
        shade = mix(colour, WHITE, step / 100)
        if min(contrast_ratio(shade, s) for s in DARK_SURFACES) >= AA_NORMAL_TEXT and (
            contrast_ratio(shade, DARK_INK_ON_BRAND) >= AA_NORMAL_TEXT
        ):
            return shade
    return WHITE


@dataclass(frozen=True)
class Palette:
    light: dict[str, str]
    dark: dict[str, str]


def palette_of(colour: str) -> Palette:
    """The brand and header tokens of tokens.css for a main colour that passed the check."""
    colour = hex_colour(colour)
    dark_brand = _dark_shade(colour)
    return Palette(
        light={
            "--color-brand": colour,
            "--color-brand-strong": mix(colour, BLACK, 0.3),
            "--color-on-brand": WHITE,
            "--color-brand-tint": mix(colour, WHITE, 0.9),
            "--color-brand-hover-tint": mix(colour, WHITE, 0.94),
            "--color-header-bg": colour,
            "--color-header-ink": WHITE,
            "--color-nav-bg": mix(colour, BLACK, 0.3),
            "--color-info": colour,
            "--color-info-tint": mix(colour, WHITE, 0.9),
        },
        dark={
            "--color-brand": dark_brand,
            "--color-brand-strong": mix(dark_brand, WHITE, 0.4),
            "--color-on-brand": DARK_INK_ON_BRAND,
            "--color-brand-tint": mix(colour, DARK_SURFACE, 0.8),
            "--color-brand-hover-tint": mix(colour, DARK_SURFACE, 0.75),
            "--color-header-bg": mix(colour, BLACK, 0.5),
            "--color-header-ink": WHITE,
            "--color-nav-bg": mix(colour, BLACK, 0.65),
            "--color-info": dark_brand,
            "--color-info-tint": mix(colour, DARK_SURFACE, 0.8),
        },
    )


def palette_stylesheet(colour: str) -> str:
    """The CSS that overrides tokens.css's brand tokens with a town's palette."""
    palette = palette_of(colour)

    def block(tokens: dict[str, str]) -> str:
        return "".join(f"  {name}: {value};\n" for name, value in tokens.items())

    return (
        "/* The town's palette (core/palette.py), derived from its main colour. */\n"
        f":root {{\n{block(palette.light)}}}\n"
        f"@media (prefers-color-scheme: dark) {{\n:root {{\n{block(palette.dark)}}}\n}}\n"
    )
