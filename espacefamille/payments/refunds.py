"""Refunds the treasury owes families ("remboursements à effectuer"): listed for the agents,
then marked as made with the treasury's reference, once, with an action-log entry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.audit.records import action_record

from .errors import PaymentError, PaymentReason
from .models import RefundDue

if TYPE_CHECKING:
    from espacefamille.accounts.models import User


def refunds_to_make() -> QuerySet[RefundDue]:
    return (
        RefundDue.objects.filter(refunded_at__isnull=True)
        .select_related("household", "service", "booking__child", "booking__product")
        .order_by("created_at", "pk")
    )


def refunds_made() -> QuerySet[RefundDue]:
    return (
        RefundDue.objects.filter(refunded_at__isnull=False)
        .select_related("household", "service", "refunded_by")
        .order_by("-refunded_at", "-pk")
    )


@transaction.atomic
def refund_mark_made(*, refund: RefundDue, reference: str, user: User) -> RefundDue:
    locked = RefundDue.objects.select_for_update().get(pk=refund.pk)
    if locked.refunded_at is not None:
        raise PaymentError(
            PaymentReason.REFUND_ALREADY_MADE, _("Ce remboursement est déjà marqué comme effectué.")
        )
    reference = reference.strip()
    if not reference:
        raise PaymentError(
            PaymentReason.REFUND_REFERENCE_MISSING,
            _("Indiquez la référence du remboursement (mandat, virement…)."),
            field="reference",
        )
    locked.refunded_at = timezone.now()
    locked.reference = reference
    locked.refunded_by = user
    locked.save(update_fields=["refunded_at", "reference", "refunded_by"])
    action_record(
        municipality_id=locked.municipality_id,
        actor=user,
        action="refund.made",
        obj=locked,
        object_repr=f"{locked.household} — {locked.amount} €",
        changes={"amount": str(locked.amount), "reference": reference},
    )
    return locked
