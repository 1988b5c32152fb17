"""Which days are over for billing, and which months may be invoiced.

A final invoicing run covers a whole month: once it is final, a booking or an attendance
added on one of its days would never be billed (the run is not redone; a correction goes
through a credit note). So a final run may cover only a month whose days are all over, and
the booking and attendance services ask ``invoiced_run`` before writing on a day."""

from __future__ import annotations

import calendar
from datetime import date

from django.utils.translation import gettext as _

from espacefamille.catalog.models import Product, Service
from espacefamille.core.models import Municipality

from .models import InvoiceRun, RunState


def month_is_over(month: date, *, today: date) -> bool:
    """True when the month's last day is before ``today``."""
    last_day = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=last_day) < today


def month_refusal(month: date, *, final: bool, today: date) -> str | None:
    """Why the month cannot be invoiced that way on ``today`` (a French message), or None.
    A draft of the current month is allowed (the page says the month is not over); a final
    run waits for the month's end; a month to come is refused either way."""
    first = month.replace(day=1)
    if first > today.replace(day=1):
        return _("Le mois %(month)s n'a pas commencé : on ne facture pas un mois à venir.") % {
            "month": f"{first:%m/%Y}"
        }
    if final and not month_is_over(first, today=today):
        return _(
            "Le mois %(month)s n'est pas terminé : une facturation définitive attend le "
            "lendemain de son dernier jour (calculez un brouillon en attendant)."
        ) % {"month": f"{first:%m/%Y}"}
    return None


def invoiced_run(
    *, municipality: Municipality | int, service: Service | int, day: date
) -> InvoiceRun | None:
    """The final run of the régie that covers ``day``, if there is one."""
    municipality_id = municipality if isinstance(municipality, int) else municipality.pk
    service_id = service if isinstance(service, int) else service.pk
    return (
        InvoiceRun.objects.filter(
            municipality_id=municipality_id,
            service_id=service_id,
            month=day.replace(day=1),
            state=RunState.FINAL,
        )
        .select_related("service")
        .first()
    )


def day_is_invoiced(*, municipality: Municipality | int, service: Service | int, day: date) -> bool:
    return invoiced_run(municipality=municipality, service=service, day=day) is not None


def invoiced_day_message(run: InvoiceRun) -> str:
    """The refusal shown to an agent who changes a day of a final run."""
    return _(
        "Ce jour est déjà facturé (facturation définitive %(run)s) : il ne peut plus être "
        "modifié ; une correction se fait par un avoir."
    ) % {"run": f"{run.service.name} {run.month:%m/%Y}"}


def invoiced_sheet_warning(*, product: Product, day: date) -> str:
    """What a page of that day says when the day is in a final run (attendance sheet, day
    view), or an empty string."""
    run = invoiced_run(municipality=product.municipality_id, service=product.service_id, day=day)
    return invoiced_day_message(run) if run is not None else ""
