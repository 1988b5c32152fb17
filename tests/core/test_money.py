from decimal import Decimal

import pytest

from espacefamille.core.money import format_euros


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("7.65"), "7,65\u00a0€"),
        (Decimal("15.3"), "15,30\u00a0€"),
        (Decimal("1234.5"), "1\u202f234,50\u00a0€"),
        (Decimal("-2.005"), "-2,01\u00a0€"),
        (0, "0,00\u00a0€"),
        ("1000000", "1\u202f000\u202f000,00\u00a0€"),
    ],
)
def test_format_euros(value: object, expected: str) -> None:
    assert format_euros(value) == expected  # type: ignore[arg-type]


def test_dates_are_shown_dd_mm_yyyy() -> None:
    from datetime import date

    from django.template import Context, Template

    rendered = Template("{{ d|date }}").render(Context({"d": date(2024, 5, 27)}))
    assert rendered == "27/05/2024"
