"""Reads of the household file. Every read is scoped to one household of the current town."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch
from django.db.models.functions import Lower

from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import scopes_disabled

from .models import Child, ConsentPurpose, Guardian, Household, HouseholdChange, ImageConsent
from .sharing import household_children

if TYPE_CHECKING:
    from espacefamille.accounts.models import User


@dataclass(frozen=True)
class Membership:
    """One login's household file in one town."""

    municipality: Municipality
    household: Household
    guardian: Guardian


def household_memberships(*, user: User, also: tuple[str, ...] = ()) -> list[Membership]:
    """Every town in which this login holds a household file (a cross-town read by design).
    ``also``: relations of the household the caller reads with it in the same query (e.g.
    ``"household__access_lock"`` for the portal)."""
    with scopes_disabled():
        guardians = (
            Guardian.objects.filter(user=user)
            .select_related("household", "municipality", *also)
            .order_by(Lower("municipality__name"), "municipality_id")
        )
        memberships = []
        for guardian in guardians:
            guardian.household.municipality = guardian.municipality  # one object, read once
            memberships.append(Membership(guardian.municipality, guardian.household, guardian))
        return memberships


def children_with_details(*, household: Household) -> list[Child]:
    return list(
        household_children(household).prefetch_related(
            "diets",
            Prefetch(
                "image_consents",
                queryset=ImageConsent.objects.order_by("-recorded_at", "-pk"),
                to_attr="consent_history",
            ),
        )
    )


def current_consents(*, child: Child) -> dict[int, ImageConsent]:
    """The latest answer per purpose (rows are append-only)."""
    history = getattr(child, "consent_history", None)
    if history is None:
        history = list(child.image_consents.order_by("-recorded_at", "-pk"))
    latest: dict[int, ImageConsent] = {}
    for consent in history:
        latest.setdefault(consent.purpose_id, consent)
    return latest


def active_consent_purposes() -> list[ConsentPurpose]:
    return list(ConsentPurpose.objects.filter(is_active=True))


def changes_by_other_household(*, household: Household) -> dict[int, HouseholdChange]:
    """The latest change of each shared child's data made by the other household (shown as
    made by "l'autre foyer"), by child id. One query."""
    latest: dict[int, HouseholdChange] = {}
    for change in HouseholdChange.objects.filter(
        household=household, by_other_household=True, object_type="child"
    ).order_by("-at", "-pk"):
        if change.object_id is not None:
            latest.setdefault(change.object_id, change)
    return latest
