"""The waiting list ("liste d'attente"): when a full day frees a place, the first child in line
gets it and the family is told by e-mail — in the same transaction as the cancellation, so no
freed place is ever left unassigned or given twice."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.catalog.models import Product
from espacefamille.households.models import Child

from .context import BookingContext
from .emails import send_waiting_list_email
from .locking import lock_product_days
from .models import Booking, BookingStatus, WaitingListEntry, WaitingStatus
from .rules import Reason, Refusal, check_add

if TYPE_CHECKING:
    from espacefamille.accounts.models import User


class WaitingListError(Exception):
    pass


@transaction.atomic
def waiting_list_join(
    *, child: Child, product: Product, day: date, user: User | None
) -> WaitingListEntry:
    """Only for a full day of a postpaid product the child could otherwise book."""
    if product.service.is_prepaid or product.capacity is None:
        raise WaitingListError(_("Cette prestation n'a pas de liste d'attente."))
    lock_product_days([(product.pk, day)])
    ctx = BookingContext.load(
        municipality=product.municipality, children=[child], products=[product], start=day, end=day
    )
    refusal = check_add(ctx, child.pk, product, day)
    if refusal is None:
        raise WaitingListError(_("Il reste de la place : réservez directement."))
    if refusal.reason != Reason.FULL:
        raise WaitingListError(refusal.message)
    entry, _created = WaitingListEntry.objects.get_or_create(
        municipality_id=child.municipality_id,
        child=child,
        product=product,
        date=day,
        status=WaitingStatus.WAITING,
        defaults={"created_by": user},
    )
    return entry


@transaction.atomic
def waiting_list_leave(*, child: Child, product: Product, day: date) -> bool:
    return bool(
        WaitingListEntry.objects.filter(
            child=child,
            product=product,
            date=day,
            status=WaitingStatus.WAITING,
        ).update(status=WaitingStatus.WITHDRAWN)
    )


def promote_waiting_lists(freed: Iterable[tuple[Product, date]]) -> list[Booking]:
    """Give each freed place to the first child in line who can still book it. Runs inside the
    caller's transaction, under the lock of the (product, day)."""
    promoted: list[Booking] = []
    for product, day in sorted(set(freed), key=lambda item: (item[0].pk, item[1])):
        lock_product_days([(product.pk, day)])
        for entry in (
            WaitingListEntry.objects.filter(
                product=product,
                date=day,
                status=WaitingStatus.WAITING,
            )
            .select_related("child__household")
            .order_by("created_at", "pk")
        ):
            ctx = BookingContext.load(
                municipality=product.municipality,
                children=[entry.child],
                products=[product],
                start=day,
                end=day,
            )
            refusal: Refusal | None = check_add(ctx, entry.child_id, product, day)
            if refusal is not None and refusal.reason == Reason.FULL:
                break  # still no place: keep the line as it is
            entry.status = WaitingStatus.PROMOTED if refusal is None else WaitingStatus.WITHDRAWN
            entry.save(update_fields=["status"])
            if refusal is not None:
                continue  # this child can no longer book it (deadline, enrolment…)
            booking = Booking.objects.create(
                municipality_id=product.municipality_id,
                child=entry.child,
                product=product,
                date=day,
                created_by=entry.created_by,
                created_at=timezone.now(),
                status=(
                    BookingStatus.REQUESTED
                    if product.service.booking_requires_approval
                    else BookingStatus.VALIDATED
                ),
            )
            send_waiting_list_email(booking=booking)
            promoted.append(booking)
            break
    return promoted
