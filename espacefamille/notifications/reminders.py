"""Reminders, sent by a periodic command (``send_reminders``): a cart with lines whose booking
deadline falls within the next 24 hours and not validated ("Votre panier n'est pas validé :
3 REPAS, avant mardi 10h00"). Each reminder goes at most once: its key (the cart and the
deadline) is unique per family and channel in ``Delivery``, so a rerun, or a second worker
running at the same moment, inserts nothing and sends nothing."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Model
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from espacefamille.bookings.models import CartAction, CartLine
from espacefamille.catalog.calendar import TownCalendar
from espacefamille.catalog.deadlines import PARIS
from espacefamille.core.models import Municipality

from .dispatch import deliveries_send, notify
from .models import Delivery, DeliveryStatus, Kind
from .sms import in_quiet_hours

WINDOW = timedelta(hours=24)

ReminderSender = Callable[..., int]
# Reminders of the apps above this layer (billing's invoice due in 3 days), registered from
# their AppConfig.ready so that notifications never imports them.
_REGISTERED: list[ReminderSender] = []


def reminder_register(sender: ReminderSender) -> None:
    """Add a reminder of an upper app to ``send_reminders`` (called once, from ready())."""
    if sender not in _REGISTERED:
        _REGISTERED.append(sender)


def reminder_senders() -> list[ReminderSender]:
    """Every reminder ``send_reminders`` runs, each called with ``municipality=``."""
    from .booking_nudges import booking_nudges_send

    return [cart_reminders_send, booking_nudges_send, *_REGISTERED]


def _when(deadline: datetime) -> str:
    local = deadline.astimezone(PARIS)
    weekday = formats.date_format(local, "l")
    return _("avant %(day)s %(time)s") % {"day": weekday, "time": f"{local:%Hh%M}"}


def cart_reminders_send(*, municipality: Municipality, now: datetime | None = None) -> int:
    """Remind every family whose cart has an addition due within 24 hours; returns how many
    deliveries were written (0 on a rerun)."""
    now = now or timezone.now()
    lines = list(
        CartLine.objects.filter(action=CartAction.ADD, date__gte=timezone.localdate(now))
        .select_related("product", "cart")
        .order_by("cart_id", "date")
    )
    if not lines:
        return 0
    calendar = TownCalendar.load(
        municipality, min(x.date for x in lines), max(x.date for x in lines)
    )
    due: dict[int, list[tuple[CartLine, datetime]]] = defaultdict(list)
    for line in lines:
        deadline = line.product.booking_rule.deadline(line.date, calendar.is_working_day)
        if now < deadline <= now + WINDOW:
            due[line.cart.household_id].append((line, deadline))
    written: list[Model] = []
    for household_id, items in due.items():
        first = min(deadline for _line, deadline in items)
        counts = Counter(line.product.name for line, _deadline in items)
        what = ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
        written += notify(
            municipality_id=municipality.pk,
            household_ids=[household_id],
            kind=Kind.REMINDER,
            subject=_("Votre panier n'est pas validé"),
            body=_("Votre panier n'est pas validé : %(what)s, %(when)s.")
            % {"what": what, "when": _when(first)},
            link=settings.SITE_URL.rstrip("/") + reverse("portal:agenda"),
            key=f"cart:{items[0][0].cart_id}:{first:%Y%m%d%H%M}",
        )
    return len(written)


def deferred_sms_resend(*, municipality: Municipality, now: datetime | None = None) -> int:
    """Outside quiet hours, queue again the SMS that waited for the morning."""
    if in_quiet_hours(now or timezone.now()):
        return 0
    ids = list(Delivery.objects.filter(status=DeliveryStatus.DEFERRED).values_list("pk", flat=True))
    if ids:
        deliveries_send.enqueue(municipality_id=municipality.pk, delivery_ids=ids)
    return len(ids)
