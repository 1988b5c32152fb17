"""Finding a household file by its name, a child's name, a guardian's e-mail or phone.

One query with ``EXISTS`` sub-queries (no join fan-out, no DISTINCT); a phone number is
compared in E.164, as stored, so "06 12 34 56 78" finds "+33612345678"."""

from __future__ import annotations

import phonenumbers
from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import Child, Guardian, Household

RESULTS_LIMIT = 50


def _phone(query: str) -> str | None:
    digits = sum(char.isdigit() for char in query)
    if digits < 6:
        return None
    try:
        number = phonenumbers.parse(query, "FR")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def household_search(*, query: str) -> QuerySet[Household]:
    """Households of the current town matching every word of ``query`` (newest first when
    empty)."""
    households = Household.objects.all()
    query = " ".join(query.split())
    if not query:
        return households.order_by("-created_at", "-pk")
    phone = _phone(query)
    if phone:
        guardians = Guardian.objects.filter(
            Q(mobile_phone=phone) | Q(landline_phone=phone), household=OuterRef("pk")
        )
        return households.filter(Exists(guardians)).order_by("name", "pk")
    for word in query.split():
        children = Child.objects.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word), household=OuterRef("pk")
        )
        guardians = Guardian.objects.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word),
            household=OuterRef("pk"),
        )
        households = households.filter(
            Q(name__icontains=word)
            | Q(external_ref__iexact=word)
            | Exists(children)
            | Exists(guardians)
        )
    return households.order_by("name", "pk")
