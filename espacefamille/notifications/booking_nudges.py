""" "Pensez à réserver", for the families who chose reminders: a product a child booked in the
past weeks has nothing booked for the next open week and that week's booking deadline falls
within 48 hours. Sent once per (household, child, product, week): the ``Delivery`` key names
the child, the product and the week's Monday, so reruns and concurrent workers send it once."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.bookings.models import ACTIVE_STATUSES, Booking
from espacefamille.catalog.calendar import TownCalendar
from espacefamille.catalog.models import Product
from espacefamille.core.models import Municipality

from .dispatch import notify, portal_url
from .models import Kind
from .preferences import channels_chosen

LOOKBACK = timedelta(weeks=4)
WINDOW = timedelta(hours=48)
WEEKS_AHEAD = 4


def _next_open_week(product: Product, calendar: TownCalendar, today: date) -> list[date]:
    """The open days of the first week after this one where the product is open."""
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    for week in range(WEEKS_AHEAD):
        start = monday + timedelta(days=7 * week)
        days = [start + timedelta(days=n) for n in range(7)]
        open_days = [day for day in days if calendar.is_open(product, day)]
        if open_days:
            return open_days
    return []


def booking_nudges_send(*, municipality: Municipality, now: datetime | None = None) -> int:
    """Returns how many deliveries were written (0 on a rerun)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    past = list(
        Booking.objects.filter(
            date__gte=today - LOOKBACK, date__lt=today, status__in=ACTIVE_STATUSES
        )
        .values_list("household_id", "child_id", "product_id")
        .distinct()
    )
    wanting = channels_chosen({household for household, _c, _p in past}, Kind.REMINDER)
    pairs = [(h, c, p) for h, c, p in past if wanting.get(h)]
    if not pairs:
        return 0
    calendar = TownCalendar.load(municipality, today, today + timedelta(weeks=WEEKS_AHEAD + 1))
    products = Product.objects.in_bulk({p for _h, _c, p in pairs})
    weeks = {pk: _next_open_week(product, calendar, today) for pk, product in products.items()}
    due: dict[int, tuple[date, datetime]] = {}  # product → first open day, its deadline
    for pk, days in weeks.items():
        if days:
            deadline = products[pk].booking_rule.deadline(days[0], calendar.is_working_day)
            if now < deadline <= now + WINDOW:
                due[pk] = (days[0], deadline)
    booked: dict[tuple[int, int], set[date]] = defaultdict(set)
    for child_id, product_id, day in Booking.objects.filter(
        product_id__in=list(due),
        date__gte=min((d for d, _dl in due.values()), default=today),
        date__lte=today + timedelta(weeks=WEEKS_AHEAD + 1),
        status__in=ACTIVE_STATUSES,
    ).values_list("child_id", "product_id", "date"):
        booked[child_id, product_id].add(day)
    written = 0
    for household_id, child_id, product_id in sorted(pairs):
        if product_id not in due:
            continue
        first, deadline = due[product_id]
        if booked[child_id, product_id] & set(weeks[product_id]):
            continue
        values = {
            "product": products[product_id].name,
            "week": f"{first - timedelta(days=first.weekday()):%d/%m/%Y}",
            "deadline": f"{timezone.localtime(deadline):%d/%m/%Y %Hh%M}",
        }
        written += len(
            notify(
                municipality_id=municipality.pk,
                household_ids=[household_id],
                kind=Kind.REMINDER,
                subject=_("Pensez à réserver"),
                body=_(
                    "Pensez à réserver : rien n'est réservé en %(product)s pour la semaine du "
                    "%(week)s ; réservations possibles jusqu'au %(deadline)s."
                )
                % values,
                link=portal_url(reverse("portal:agenda")),
                key=f"book:{child_id}:{product_id}:{first:%G%V}",
            )
        )
    return written
