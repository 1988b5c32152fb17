"""The family portal's acting identity: the signed-in login's household file in the current
town (its guardian is the membership); a file the town has locked is left out. Also sets
``request.household`` and ``request.memberships`` for the portal's pages and town switcher."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from espacefamille.accounts.models import User
from espacefamille.core.acting import Acting, TenantRequest
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import SESSION_KEY
from espacefamille.households.access_locks import LOCK_RELATION, household_lock_read
from espacefamille.households.models import Guardian, Household
from espacefamille.households.selectors import Membership, household_memberships


class AnyPortalRequest(TenantRequest):
    """Any request of the portal, as ``family_acting`` leaves it (for type checking only: the
    object is Django's own request). ``household`` is ``None`` when nobody acts."""

    household: Household | None
    memberships: list[Membership]
    locked_memberships: list[Membership]
    htmx: HtmxDetails


class PortalRequest(AnyPortalRequest):
    """A portal request that ``household_required`` let through: a signed-in login acting as
    a guardian (``acting.membership``) of ``household`` in ``municipality``."""

    user: User
    acting: Acting[Guardian]
    municipality: Municipality
    household: Household


def family_acting(request: HttpRequest) -> Acting[Guardian] | None:
    portal = cast(AnyPortalRequest, request)  # the attributes are set here
    portal.household = None
    portal.memberships = []
    portal.locked_memberships = []
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    memberships = household_memberships(user=user, also=(LOCK_RELATION,))
    locked = {m.household.pk for m in memberships if household_lock_read(m.household)}
    portal.locked_memberships = [m for m in memberships if m.household.pk in locked]
    memberships = [m for m in memberships if m.household.pk not in locked]
    portal.memberships = memberships
    if not memberships:
        return None
    wanted = request.session.get(SESSION_KEY)
    current = next((m for m in memberships if m.municipality.pk == wanted), memberships[0])
    portal.household = current.household
    return Acting(municipality=current.municipality, person=user, membership=current.guardian)
