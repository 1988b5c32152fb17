"""What cancelling paid days gives back, said to the family before it validates and after
(seed 001: "peuvent générer un remboursement ou non selon le règlement du service"). The same
rule and the same amounts as ``cancellations.cancellations_settle``: the régie's
``CancellationRule`` and the line of the paid invoice that booked each day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from espacefamille.billing.models import InvoiceLine, InvoiceStatus
from espacefamille.bookings.models import CartAction, CartLine
from espacefamille.catalog.models import Service
from espacefamille.core.money import format_euros

from .models import CancellationOutcome, CancellationRule


@dataclass(frozen=True)
class GiveBack:
    service: Service
    outcome: str  # a CancellationOutcome
    amount: Decimal
    days: int

    @property
    def sentence(self) -> str:
        amount = format_euros(self.amount)
        if self.outcome == CancellationOutcome.CREDIT and self.amount > 0:
            return _(
                "%(service)s : un avoir de %(amount)s, déduit de votre prochain panier ou de "
                "votre prochaine facture de ce service."
            ) % {"service": self.service.name, "amount": amount}
        if self.outcome == CancellationOutcome.REFUND and self.amount > 0:
            return _("%(service)s : un remboursement de %(amount)s, versé par la trésorerie.") % {
                "service": self.service.name,
                "amount": amount,
            }
        return _(
            "%(service)s : rien n'est rendu, le règlement du service ne prévoit ni avoir ni "
            "remboursement pour ces jours."
        ) % {"service": self.service.name}


def cancellation_giveback(*, lines: Iterable[CartLine]) -> list[GiveBack]:
    """Per prepaid régie, what the cancellation lines of a cart give back. Two queries."""
    cancels = [
        line
        for line in lines
        if line.action == CartAction.CANCEL and line.product.service.is_prepaid
    ]
    if not cancels:
        return []
    services = {line.product.service_id: line.product.service for line in cancels}
    rules = dict(
        CancellationRule.objects.filter(service_id__in=services).values_list(
            "service_id", "outcome"
        )
    )
    paid: dict[tuple[int | None, int, object], Decimal] = {}
    for paid_line in InvoiceLine.objects.filter(
        child_id__in={c.child_id for c in cancels},
        product_id__in={c.product_id for c in cancels},
        date__in={c.date for c in cancels},
        invoice__status=InvoiceStatus.FINAL,
        invoice__run__isnull=True,  # issued by a payment, not a monthly run
    ).order_by("pk"):
        key = (paid_line.child_id, paid_line.product_id, paid_line.date)
        paid[key] = paid_line.amount  # the latest wins
    totals: dict[int, Decimal] = {}
    days: dict[int, int] = {}
    for line in cancels:
        service_id = line.product.service_id
        amount = paid.get((line.child_id, line.product_id, line.date), Decimal("0"))
        totals[service_id] = totals.get(service_id, Decimal("0")) + max(amount, Decimal("0"))
        days[service_id] = days.get(service_id, 0) + 1
    return [
        GiveBack(
            service=services[service_id],
            outcome=rules.get(service_id, CancellationOutcome.NOTHING),
            amount=totals[service_id]
            if rules.get(service_id) != CancellationOutcome.NOTHING
            else Decimal("0"),
            days=days[service_id],
        )
        for service_id in sorted(services)
    ]
