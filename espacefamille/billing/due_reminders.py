"""The reminder of an invoice due in 3 days and still unpaid (final, balance above zero, due
date today + 3): sent once per invoice through the notification layer (its ``key`` is the
invoice), so reruns and concurrent workers of ``send_reminders`` send nothing twice. It lives
here, above notifications, because it reads billing's invoices; billing's AppConfig registers
it with ``notifications.reminders``."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from espacefamille.core.models import Municipality
from espacefamille.notifications.dispatch import notify, portal_url
from espacefamille.notifications.models import Kind

from .balances import with_paid_amount
from .models import Invoice, InvoiceStatus

DAYS_BEFORE = 3


def invoice_reminders_send(*, municipality: Municipality, now: datetime | None = None) -> int:
    """Remind every family of its final invoices due in 3 days with something left to pay;
    returns how many deliveries were written (0 on a rerun)."""
    due_on = timezone.localdate(now or timezone.now()) + timedelta(days=DAYS_BEFORE)
    invoices = list(  # read before writing: SQLite locks a table a cursor still reads
        with_paid_amount(
            Invoice.objects.filter(
                municipality=municipality, status=InvoiceStatus.FINAL, due_on=due_on
            )
        )
        .annotate(left=F("total") - F("paid_amount"))
        .filter(left__gt=0)
        .order_by("pk")
    )
    written = 0
    for invoice in invoices:
        values = {
            "number": invoice.number,
            "amount": formats.number_format(invoice.left, 2),
            "date": f"{due_on:%d/%m/%Y}",
        }
        written += len(
            notify(
                municipality_id=municipality.pk,
                household_ids=[invoice.household_id],
                kind=Kind.INVOICE,
                subject=_("Facture %(number)s à régler avant le %(date)s") % values,
                body=_(
                    "Votre facture %(number)s n'est pas réglée : il reste %(amount)s € "
                    "à payer avant le %(date)s."
                )
                % values,
                link=portal_url(reverse("portal:invoice_detail", args=[invoice.pk])),
                key=f"invoice:{invoice.pk}:{due_on:%Y%m%d}",
            )
        )
    return written
