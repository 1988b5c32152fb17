"""An agent links a child to a second household (separated parents) or unlinks it. The
child's first household is told by e-mail that its child was linked to another household,
never which one. Unlinking ends the membership and keeps the row: past bookings and invoices
stay with the household that made them."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from espacefamille.audit.records import Actor, action_record
from espacefamille.core.emails import templated_email_send
from espacefamille.core.task_queue import task_enqueue_on_commit
from espacefamille.core.tenancy import municipality_scope

from .errors import HouseholdError, HouseholdReason
from .models import Child, ChildHousehold, CustodyKind, CustodyPattern, Guardian, Household


@transaction.atomic
def child_link_household(*, child: Child, household: Household, actor: Actor) -> ChildHousehold:
    if household.municipality_id != child.municipality_id:
        raise HouseholdError(HouseholdReason.OTHER_TOWN, _("Ce foyer n'est pas de la commune."))
    child = Child.objects.select_for_update().get(pk=child.pk)
    live = ChildHousehold.objects.filter(child=child, household=household, ended_at__isnull=True)
    if child.household_id == household.pk or live.exists():
        raise HouseholdError(
            HouseholdReason.ALREADY_LINKED, _("L'enfant est déjà rattaché à ce foyer.")
        )
    link = ChildHousehold.objects.create(
        municipality_id=child.municipality_id,
        child=child,
        household=household,
        linked_by=actor if getattr(actor, "pk", None) else None,
    )
    action_record(
        municipality_id=child.municipality_id,
        actor=actor,
        action="child.link_household",
        obj=child,
        changes={"foyer": [None, household.name]},
    )
    child_id, town_id = child.pk, child.municipality_id
    task_enqueue_on_commit(send_child_linked_email, municipality_id=town_id, child_id=child_id)
    return link


@transaction.atomic
def child_unlink_household(*, child: Child, household: Household, actor: Actor) -> int:
    updated = ChildHousehold.objects.filter(
        child=child, household=household, ended_at__isnull=True
    ).update(ended_at=timezone.now())
    if not updated:
        raise HouseholdError(
            HouseholdReason.NOT_LINKED, _("L'enfant n'est pas rattaché à ce second foyer.")
        )
    action_record(
        municipality_id=child.municipality_id,
        actor=actor,
        action="child.unlink_household",
        obj=child,
        changes={"foyer": [household.name, None]},
    )
    return updated


@transaction.atomic
def custody_pattern_set(
    *, child: Child, kind: str, start_date: date | None, home_weekdays: set[int], actor: Actor
) -> CustodyPattern:
    """Set the child's custody pattern ("garde alternée"); an agent or a household sets it."""
    pattern, _created = CustodyPattern.objects.get_or_create(
        child=child, defaults={"municipality_id": child.municipality_id}
    )
    before = [pattern.kind, str(pattern.start_date or ""), pattern.home_weekdays]
    pattern.kind = CustodyKind(kind)
    pattern.start_date = start_date
    pattern.home_weekdays = ",".join(str(day) for day in sorted(home_weekdays))
    pattern.updated_at = timezone.now()
    pattern.save()
    action_record(
        municipality_id=child.municipality_id,
        actor=actor,
        action="child.custody_update",
        obj=child,
        changes={
            "rythme de garde": [
                before,
                [pattern.kind, str(pattern.start_date or ""), pattern.home_weekdays],
            ]
        },
    )
    return pattern


@task()
def send_child_linked_email(*, municipality_id: int, child_id: int) -> None:
    """To the child's first household: the child was linked to another household (no name,
    no address of that household)."""
    with municipality_scope(municipality_id):
        child = Child.objects.select_related("municipality").get(pk=child_id)
        recipients = sorted(
            set(
                Guardian.objects.filter(
                    household_id=child.household_id, user__isnull=False
                ).values_list("user__email", flat=True)
            )
        )
        if recipients:
            templated_email_send(
                to=recipients,
                template="child_linked",
                context={"child": child, "municipality": child.municipality},
            )
