"""The monthly post-billing run of one régie: a draft invoice per household (re-running the
draft replaces it), reviewed, then made final once, with gapless numbers.

Households are processed in chunks: each chunk loads its bookings and attendance, computes the
lines with the pure rules and writes them, so the memory used does not grow with the month."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.audit.records import action_record
from espacefamille.bookings.models import Attendance, AttendanceState, Booking
from espacefamille.catalog.models import Product, Service
from espacefamille.core.events import events_emit
from espacefamille.core.planner_statistics import refresh_planner_statistics
from espacefamille.core.task_queue import task_enqueue_on_commit
from espacefamille.households.models import ChildHousehold

from . import drafting
from .closed_days import month_is_over, month_refusal
from .credits import credits_apply, households_with_credit
from .drafting import BILLED_STATUSES
from .emails import send_run_emails
from .errors import BillingError, BillingReason
from .issued_pdfs import store_run_pdfs
from .models import (
    Invoice,
    InvoiceLine,
    InvoiceRun,
    InvoiceStatus,
    ProductPrice,
    RunState,
    SequenceKind,
)
from .numbering import numbers_take
from .pricing import Bracket, PriceBook, Prices

if TYPE_CHECKING:
    from espacefamille.accounts.models import User

CHUNK_SIZE = 500
PAYMENT_DELAY = timedelta(days=30)


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


@dataclass(frozen=True)
class RunSetup:
    """What every chunk of a run needs, loaded once."""

    run: InvoiceRun
    service: Service
    period: tuple[date, date]
    products: dict[int, Product]
    prices: PriceBook


def price_book(products: list[Product]) -> PriceBook:
    fallback = {
        p.pk: Prices(p.unit_price, p.price_unbooked_presence, p.price_unjustified_absence)
        for p in products
    }
    rows = ProductPrice.objects.filter(product__in=products)
    brackets = [
        (
            row.product_id,
            Bracket(
                row.effective_from,
                row.quotient_max,
                row.is_default_bracket,
                Prices(row.unit_price, row.price_unbooked_presence, row.price_unjustified_absence),
            ),
        )
        for row in rows
    ]
    return PriceBook(fallback, brackets)


@transaction.atomic
def _run_prepare(service: Service, month: date) -> InvoiceRun:
    run, _created = InvoiceRun.objects.get_or_create(
        municipality_id=service.municipality_id, service=service, month=month
    )
    run = InvoiceRun.objects.select_for_update().get(pk=run.pk)
    if run.state == RunState.FINAL:
        raise BillingError(
            BillingReason.RUN_FINAL,
            _("La facturation de %(month)s est déjà définitive : corrigez par un avoir.")
            % {"month": f"{month:%m/%Y}"},
        )
    # Lines first: nothing refers to them, so this is one DELETE (by a plain subquery: a join
    # would make Django select the ids first).
    drafts = Invoice.objects.filter(run=run).values("pk")
    InvoiceLine.objects.filter(invoice_id__in=drafts).delete()
    Invoice.objects.filter(run=run).delete()
    run.state = RunState.RUNNING
    run.save(update_fields=["state"])
    return run


def households_to_bill(*, service: Service, period: tuple[date, date]) -> list[int]:
    """Households with a billable booking or an attendance of the régie in the period."""
    booked = Booking.objects.filter(
        product__service=service, date__range=period, status__in=BILLED_STATUSES
    ).values_list("household_id", flat=True)
    present = Attendance.objects.filter(
        product__service=service,
        date__range=period,
        state__in=[AttendanceState.PRESENT, AttendanceState.PRESENT_UNBOOKED],
    )
    # A shared child's presence nobody booked may be billed to its other household.
    shared = ChildHousehold.objects.filter(
        child_id__in=present.values("child_id"), ended_at__isnull=True
    ).values_list("household_id", flat=True)
    return sorted(
        set(booked.distinct())
        | set(present.values_list("child__household_id", flat=True).distinct())
        | set(shared.distinct())
    )


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for index in range(0, len(ids), size):
        yield ids[index : index + size]


def invoice_run_draft(*, service: Service, month: date, chunk_size: int = CHUNK_SIZE) -> InvoiceRun:
    """(Re)compute the month's draft invoices of a régie. Each chunk commits on its own, so a
    long run never holds the database; the run reads "en cours de calcul" until the end.
    A month to come is refused; the current month may be drafted (it cannot be final yet)."""
    refusal = month_refusal(month, final=False, today=timezone.localdate())
    if refusal is not None:
        raise BillingError(BillingReason.MONTH_NOT_ALLOWED, refusal)
    period = month_bounds(month)
    run = _run_prepare(service, period[0])
    products = list(Product.objects.filter(service=service))
    setup = RunSetup(run, service, period, {p.pk: p for p in products}, price_book(products))
    totals = drafting.ChunkTotals()
    household_ids = households_to_bill(service=service, period=period)
    # Progress for the back office's bar: the total first, then what each chunk has done,
    # committed with the chunk so a reader sees it as soon as it is true.
    InvoiceRun.objects.filter(pk=run.pk).update(
        household_count=len(household_ids), households_done=0
    )
    done = 0
    for chunk in _chunks(household_ids, chunk_size):
        with transaction.atomic():
            totals.add(drafting.draft_households(setup, chunk))
            done += len(chunk)
            InvoiceRun.objects.filter(pk=run.pk).update(households_done=done)
    run.state = RunState.DRAFT
    run.household_count = len(household_ids)
    run.households_done = len(household_ids)
    run.invoice_count = totals.invoices
    run.line_count = totals.lines
    run.anomaly_count = totals.anomalies
    run.total = totals.amount
    run.drafted_at = timezone.now()
    run.save()
    _refresh_statistics()
    return run


def _refresh_statistics() -> None:
    """A month's lines change the tables' size at once; PostgreSQL's planner, left with the old
    statistics, replaced the next draft with a per-invoice walk of the town-wide index
    (quadratic: 47 s instead of 2 s for 400,000 lines), and SQLite's, with none, read an
    invoice's lines through the town-wide index (100 ms a PDF). ANALYZE samples: cheap."""
    refresh_planner_statistics(Invoice, InvoiceLine)


