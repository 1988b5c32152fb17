"""Reads: a household's mandates, whether an invoice is paid by direct debit and on which
day (the pre-notification), and the debit data a PES title carries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from espacefamille.billing.models import Invoice
from espacefamille.catalog.models import Service
from espacefamille.households.models import Household

from .debit_data import DebitData
from .models import (
    CollectionMode,
    Debit,
    DebitStatus,
    DirectDebitSettings,
    Mandate,
    MandateAmendment,
    MandateStatus,
)


def active_mandate(*, household: Household, service: Service) -> Mandate | None:
    return Mandate.objects.filter(
        household=household, service=service, status=MandateStatus.ACTIVE
    ).first()


def household_mandates(*, household: Household) -> list[Mandate]:
    return list(Mandate.objects.filter(household=household).select_related("service"))


def regies_offering_debit() -> list[DirectDebitSettings]:
    return list(
        DirectDebitSettings.objects.filter(is_enabled=True)
        .select_related("service")
        .order_by("service__position", "service__name")
    )


def debit_day(*, invoice: Invoice, notice_days: int) -> date:
    """The day announced on the invoice: its due date, never sooner than the notice after
    the invoice's date."""
    issued = invoice.issued_on or invoice.created_at.date()
    earliest = issued + timedelta(days=notice_days)
    return max(invoice.due_on or earliest, earliest)


@dataclass(frozen=True)
class InvoiceDebit:
    """How direct debit concerns one invoice: ``day`` when it is (or will be) debited, and
    the returned debits, newest first, for its history."""

    day: date | None
    rejected: list[Debit]

    @property
    def hides_online_payment(self) -> bool:
        return self.day is not None


def invoice_debit(*, invoice: Invoice) -> InvoiceDebit:
    rejected = list(
        Debit.objects.filter(invoice=invoice, status=DebitStatus.REJECTED)
        .select_related("batch")
        .order_by("-pk")
    )
    return InvoiceDebit(invoice_debit_days([invoice]).get(invoice.pk), rejected)


def debit_data_for_invoices(invoices: Iterable[Invoice]) -> dict[int, DebitData]:
    """Per invoice id, the mandate a PES title carries (``InfoPrelevementSEPA``), for the
    invoices of households with an active mandate of a régie collecting through the
    treasury. ``previous_*`` are the values before the first amendment since the mandate's
    last collection (the ``Ancien*`` fields)."""
    invoices = list(invoices)
    service_ids = {invoice.service_id for invoice in invoices}
    treasury = set(
        DirectDebitSettings.objects.filter(
            service_id__in=service_ids,
            is_enabled=True,
            collection_mode=CollectionMode.TREASURY,
        ).values_list("service_id", flat=True)
    )
    mandates = {
        (mandate.household_id, mandate.service_id): mandate
        for mandate in Mandate.objects.filter(
            service_id__in=treasury,
            household_id__in={invoice.household_id for invoice in invoices},
            status=MandateStatus.ACTIVE,
        ).prefetch_related("amendments")
    }
    result: dict[int, DebitData] = {}
    for invoice in invoices:
        mandate = mandates.get((invoice.household_id, invoice.service_id))
        if mandate is None:
            continue
        result[invoice.pk] = mandate_debit_data(mandate)
    return result


def mandate_debit_data(mandate: Mandate) -> DebitData:
    since = mandate.last_collected_on
    amendments = [
        amendment
        for amendment in mandate.amendments.all()
        if since is None or amendment.amended_at.date() >= since
    ]
    return debit_data_after(mandate, amendments[0] if amendments and since is not None else None)


def debit_data_after(mandate: Mandate, first: MandateAmendment | None) -> DebitData:
    """The mandate's debit data, with what ``first`` (an amendment) changed as ``previous_*``."""
    return DebitData(
        rum=mandate.rum,
        iban=mandate.iban,
        bic=mandate.bic,
        holder=mandate.holder,
        signed_on=mandate.signed_on,
        previous_rum=first.previous_rum if first and first.previous_rum != mandate.rum else None,
        previous_iban=first.previous_iban
        if first and first.previous_iban != mandate.iban
        else None,
        previous_bic=first.previous_bic if first and first.previous_bic != mandate.bic else None,
    )


def invoice_debit_days(invoices: Iterable[Invoice]) -> dict[int, date]:
    """Per invoice id, the day it is (or will be) debited: the invoices "Payer en ligne" is
    not offered for. A returned debit takes the invoice out (the family pays otherwise)."""
    invoices = list(invoices)
    ids = [invoice.pk for invoice in invoices]
    days: dict[int, date] = {}
    returned: set[int] = set()
    for invoice_id, status, day in Debit.objects.filter(invoice_id__in=ids).values_list(
        "invoice_id", "status", "batch__collection_date"
    ):
        if status == DebitStatus.SENT:
            days[invoice_id] = day
        else:
            returned.add(invoice_id)
    notice = dict(
        DirectDebitSettings.objects.filter(
            service_id__in={invoice.service_id for invoice in invoices}, is_enabled=True
        ).values_list("service_id", "notice_days")
    )
    signed = set(
        Mandate.objects.filter(
            service_id__in=list(notice),
            household_id__in={invoice.household_id for invoice in invoices},
            status=MandateStatus.ACTIVE,
        ).values_list("household_id", "service_id")
    )
    for invoice in invoices:
        if invoice.pk in days or invoice.pk in returned:
            continue
        if (invoice.household_id, invoice.service_id) in signed:
            days[invoice.pk] = debit_day(invoice=invoice, notice_days=notice[invoice.service_id])
    return days
