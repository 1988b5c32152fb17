"""One chunk of households of a draft run: load what they booked and what attendance says,
apply the pure rules, write their draft invoices and lines. Lines are inserted with one
``executemany`` per chunk: building 400,000 model instances would cost more than the rules."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias

from django.db import connection
from django.utils import timezone

from espacefamille.bookings.models import Attendance, AttendanceState, Booking, BookingStatus
from espacefamille.households.models import Guardian

from .models import HouseholdQuotient, Invoice, InvoiceLine, InvoiceStatus
from .payers import PayerQuotients, children_of_households, load_payers
from .pricing import QuotientHistory
from .rules import Line, day_lines, flat_rate_line, total_of

if TYPE_CHECKING:
    from .runs import RunSetup

# Booked days a family owes; a cancellation still waiting for an agent keeps the day booked.
BILLED_STATUSES = (BookingStatus.VALIDATED, BookingStatus.CANCEL_REQUESTED)
# A run of justified absences may have started last month and used its waiting days there.
LOOKBACK = timedelta(days=31)
LINE_COLUMNS = [
    "municipality_id",
    "invoice_id",
    "child_id",
    "child_name",
    "product_id",
    "product_name",
    "date",
    "end_date",
    "kind",
    "quantity",
    "unit_price",
    "amount",
    "is_anomaly",
]


@dataclass
class ChunkTotals:
    invoices: int = 0
    lines: int = 0
    anomalies: int = 0
    amount: Decimal = field(default_factory=lambda: Decimal("0.00"))

    def add(self, other: ChunkTotals) -> None:
        self.invoices += other.invoices
        self.lines += other.lines
        self.anomalies += other.anomalies
        self.amount += other.amount


def invoice_recipient(guardians: list[Guardian]) -> Guardian | None:
    """The guardian who receives the invoices. The household file has no "Destinataire des
    factures" field: the portal labels the first guardian (by rank) so, and so does billing."""
    ordered = sorted(guardians, key=lambda guardian: (guardian.rank, guardian.pk))
    return ordered[0] if ordered else None


def guardian_label(guardian: Guardian | None, fallback: str) -> str:
    if guardian is None:
        return fallback
    civility = {"M": "M.", "MME": "Mme"}.get(guardian.civility, "")
    return " ".join(part for part in (civility, guardian.last_name, guardian.first_name) if part)


def guardian_address(guardian: Guardian | None) -> str:
    if guardian is None:
        return ""
    town = " ".join(part for part in (guardian.postcode, guardian.city) if part)
    return "\n".join(part for part in (guardian.address, guardian.address_complement, town) if part)


# Per (child id, product id): the booked days (with a range's end) and the attendance states.
Booked: TypeAlias = dict[tuple[int, int], list[tuple[date, date | None]]]
States: TypeAlias = dict[tuple[int, int], dict[date, str]]


def _usage(setup: RunSetup, child_ids: list[int], start: date, end: date) -> tuple[Booked, States]:
    booked: Booked = defaultdict(list)
    # No product filter in SQL: with one, SQLite's planner walks the town-wide
    # (municipality, product, date) index for every chunk (quadratic in the month's size)
    # instead of the (child, date) one. Other régies' rows are dropped here.
    for child_id, product_id, day, end_date in Booking.objects.filter(
        child_id__in=child_ids, date__range=(start, end), status__in=BILLED_STATUSES
    ).values_list("child_id", "product_id", "date", "end_date"):
        if product_id in setup.products:
            booked[(child_id, product_id)].append((day, end_date))
    states: States = defaultdict(dict)
    for child_id, product_id, day, state in Attendance.objects.filter(
        child_id__in=child_ids, product_id__in=list(setup.products), date__range=(start, end)
    ).values_list("child_id", "product_id", "date", "state"):
        states[(child_id, product_id)][day] = state
    return booked, states


def _with_lookback(setup: RunSetup, booked: Booked, states: States) -> None:
    """Add last month's days for the (child, product) pairs whose first booked day of the month
    is a justified absence of a product with waiting days: only such a run can have started
    last month (and used its waiting days there)."""
    start = setup.period[0]
    pairs = []
    for key, days in booked.items():
        if not setup.products[key[1]].waiting_days:
            continue
        first = min((day for day, _end in days if day >= start), default=None)
        if first is not None and states.get(key, {}).get(first) == AttendanceState.JUSTIFIED:
            pairs.append(key)
    if not pairs:
        return
    before_booked, before_states = _usage(
        setup, sorted({child for child, _p in pairs}), start - LOOKBACK, start - timedelta(days=1)
    )
    for key in pairs:
        booked[key] = before_booked.get(key, []) + booked.get(key, [])
        states[key] = {**before_states.get(key, {}), **states.get(key, {})}