@transaction.atomic
def invoice_run_finalize(
    *,
    run: InvoiceRun,
    user: User | None = None,
    via: str = "",
    issued_on: date | None = None,
    notify: bool = True,
) -> InvoiceRun:
    """Number every draft invoice of the run without gaps (per régie and year), mark them final,
    use the households' credits, write the action log (``user``, the agent, or None with
    ``via`` saying what acted, e.g. the command line), queue the drawing of the invoices' PDFs
    as issued (what a PES export attaches) and the e-mails once committed (``notify=False``
    for history loaded after the fact, e.g. the demo). Refused twice, for a
    month that is not over (bookings made later in the month would never be billed) and for a
    run without invoices."""
    locked = InvoiceRun.objects.select_for_update().select_related("service").get(pk=run.pk)
    if locked.state == RunState.FINAL:
        raise BillingError(BillingReason.RUN_FINAL, _("Cette facturation est déjà définitive."))
    if locked.state != RunState.DRAFT:
        raise BillingError(
            BillingReason.RUN_NOT_DRAFTED, _("Calculez d'abord le brouillon de cette facturation.")
        )
    today = timezone.localdate()
    day = issued_on or today
    refusal = month_refusal(locked.month, final=True, today=today)
    if refusal is None and not month_is_over(locked.month, today=day):
        refusal = _("Une facture du mois %(month)s ne peut pas être émise avant sa fin.") % {
            "month": f"{locked.month:%m/%Y}"
        }
    if refusal is not None:
        raise BillingError(BillingReason.MONTH_NOT_ALLOWED, refusal)
    invoice_ids = list(
        Invoice.objects.filter(run=locked, status=InvoiceStatus.DRAFT)
        .order_by("household__name", "household_id", "pk")
        .values_list("pk", flat=True)
    )
    if not invoice_ids:
        raise BillingError(
            BillingReason.RUN_EMPTY,
            _("Ce brouillon ne contient aucune facture : il n'y a rien à finaliser ni à envoyer."),
        )
    numbers = numbers_take(
        service=locked.service, year=day.year, kind=SequenceKind.INVOICE, count=len(invoice_ids)
    )
    for invoice_id, number in zip(invoice_ids, numbers, strict=True):
        Invoice.objects.filter(pk=invoice_id).update(
            number=number,
            status=InvoiceStatus.FINAL,
            issued_on=day,
            due_on=day + PAYMENT_DELAY,
        )
    with_credit = households_with_credit(service=locked.service)
    if with_credit:
        final = Invoice.objects.filter(run=locked, household_id__in=with_credit)
        for invoice in final.select_related("service").order_by("pk"):
            credits_apply(invoice=invoice)
    locked.state = RunState.FINAL
    locked.finalized_at = timezone.now()
    locked.finalized_by = user
    locked.save(update_fields=["state", "finalized_at", "finalized_by"])
    changes: dict[str, object] = {"invoice_count": locked.invoice_count, "total": str(locked.total)}
    if via:
        changes["via"] = via
    action_record(
        municipality_id=locked.municipality_id,
        actor=user,
        action="invoice_run.finalize",
        obj=locked,
        changes=changes,
    )
    municipality_id, run_id = locked.municipality_id, locked.pk
    events_emit(
        municipality_id=municipality_id,
        name="invoice.issued",
        items=[{"invoice": pk, "run": run_id} for pk in invoice_ids],
    )
    task_enqueue_on_commit(store_run_pdfs, municipality_id=municipality_id, run_id=run_id)
    if notify:
        task_enqueue_on_commit(send_run_emails, municipality_id=municipality_id, run_id=run_id)
    return locked


class RunReview(TypedDict):
    run: InvoiceRun
    total: Decimal
    anomalies: QuerySet[InvoiceLine]


def invoice_run_review(*, run: InvoiceRun) -> RunReview:
    """What an agent checks before finalizing: totals and the lines flagged as anomalies."""
    anomalies = (
        InvoiceLine.objects.filter(invoice__run=run, is_anomaly=True)
        .select_related("invoice__household")
        .order_by("invoice__household__name", "child_name", "date")
    )
    return {
        "run": run,
        "total": run.total or Decimal("0.00"),
        "anomalies": anomalies,
    }
