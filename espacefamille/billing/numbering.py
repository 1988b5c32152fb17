"""Gapless numbers per régie, year and kind: ``2026-RS-000123``.

The sequence row is locked (``select_for_update`` on PostgreSQL; SQLite's IMMEDIATE
transactions serialize writers) and advanced in the same transaction that issues the
documents, so concurrent finalizations queue behind each other and a rollback gives the
numbers back."""

from __future__ import annotations

import re
import unicodedata

from django.db import transaction
from django.db.models import F

from espacefamille.catalog.models import Service

from .models import NumberSequence, SequenceKind

MINOR_WORDS = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "a", "au", "aux"}


def default_code(service: Service) -> str:
    """Initials of the service's significant words: "Restaurant scolaire" → RS, "Accueil du
    mercredi" → AM; a single word gives its first two letters ("Garderie" → GA)."""
    plain = unicodedata.normalize("NFKD", service.name).encode("ascii", "ignore").decode()
    words = [w for w in re.split(r"[^A-Za-z0-9]+", plain) if w and w.lower() not in MINOR_WORDS]
    if not words:
        return f"S{service.pk}"
    if len(words) == 1:
        return words[0][:2].upper()
    return "".join(w[0] for w in words).upper()[:6]


def unique_code(service: Service) -> str:
    """The default code, made unique in the town: numbers are unique per town, so two régies
    must never share a code ("Restaurant scolaire" RS, "Restauration scolaire" RS2)."""
    base = default_code(service)
    taken = set(NumberSequence.objects.exclude(service=service).values_list("code", flat=True))
    code, suffix = base, 2
    while code in taken:
        code, suffix = f"{base}{suffix}", suffix + 1
    return code


def format_number(*, year: int, code: str, kind: str, number: int) -> str:
    infix = "AV-" if kind == SequenceKind.CREDIT_NOTE else ""
    return f"{year}-{code}-{infix}{number:06d}"


def _sequence(service: Service, year: int, kind: str) -> NumberSequence:
    found = (
        NumberSequence.objects.select_for_update()
        .filter(service=service, year=year, kind=kind)
        .first()
    )
    if found is not None:
        return found
    previous = NumberSequence.objects.filter(service=service, kind=kind).order_by("-year").first()
    NumberSequence.objects.get_or_create(
        municipality_id=service.municipality_id,
        service=service,
        year=year,
        kind=kind,
        defaults={"code": previous.code if previous else unique_code(service)},
    )
    return NumberSequence.objects.select_for_update().get(service=service, year=year, kind=kind)


@transaction.atomic
def numbers_take(*, service: Service, year: int, kind: str, count: int) -> list[str]:
    """``count`` consecutive numbers; call it inside the transaction that stores them."""
    if count <= 0:
        return []
    sequence = _sequence(service, year, kind)
    NumberSequence.objects.filter(pk=sequence.pk).update(last_number=F("last_number") + count)
    sequence.refresh_from_db(fields=["last_number"])
    first = sequence.last_number - count + 1
    return [
        format_number(year=year, code=sequence.code, kind=kind, number=n)
        for n in range(first, sequence.last_number + 1)
    ]
