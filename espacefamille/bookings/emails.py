"""E-mails of the booking flow, sent after commit (core.emails).

Their links reach the portal that sent them: a front door passes its own base URL
(``request.build_absolute_uri("/")``: the demo on another port, a town's own domain); a
command or a task with no request behind it falls back to ``settings.SITE_URL``."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from espacefamille.core.emails import send_templated_email
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Guardian, Household

from .models import Booking


def _recipients(household: Household) -> list[str]:
    emails = Guardian.objects.filter(household=household, user__isnull=False).values_list(
        "user__email", flat=True
    )
    return sorted(set(emails))


def portal_link(base_url: str | None, url_name: str) -> str:
    return (base_url or settings.SITE_URL).rstrip("/") + reverse(url_name)


def _grouped(bookings: list[Booking]) -> list[tuple[str, str, list[Booking]]]:
    groups: dict[tuple[str, str], list[Booking]] = defaultdict(list)
    for booking in sorted(bookings, key=lambda b: (b.child.first_name, b.product.name, b.date)):
        groups[
            (f"{booking.child.first_name} {booking.child.last_name}", booking.product.name)
        ].append(booking)
    return [(child, product, items) for (child, product), items in groups.items()]


@task()
def send_cart_validation_email(
    *,
    municipality_id: int,
    household_id: int,
    booked_ids: list[int],
    cancelled_ids: list[int],
    at: str,
    base_url: str | None = None,
) -> None:
    """ "Validation du panier": every booked and every cancelled date, per child and product.
    A task, queued after commit: rendering stays out of the validation's transaction."""
    with municipality_scope(municipality_id):
        household = Household.objects.select_related("municipality").get(pk=household_id)
        recipients = _recipients(household)
        if not recipients or not (booked_ids or cancelled_ids):
            return
        found = Booking.objects.filter(pk__in=[*booked_ids, *cancelled_ids])
        bookings = {b.pk: b for b in found.select_related("child", "product")}
        _send_cart_validation(
            household,
            recipients,
            [bookings[i] for i in booked_ids],
            [bookings[i] for i in cancelled_ids],
            datetime.fromisoformat(at),
            portal_link(base_url, "portal:agenda"),
        )


def _send_cart_validation(
    household: Household,
    recipients: list[str],
    result_booked: list[Booking],
    result_cancelled: list[Booking],
    at: datetime,
    link: str,
) -> None:
    send_templated_email(
        to=recipients,
        template="cart_validated",
        context={
            "household": household,
            "municipality": household.municipality,
            "at": timezone.localtime(at),
            "booked": _grouped(result_booked),
            "cancelled": _grouped(result_cancelled),
            "link": link,
        },
    )


def send_waiting_list_email(*, booking: Booking, base_url: str | None = None) -> None:
    recipients = _recipients(booking.child.household)
    if recipients:
        send_templated_email(
            to=recipients,
            template="waiting_list_promoted",
            context={
                "booking": booking,
                "municipality": booking.child.household.municipality,
                "link": portal_link(base_url, "portal:agenda"),
            },
        )


def send_decision_email(*, booking: Booking, accepted: bool, cancellation: bool) -> None:
    recipients = _recipients(booking.child.household)
    if recipients:
        send_templated_email(
            to=recipients,
            template="booking_decision",
            context={
                "booking": booking,
                "accepted": accepted,
                "cancellation": cancellation,
                "municipality": booking.child.household.municipality,
            },
        )
