"""Locking a family's access to its household file in one town (and unlocking it).

A locked household is left out of the login's memberships by the portal, so the lock holds
from the very next request; the family's live sessions are also ended at once."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction

from espacefamille.accounts.models import HouseholdAccessLock
from espacefamille.accounts.sessions import sessions_end
from espacefamille.audit.records import Actor, action_record
from espacefamille.households.models import Guardian, Household

# Read with the household by the portal: ``household_memberships(also=(LOCK_RELATION,))``.
LOCK_RELATION = "household__access_lock"


def household_lock_read(household: Household) -> bool:
    """Whether a household read with ``LOCK_RELATION`` is locked (no query)."""
    try:
        household.access_lock  # noqa: B018  (read from the select_related cache)
    except ObjectDoesNotExist:
        return False
    return True


def household_is_locked(*, household: Household) -> bool:
    return HouseholdAccessLock.objects.filter(household=household).exists()


@transaction.atomic
def household_access_lock(*, household: Household, actor: Actor, reason: str = "") -> int:
    """Lock the family out and end its sessions; return how many sessions were ended."""
    _lock, created = HouseholdAccessLock.objects.get_or_create(
        municipality_id=household.municipality_id,
        household=household,
        defaults={"locked_by": actor if getattr(actor, "pk", None) else None, "reason": reason},
    )
    user_ids = Guardian.objects.filter(household=household, user__isnull=False).values_list(
        "user_id", flat=True
    )
    ended = sessions_end(user_ids=list(user_ids))
    if created:
        action_record(
            municipality_id=household.municipality_id,
            actor=actor,
            action="household.lock",
            obj=household,
            changes={"accès verrouillé": [False, True], "motif": [None, reason or None]},
        )
    return ended


@transaction.atomic
def household_access_unlock(*, household: Household, actor: Actor) -> None:
    deleted, _rows = HouseholdAccessLock.objects.filter(household=household).delete()
    if deleted:
        action_record(
            municipality_id=household.municipality_id,
            actor=actor,
            action="household.unlock",
            obj=household,
            changes={"accès verrouillé": [True, False]},
        )
