"""Whether a day is already in a final invoicing run of its régie ("facturé pour de bon").

Once a month is invoiced for good, its invoices are numbered and sent: a later change of
attendance no longer reaches them (the agent is warned), and an agent's cancellation for the
family is refused. Either way, a correction goes through a credit note ("avoir").

The billing side answers the same question for its own refusals (``billing.closed_days``):
this small query is the bookings side's, until the two are merged into one."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _


def day_in_final_invoice_run(*, service_id: int, day: date) -> bool:
    """One query: a final run of the service for the month of ``day``."""
    from espacefamille.billing.models import InvoiceRun, RunState

    return InvoiceRun.objects.filter(
        service_id=service_id, month=day.replace(day=1), state=RunState.FINAL
    ).exists()


def attendance_invoiced_warning(day: date) -> str:
    return _(
        "Le mois de %(month)s est déjà facturé pour de bon : ce pointage ne change plus les "
        "factures envoyées. Une correction se fait par un avoir (Facturation)."
    ) % {"month": day.strftime("%m/%Y")}


def cancellation_invoiced_message() -> str:
    return _(
        "Ce jour est déjà facturé pour de bon : l'annulation n'est plus possible ici. "
        "Une correction se fait par un avoir (Facturation)."
    )
