"""Amounts are Decimals in euros, shown the French way: "7,65 €"."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .errors import CoreReason, DomainError

CENT = Decimal("0.01")
NARROW_NBSP = "\u202f"
NBSP = "\u00a0"


def to_amount(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_euros(value: Decimal | int | str | None) -> str:
    """``Decimal("1234.5")`` → ``"1 234,50 €"`` (narrow no-break spaces, as French typography)."""
    if value is None:
        return ""
    amount = to_amount(value)
    sign = "-" if amount < 0 else ""
    units, cents = f"{abs(amount):.2f}".split(".")
    groups: list[str] = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return f"{sign}{NARROW_NBSP.join(groups)},{cents}{NBSP}€"


# Euros, then up to two cents digits after a comma or a point; thousands grouped by spaces or
# not at all. "1.234,50" and "1,234.50" are refused: one separator means decimals, always.
AMOUNT_PATTERN = re.compile(r"^(-?)(\d{1,3}(?: \d{3})+|\d+)(?:[,.](\d+))?$")
CURRENCY_SUFFIX = re.compile(r"\s*(?:€|eur|euros?)$", re.IGNORECASE)
LARGEST_AMOUNT = Decimal("99999999.99")


def parse_amount(text: str, *, allow_negative: bool = False) -> Decimal:
    """The one reading of an amount a person types, the French way or not: "3,60", "3.60",
    "3,6 €", "1 234,50" (with ordinary, no-break or narrow no-break spaces) → ``Decimal`` to
    the cent. Raises ``DomainError`` (a ``CoreReason``) for anything else: more than two cents
    digits ("3,605" is never rounded), two separators, letters, a negative amount unless
    allowed, more than 99 999 999,99."""
    cleaned = text.strip()
    for space in (NBSP, NARROW_NBSP, "\t"):
        cleaned = cleaned.replace(space, " ")
    cleaned = CURRENCY_SUFFIX.sub("", cleaned).strip()
    cleaned = re.sub(r"^([-+])\s+", r"\1", cleaned).removeprefix("+")
    match = AMOUNT_PATTERN.match(cleaned)
    if match is None:
        raise DomainError(
            CoreReason.INVALID_AMOUNT, _("Saisissez un montant en euros, par exemple 12,50.")
        )
    sign, units, cents = match.group(1), match.group(2).replace(" ", ""), match.group(3) or ""
    if len(cents) > 2:
        raise DomainError(
            CoreReason.TOO_MANY_DECIMALS,
            _("Un montant s'écrit au centime près : deux chiffres au plus après la virgule."),
        )
    if len(units) > 8:
        raise DomainError(
            CoreReason.AMOUNT_TOO_LARGE, _("Ce montant est bien trop grand : vérifiez-le.")
        )
    amount = Decimal(f"{sign}{units}.{cents.ljust(2, '0')}")
    if amount < 0 and not allow_negative:
        raise DomainError(CoreReason.NEGATIVE_AMOUNT, _("Un montant ne peut pas être négatif ici."))
    return amount


def format_amount_input(value: Decimal | int | str) -> str:
    """An amount as a person would type it back: ``Decimal("1234.5")`` → ``"1234,50"``."""
    return f"{to_amount(value):.2f}".replace(".", ",")


UNITS = [
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf",
]  # fmt: skip
TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_hundred(number: int) -> str:
    if number < 20:
        return UNITS[number]
    tens, unit = divmod(number, 10)
    if tens in (7, 9):  # soixante-dix…, quatre-vingt-dix…
        base = "soixante" if tens == 7 else "quatre-vingt"
        joiner = " et " if tens == 7 and unit == 1 else "-"
        return f"{base}{joiner}{UNITS[10 + unit]}"
    if tens == 8:
        return "quatre-vingts" if unit == 0 else f"quatre-vingt-{UNITS[unit]}"
    if unit == 0:
        return TENS[tens]
    return f"{TENS[tens]}{' et ' if unit == 1 else '-'}{UNITS[unit]}"


def _below_thousand(number: int, *, final: bool) -> str:
    """``final``: nothing follows (then "deux cents", "quatre-vingts" keep their s)."""
    hundreds, rest = divmod(number, 100)
    words = []
    if hundreds:
        head = "cent" if hundreds == 1 else f"{UNITS[hundreds]} cent"
        if hundreds > 1 and rest == 0 and final:
            head += "s"
        words.append(head)
    if rest:
        tail = _below_hundred(rest)
        if not final and tail == "quatre-vingts":
            tail = "quatre-vingt"
        words.append(tail)
    return " ".join(words)


def number_in_words(number: int) -> str:
    """A whole number below a billion in French words: 360 → "trois cent soixante"."""
    if number == 0:
        return UNITS[0]
    millions, rest = divmod(number, 1_000_000)
    thousands, units = divmod(rest, 1000)
    words = []
    if millions:
        name = "million" if millions == 1 else "millions"
        words.append(f"{_below_thousand(millions, final=True)} {name}")
    if thousands:
        words.append(
            "mille" if thousands == 1 else f"{_below_thousand(thousands, final=False)} mille"
        )
    if units:
        words.append(_below_thousand(units, final=True))
    return " ".join(words)


def amount_in_words(value: Decimal | int | str) -> str:
    """``Decimal("360")`` → "trois cent soixante euros"; ``Decimal("3.60")`` → "trois euros
    et soixante centimes"; ``Decimal("0.50")`` → "cinquante centimes"."""
    amount = abs(to_amount(value))
    euros, cents = int(amount), int((amount * 100) % 100)
    parts = []
    if euros or not cents:
        million_round = euros >= 1_000_000 and euros % 1_000_000 == 0
        unit = "euro" if euros == 1 else ("d'euros" if million_round else "euros")
        parts.append(f"{number_in_words(euros)} {unit}")
    if cents:
        parts.append(f"{number_in_words(cents)} {'centime' if cents == 1 else 'centimes'}")
    words = " et ".join(parts)
    return f"moins {words}" if to_amount(value) < 0 else words
