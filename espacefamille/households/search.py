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


CHILD_RESULTS_LIMIT = 20


def child_search(*, query: str) -> list[Child]:
    """Children of the current town for an agent booking at the counter: the households that
    ``household_search`` finds, then in each the children whose first or last name holds a word
    of the query (all its children when the words named the household or a guardian only).
    Empty for an empty query; at most ``CHILD_RESULTS_LIMIT``, by name. Two queries."""
    words = " ".join(query.split())
    if not words:
        return []
    households = household_search(query=words).values("pk")[:RESULTS_LIMIT]
    children = list(
        Child.objects.filter(household__in=households)
        .select_related("household")
        .order_by("last_name", "first_name", "pk")
    )
    folded = [word.casefold() for word in words.split()]

    def named(child: Child) -> bool:
        names = f"{child.first_name} {child.last_name}".casefold()
        return any(word in names for word in folded)

    named_in = {child.household_id for child in children if named(child)}
    found = [child for child in children if child.household_id not in named_in or named(child)]
    return found[:CHILD_RESULTS_LIMIT]
