"""E-mails of the booking flow. Each is a task queued after commit with ids only, so nothing
is rendered inside a transaction or under a product-day lock, and a rolled-back change sends
nothing. Links go to the portal that sent them: the front door passes its own address
(``base_url``); commands and tasks without a request fall back to ``SITE_URL``."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from espacefamille.core.emails import templated_email_send
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Guardian, Household

from .models import Booking


def portal_link(base_url: str | None, name: str) -> str:
    return (base_url or settings.SITE_URL).rstrip("/") + reverse(name)


def _recipients(household: Household) -> list[str]:
    emails = Guardian.objects.filter(household=household, user__isnull=False).values_list(
        "user__email", flat=True
    )
    return sorted(set(emails))


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
    templated_email_send(
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


def _booking(booking_id: int) -> Booking:
    return Booking.objects.select_related(
        "household__municipality", "child", "product__service"
    ).get(pk=booking_id)


def _send_about_booking(
    *, municipality_id: int, booking_id: int, template: str, base_url: str | None, **extra: Any
) -> None:
    with municipality_scope(municipality_id):
        booking = _booking(booking_id)
        recipients = _recipients(booking.household)
        if recipients:
            templated_email_send(
                to=recipients,
                template=template,
                context={
                    "booking": booking,
                    "municipality": booking.household.municipality,
                    "link": portal_link(base_url, "portal:agenda"),
                    **extra,
                },
            )


@task()
def send_waiting_list_email(
    *, municipality_id: int, booking_id: int, base_url: str | None = None
) -> None:
    """A place freed on a full day went to this child, first in line."""
    _send_about_booking(
        municipality_id=municipality_id,
        booking_id=booking_id,
        template="waiting_list_promoted",
        base_url=base_url,
    )


@task()
def send_decision_email(
    *,
    municipality_id: int,
    booking_id: int,
    accepted: bool,
    cancellation: bool,
    reason: str = "",
    base_url: str | None = None,
) -> None:
    """An agent accepted or refused a booking or a cancellation (with the reason given)."""
    _send_about_booking(
        municipality_id=municipality_id,
        booking_id=booking_id,
        template="booking_decision",
        base_url=base_url,
        accepted=accepted,
        cancellation=cancellation,
        reason=reason,
    )
