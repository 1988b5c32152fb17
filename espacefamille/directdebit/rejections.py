"""A debit the bank returned ("rejet", "retour de prélèvement"): the invoice is unpaid again
with the return on its history, the family is told by e-mail and may pay online."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.audit.records import action_record
from espacefamille.billing.settlements import settlement_cancel
from espacefamille.core.task_queue import task_enqueue_on_commit

from .emails import debit_rejected_email
from .models import Debit, DebitStatus, Mandate, SequenceType
from .reasons import REASONS, reason_label
from .services import DirectDebitError

if TYPE_CHECKING:
    from espacefamille.accounts.models import User


@transaction.atomic
def debit_reject(*, debit: Debit, reason_code: str, user: User | None) -> Debit:
    """Record the return once (a repeat changes nothing)."""
    code = (reason_code or "").strip().upper()
    if code not in REASONS:
        raise DirectDebitError("reason", _("Choisissez le motif du rejet dans la liste."))
    locked = Debit.objects.select_for_update().select_related("batch").get(pk=debit.pk)
    if locked.status == DebitStatus.REJECTED:
        return locked
    if locked.settlement_id is not None:
        settlement_cancel(settlement=locked.settlement)  # type: ignore[arg-type]
    locked.status = DebitStatus.REJECTED
    locked.reason_code = code
    locked.rejected_at = timezone.now()
    locked.rejected_by = user if getattr(user, "pk", None) else None
    locked.settlement = None
    locked.save(update_fields=["status", "reason_code", "rejected_at", "rejected_by", "settlement"])
    # A returned first debit leaves the bank without a first collection: the next is FRST.
    if (
        locked.sequence == SequenceType.FIRST
        and not Debit.objects.filter(mandate_id=locked.mandate_id, status=DebitStatus.SENT).exists()
    ):
        Mandate.objects.filter(pk=locked.mandate_id).update(
            sequence=SequenceType.FIRST, last_collected_on=None
        )
    action_record(
        municipality_id=locked.municipality_id,
        actor=user,
        action="debit.reject",
        obj=locked,
        object_repr=f"{locked.end_to_end_id} — {locked.batch}",
        changes={"status": ["transmis", "rejeté"], "reason": [None, reason_label(code)]},
    )
    municipality_id, debit_id = locked.municipality_id, locked.pk
    task_enqueue_on_commit(debit_rejected_email, municipality_id=municipality_id, debit_id=debit_id)
    return locked
