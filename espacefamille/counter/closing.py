"""An exceptional closure (a strike, a heatwave, a sanitary incident): first what it will do
(``closure_preview``: "43 réservations de 38 familles seront annulées, 2 places retenues
libérées, 12 € d'avoirs"), then, once confirmed, ``closure_declare`` in one transaction under
the ledger's locks: the closure row (the days become non-bookable with its reason), every
active booking of those days cancelled as "Annulée — fermeture (grève)" with what was paid
given back by the régie's rule, holds freed, waiting lists closed, the action log; after
commit each family concerned is told (``notifications.closure_notice``). ``closure_reopen``
makes the days bookable again and books nobody back."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from django.db import transaction
from django.db.models import F, Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from espacefamille.audit.records import Actor, action_record
from espacefamille.billing.models import InvoiceLine, InvoiceStatus
from espacefamille.bookings.models import (
    ACTIVE_STATUSES,
    Booking,
    PlaceHold,
    WaitingListEntry,
    WaitingStatus,
)
from espacefamille.catalog.models import Closure, ClosureKind, Product, Site
from espacefamille.core.models import Municipality
from espacefamille.core.task_queue import task_enqueue_on_commit
from espacefamille.notifications.closure_notice import closure_notice_send
from espacefamille.payments.models import CancellationOutcome, CancellationRule

from .closure_cancel import invoiced_keys, product_days_close
from .errors import CounterError, CounterReason

MAX_DAYS = 31
_M = TypeVar("_M", bound=Model)


@dataclass(frozen=True)
class ClosureRequest:
    """What an agent (or a town's script) asks to close."""

    start: date
    end: date
    kind: str
    products: tuple[Product, ...] = ()  # none: every product of the town
    sites: tuple[Site, ...] = ()  # none: every site
    note: str = ""  # the reason families read, when other than the kind's own words

    @property
    def reason(self) -> str:
        return self.note.strip() or str(ClosureKind(self.kind).label)


@dataclass
class ClosurePreview:
    request: ClosureRequest
    bookings: list[Booking] = field(default_factory=list)
    households: int = 0
    holds: list[PlaceHold] = field(default_factory=list)
    waiting: list[WaitingListEntry] = field(default_factory=list)
    credits: Decimal = Decimal("0.00")
    refunds: Decimal = Decimal("0.00")
    invoiced: int = 0  # bookings left alone: their month is invoiced for good

    def lines(self) -> list[str]:
        """The preview in French, the first line as the issue words it."""
        # Worded as the issue and the towns' scripts read it, whatever the numbers.
        lines = [
            _("%(n)s réservation(s) de %(m)s famille(s) seront annulées")
            % {"n": len(self.bookings), "m": self.households}
        ]
        lines.append(
            ngettext(
                "%(n)s place retenue libérée",
                "%(n)s places retenues libérées",
                len(self.holds),
            )
            % {"n": len(self.holds)}
        )
        lines.append(
            ngettext(
                "%(n)s inscription en liste d'attente close",
                "%(n)s inscriptions en liste d'attente closes",
                len(self.waiting),
            )
            % {"n": len(self.waiting)}
        )
        lines.append(_("%(amount)s € d'avoirs") % {"amount": _euros(self.credits)})
        if self.refunds:
            lines.append(_("%(amount)s € à rembourser") % {"amount": _euros(self.refunds)})
        if self.invoiced:
            lines.append(
                ngettext(
                    "%(n)s réservation d'un mois déjà facturé reste telle quelle",
                    "%(n)s réservations d'un mois déjà facturé restent telles quelles",
                    self.invoiced,
                )
                % {"n": self.invoiced}
            )
        return lines


def _euros(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",").replace(",00", "")


def _check(request: ClosureRequest, *, today: date) -> None:
    if request.end < request.start:
        raise CounterError(
            CounterReason.CLOSURE_DATES, _("La fin ne peut pas précéder le début."), field="end"
        )
    if request.start < today:
        raise CounterError(
            CounterReason.CLOSURE_DATES,
            _("Un jour passé ne peut plus être fermé."),
            field="start",
        )
    if (request.end - request.start).days >= MAX_DAYS:
        raise CounterError(
            CounterReason.CLOSURE_DATES,
            _("Une fermeture exceptionnelle couvre au plus %(n)s jours.") % {"n": MAX_DAYS},
            field="end",
        )
    if request.kind not in ClosureKind.values:
        raise CounterError(CounterReason.CLOSURE_KIND, _("Choisissez le motif de la fermeture."))


def _on_days(query: QuerySet[_M], request: ClosureRequest) -> QuerySet[_M]:
    """The rows (bookings, holds, waiting list) of the closed days, products and sites: a
    child's site is the one of its enrolment in the product's service that day."""
    query = query.filter(date__range=(request.start, request.end))
    if request.products:
        query = query.filter(product__in=[p.pk for p in request.products])
    if request.sites:
        query = query.filter(
            child__enrollments__site__in=[s.pk for s in request.sites],
            child__enrollments__service=F("product__service"),
            child__enrollments__start_date__lte=F("date"),
            child__enrollments__end_date__gte=F("date"),
        ).distinct()
    return query


def closure_preview(
    *, municipality: Municipality, request: ClosureRequest, today: date | None = None
) -> ClosurePreview:
    """What ``closure_declare`` would do now; writes nothing. A handful of queries."""
    _check(request, today=today or timezone.localdate())
    preview = ClosurePreview(request=request)
    bookings = list(
        _on_days(Booking.objects.filter(status__in=ACTIVE_STATUSES), request)
        .filter(product__flat_rate_period="")  # a flat rate is billed once for its period
        .select_related("product__service", "child")
        .order_by("pk")
    )
    invoiced = invoiced_keys(bookings)
    preview.bookings = [
        b for b in bookings if (b.product.service_id, b.date.replace(day=1)) not in invoiced
    ]
    preview.invoiced = len(bookings) - len(preview.bookings)
    preview.households = len({b.household_id for b in preview.bookings})
    preview.holds = list(_on_days(PlaceHold.objects.select_related("product"), request))
    preview.waiting = list(
        _on_days(
            WaitingListEntry.objects.filter(status=WaitingStatus.WAITING).select_related("product"),
            request,
        )
    )
    preview.credits, preview.refunds = _given_back(preview.bookings)
    return preview


def _given_back(bookings: list[Booking]) -> tuple[Decimal, Decimal]:
    """The credit notes and refunds the cancellations will give, by the régies' rules, from
    the paid lines of those days (two queries)."""
    prepaid = [b for b in bookings if b.product.service.is_prepaid]
    if not prepaid:
        return Decimal("0.00"), Decimal("0.00")
    rules = dict(
        CancellationRule.objects.filter(
            service_id__in={b.product.service_id for b in prepaid}
        ).values_list("service_id", "outcome")
    )
    paid: dict[tuple[int, int, date], Decimal] = defaultdict(Decimal)
    lines = InvoiceLine.objects.filter(
        product_id__in={b.product_id for b in prepaid},
        date__range=(min(b.date for b in prepaid), max(b.date for b in prepaid)),
        invoice__status=InvoiceStatus.FINAL,
        invoice__run__isnull=True,
    ).order_by("pk")
    for line in lines.values("child_id", "product_id", "date", "amount"):
        paid[(line["child_id"], line["product_id"], line["date"])] = line["amount"]
    credits = refunds = Decimal("0.00")
    for booking in prepaid:
        amount = paid.get((booking.child_id, booking.product_id, booking.date), Decimal(0))
        outcome = rules.get(booking.product.service_id, CancellationOutcome.NOTHING)
        if amount > 0 and outcome == CancellationOutcome.CREDIT:
            credits += amount
        elif amount > 0 and outcome != CancellationOutcome.NOTHING:
            refunds += amount
    return credits, refunds


@dataclass
class ClosureDeclared:
    closure: Closure
    cancelled: int
    households: int
    released_holds: int
    closed_waiting: int


@transaction.atomic
def closure_declare(
    *,
    municipality: Municipality,
    request: ClosureRequest,
    actor: Actor,
    now: datetime | None = None,
    base_url: str | None = None,
) -> ClosureDeclared:
    """Close the days and cancel their bookings (see the module); the families are told after
    commit."""
    now = now or timezone.now()
    preview = closure_preview(
        municipality=municipality, request=request, today=timezone.localdate(now)
    )
    closure = Closure.objects.create(
        municipality=municipality,
        start_date=request.start,
        end_date=request.end,
        reason=request.reason,
        kind=request.kind,
        declared_at=now,
    )
    closure.products.set(
        [p for p in request.products if p.municipality_id == municipality.pk],
        through_defaults={"municipality": municipality},
    )
    closure.sites.set(
        [s for s in request.sites if s.municipality_id == municipality.pk],
        through_defaults={"municipality": municipality},
    )
    outcome = product_days_close(
        bookings=preview.bookings,
        holds=preview.holds,
        waiting=preview.waiting,
        actor=actor,
        reason=request.reason,
        closure_id=closure.pk,
        now=now,
    )
    households = len({b.household_id for b in outcome.cancelled})
    action_record(
        municipality_id=municipality.pk,
        actor=actor,
        action="closure.declare",
        obj=closure,
        changes={
            "motif": [None, request.reason],
            "du": [None, f"{request.start:%d/%m/%Y}"],
            "au": [None, f"{request.end:%d/%m/%Y}"],
            "prestations": [None, sorted(p.name for p in request.products) or _("toutes")],
            "sites": [None, sorted(s.name for s in request.sites) or _("tous")],
            "réservations annulées": [None, len(outcome.cancelled)],
            "familles": [None, households],
            "places retenues libérées": [None, outcome.released_holds],
        },
    )
    closure_id, town_id = closure.pk, municipality.pk
    task_enqueue_on_commit(
        closure_notice_send, municipality_id=town_id, closure_id=closure_id, base_url=base_url
    )
    return ClosureDeclared(
        closure=closure,
        cancelled=len(outcome.cancelled),
        households=households,
        released_holds=outcome.released_holds,
        closed_waiting=outcome.closed_waiting,
    )


@transaction.atomic
def closure_reopen(*, closure: Closure, actor: Actor, now: datetime | None = None) -> Closure:
    """The days become bookable again; the bookings the closure cancelled stay cancelled
    (families book again if they wish). Repeats change nothing."""
    closure = Closure.objects.select_for_update().get(pk=closure.pk)
    if closure.reopened_at is not None:
        return closure
    closure.reopened_at = now or timezone.now()
    closure.save(update_fields=["reopened_at"])
    action_record(
        municipality_id=closure.municipality_id,
        actor=actor,
        action="closure.reopen",
        obj=closure,
        changes={"réouverte": [None, f"{closure.reopened_at:%d/%m/%Y %H:%M}"]},
    )
    return closure
