"""A join code for one child (separated parents, issue 22). The agent issues it from the
child's "Foyers et garde" page; the other parent, signed in and linked to a household of the
same town, enters it on "Adhésion aux collectivités" like any join code, and the child is
linked to that household (``households.child_links``: the child's first household is told by
e-mail, without the other household's details).

The code is shown once to the agent, expires (``CHILD_JOIN_CODE_VALIDITY``) and works once;
issuing a new one voids the child's previous unused ones. Wrong entries count towards the
same rate limit as the household codes (``join_codes.join_code_redeem`` calls ``child_join``)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.accounts.errors import AccountError, AccountReason
from espacefamille.accounts.models import JoinCode, User
from espacefamille.audit.records import Actor, action_record
from espacefamille.households.child_links import child_link_household
from espacefamille.households.errors import HouseholdError, HouseholdReason
from espacefamille.households.models import Child, Guardian
from espacefamille.households.sharing import is_member

from .join_code_draw import join_code_draw


@transaction.atomic
def child_join_code_issue(*, child: Child, actor: Actor) -> JoinCode:
    """A new code for ``child`` (the previous unused ones stop working); logged without the
    code itself, which only the agent sees, once."""
    Child.objects.select_for_update().get(pk=child.pk)
    now = timezone.now()
    JoinCode.objects.filter(child=child, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    code = join_code_draw(
        household=child.household,
        child=child,
        now=now,
        validity=settings.CHILD_JOIN_CODE_VALIDITY,
    )
    action_record(
        municipality_id=child.municipality_id,
        actor=actor,
        action="child.join_code_create",
        obj=child,
        changes={"valable jusqu'au": [None, code.expires_at.date().isoformat()]},
    )
    return code


def child_join(*, join_code: JoinCode, user: User) -> Guardian:
    """Link the code's child to the household ``user`` belongs to in the code's town; the
    caller holds the code's row lock and has checked that it is neither used nor expired.
    Returns the user's guardian in that household, or raises ``AccountError``."""
    assert join_code.child_id is not None
    guardian = (
        Guardian.objects.select_related("household")
        .filter(municipality_id=join_code.municipality_id, user=user)
        .first()
    )
    if guardian is None:
        raise AccountError(
            AccountReason.CHILD_CODE_OTHER_TOWN,
            _(
                "Ce code rattache un enfant de %(town)s à votre foyer, mais votre compte "
                "n'est rattaché à aucun foyer de cette commune. Entrez d'abord le code "
                "d'adhésion de votre foyer."
            )
            % {"town": join_code.municipality.name},
        )
    child = Child.objects.get(pk=join_code.child_id)
    if is_member(child, guardian.household):
        raise AccountError(
            AccountReason.CHILD_ALREADY_IN_HOUSEHOLD,
            _("Cet enfant fait déjà partie de votre foyer : ce code ne vous sert pas."),
        )
    try:
        child_link_household(child=child, household=guardian.household, actor=user)
    except HouseholdError as error:  # checked above; a link made meanwhile says so
        reason = (
            AccountReason.CHILD_ALREADY_IN_HOUSEHOLD
            if error.reason == HouseholdReason.ALREADY_LINKED
            else AccountReason.CHILD_CODE_OTHER_TOWN
        )
        raise AccountError(reason, error.message) from error
    join_code.used_at = timezone.now()
    join_code.used_by = user
    join_code.save(update_fields=["used_at", "used_by"])
    return guardian
