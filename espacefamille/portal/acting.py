"""The family portal's acting identity: the signed-in login's household file in the current
town (its guardian is the membership); a file the town has locked is left out. Also sets
``request.household`` and ``request.memberships`` for the portal's pages and town switcher."""

from __future__ import annotations

from django.http import HttpRequest

from espacefamille.core.acting import Acting
from espacefamille.core.tenancy import SESSION_KEY
from espacefamille.households.access_locks import LOCK_RELATION, household_lock_read
from espacefamille.households.selectors import household_memberships


def family_acting(request: HttpRequest) -> Acting | None:
    request.household = None  # type: ignore[attr-defined]
    request.memberships = []  # type: ignore[attr-defined]
    request.locked_memberships = []  # type: ignore[attr-defined]
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    memberships = household_memberships(user=user, also=(LOCK_RELATION,))
    locked = {m.household.pk for m in memberships if household_lock_read(m.household)}
    request.locked_memberships = [m for m in memberships if m.household.pk in locked]  # type: ignore[attr-defined]
    memberships = [m for m in memberships if m.household.pk not in locked]
    request.memberships = memberships  # type: ignore[attr-defined]
    if not memberships:
        return None
    wanted = request.session.get(SESSION_KEY)
    current = next((m for m in memberships if m.municipality.pk == wanted), memberships[0])
    request.household = current.household  # type: ignore[attr-defined]
    return Acting(municipality=current.municipality, person=user, membership=current.guardian)