def child_lines(
    setup: RunSetup,
    booked: Booked,
    states: States,
    key: tuple[int, int],
    quotients: QuotientHistory | PayerQuotients,
) -> list[Line]:
    product = setup.products[key[1]]

    def price_on(day: date) -> Any:
        return setup.prices.price(product.pk, day, quotients.on(day))

    if product.is_flat_rate:
        return [
            flat_rate_line(product_id=product.pk, start=day, end=end, prices=price_on(day))
            for day, end in sorted(booked.get(key, []))
            if setup.period[0] <= day <= setup.period[1]
        ]
    return day_lines(
        product_id=product.pk,
        waiting_day_count=product.waiting_days,
        booked_days=[day for day, _end in booked.get(key, [])],
        states=states.get(key, {}),
        period=setup.period,
        price_on=price_on,
    )


def draft_households(setup: RunSetup, household_ids: list[int]) -> ChunkTotals:
    """Draft invoices of these households (call inside a transaction)."""
    children = children_of_households(household_ids)
    payers = load_payers(
        municipality_id=setup.service.municipality_id,
        children=[(pk, home) for pk, home, *_names in children],
        period=(setup.period[0] - LOOKBACK, setup.period[1]),
    )
    chunk = set(household_ids)
    child_ids = [pk for pk, *_rest in children]
    booked, states = _usage(setup, child_ids, *setup.period)
    _with_lookback(setup, booked, states)
    guardians: dict[int, list[Guardian]] = defaultdict(list)
    for guardian in Guardian.objects.filter(household_id__in=household_ids):
        guardians[guardian.household_id].append(guardian)
    quotient_rows: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    for household_id, valid_from, value in (
        HouseholdQuotient.objects.filter(household_id__in=household_ids)
        .order_by("valid_from", "pk")
        .values_list("household_id", "valid_from", "value")
    ):
        quotient_rows[household_id].append((valid_from, value))

    products = sorted(setup.products.values(), key=lambda p: (p.position, p.name, p.pk))
    per_household: dict[int, list[tuple[int, str, Line]]] = defaultdict(list)
    histories = {pk: QuotientHistory(rows) for pk, rows in quotient_rows.items()}
    for child_id, household_id, first_name, last_name in children:
        for product in products:
            key = (child_id, product.pk)
            if key not in booked and key not in states:
                continue
            if child_id in payers.ever_shared:
                quotients: QuotientHistory | PayerQuotients = PayerQuotients(
                    payers, child_id, product.pk, histories
                )
            else:
                quotients = histories.get(household_id, QuotientHistory([]))
            for line in child_lines(setup, booked, states, key, quotients):
                payer = payers.of(child_id, product.pk, line.day)
                if payer in chunk:
                    per_household[payer].append((child_id, f"{first_name} {last_name}", line))

    totals = ChunkTotals()
    invoices = []
    for household_id in household_ids:
        lines = per_household.get(household_id)
        if not lines:
            continue
        recipient = invoice_recipient(guardians.get(household_id, []))
        invoices.append(
            Invoice(
                municipality_id=setup.service.municipality_id,
                service_id=setup.service.pk,
                household_id=household_id,
                run_id=setup.run.pk,
                recipient_id=recipient.pk if recipient else None,
                recipient_name=guardian_label(recipient, ""),
                recipient_address=guardian_address(recipient),
                period_start=setup.period[0],
                period_end=setup.period[1],
                status=InvoiceStatus.DRAFT,
                total=total_of(line for _c, _n, line in lines),
                anomaly_count=sum(1 for _c, _n, line in lines if line.is_anomaly),
                created_at=timezone.now(),
            )
        )
    Invoice.objects.bulk_create(invoices, batch_size=200)
    rows = []
    for invoice in invoices:
        for child_id, child_name, line in per_household[invoice.household_id]:
            rows.append(
                (
                    invoice.municipality_id,
                    invoice.pk,
                    child_id,
                    child_name,
                    line.product_id,
                    setup.products[line.product_id].name,
                    line.day,
                    line.end_date,
                    line.kind,
                    line.quantity,
                    line.unit_price,
                    line.amount,
                    line.is_anomaly,
                )
            )
        totals.invoices += 1
        totals.anomalies += invoice.anomaly_count
        totals.amount += invoice.total
    totals.lines = len(rows)
    _insert_lines(rows)
    return totals


def _insert_lines(rows: list[tuple[Any, ...]]) -> None:
    """PostgreSQL's COPY, else one prepared ``executemany`` (SQLite)."""
    if not rows:
        return
    table = InvoiceLine._meta.db_table
    columns = ", ".join(LINE_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        ops = connection.ops
        placeholders = ", ".join(["%s"] * len(LINE_COLUMNS))
        adapted = [
            (
                *row[:6],
                ops.adapt_datefield_value(row[6]),
                ops.adapt_datefield_value(row[7]),
                row[8],
                row[9],
                ops.adapt_decimalfield_value(row[10], 10, 2),
                ops.adapt_decimalfield_value(row[11], 10, 2),
                row[12],
            )
            for row in rows
        ]
        # Table and column names come from the model; the values are parameters.
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        cursor.executemany(sql, adapted)
