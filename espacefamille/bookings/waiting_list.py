"""The waiting list ("liste d'attente"): when a full day frees a place, the first child in line
who can still book it gets it — in the same transaction as the cancellation and under the same
product-day lock, so a freed place is never left unassigned or given twice. Each candidate is
checked with every product of its service and incompatibility group loaded, so a child who
booked a rival product meanwhile (REPAS VEGETARIEN instead of REPAS) is skipped. The family
is told by an e-mail rendered after commit.

An entry belongs to the household that joined the list: for a child shared between separated
parents, the freed place is booked for that household (its booking, invoice and e-mail), and
the other household neither sees the entry nor gets the place through it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.catalog.models import Product
from espacefamille.core.task_queue import task_enqueue_on_commit
from espacefamille.households.models import Child, Household

from .context import BookingContext, related_products
from .emails import send_waiting_list_email
from .errors import BookingError, Reason
from .locking import Ledger, lock_product_days
from .models import Booking, WaitingListEntry, WaitingStatus
from .rules import check_add
from .transitions import bookings_create, initial_status

if TYPE_CHECKING:
    from espacefamille.accounts.models import User


@transaction.atomic
def waiting_list_join(
    *,
    child: Child,
    product: Product,
    day: date,
    user: User | None,
    household: Household | None = None,
) -> WaitingListEntry:
    """Only for a full day of a postpaid product the child could otherwise book.
    ``household``: the household joining the list (the child's first one when not given)."""
    household_id = household.pk if household is not None else child.household_id
    if product.service.is_prepaid or product.capacity is None:
        raise BookingError(
            Reason.NO_WAITING_LIST, _("Cette prestation n'a pas de liste d'attente.")
        )
    ctx = _candidate_context(child, product, day).for_household(household_id)
    ledger = lock_product_days([(product, day)])
    ctx.use_ledger(ledger)
    refusal = check_add(ctx, child.pk, product, day)
    if refusal is None:
        raise BookingError(Reason.PLACES_LEFT, _("Il reste de la place : réservez directement."))
    if refusal.reason != Reason.FULL:
        raise BookingError.from_refusal(refusal)
    entry, _created = WaitingListEntry.objects.get_or_create(
        municipality_id=child.municipality_id,
        child=child,
        household_id=household_id,
        product=product,
        date=day,
        status=WaitingStatus.WAITING,
        defaults={"created_by": user},
    )
    return entry


def promote_waiting_lists(
    freed: Iterable[tuple[Product, date]], *, ledger: Ledger, now: datetime | None = None
) -> list[Booking]:
    """Give each freed place to the first child in line who can still book it. Runs inside the
    caller's transaction, which holds the lock of every freed (product, day) in ``ledger``."""
    promoted: list[Booking] = []
    for product, day in sorted(set(freed), key=lambda item: (item[0].pk, item[1])):
        entries = (
            WaitingListEntry.objects.filter(product=product, date=day, status=WaitingStatus.WAITING)
            .select_related("child__household")
            .order_by("created_at", "pk")
        )
        for entry in entries:
            ctx = _candidate_context(entry.child, product, day, now=now)
            ctx.for_household(entry.household_id).use_ledger(ledger)
            refusal = check_add(ctx, entry.child_id, product, day)
            if refusal is not None and refusal.reason == Reason.FULL:
                break  # still no place: the line stays as it is
            entry.status = WaitingStatus.PROMOTED if refusal is None else WaitingStatus.WITHDRAWN
            entry.save(update_fields=["status"])
            if refusal is not None:
                continue  # this child can no longer book it (deadline, rival product…)
            booking = Booking(
                municipality_id=product.municipality_id,
                child=entry.child,
                household_id=entry.household_id,
                product=product,
                date=day,
                status=initial_status(product),
                created_by=entry.created_by,
                created_at=now or timezone.now(),
                updated_at=now or timezone.now(),
            )
            bookings_create([booking], ledger=ledger)
            promoted.append(booking)
            break
    ledger.flush()
    for booking in promoted:
        task_enqueue_on_commit(
            send_waiting_list_email, municipality_id=booking.municipality_id, booking_id=booking.pk
        )
    return promoted


def _candidate_context(
    child: Child, product: Product, day: date, now: datetime | None = None
) -> BookingContext:
    return BookingContext.load(
        municipality=product.municipality,
        children=[child],
        products=related_products([product]),
        days=[day],
        now=now,
        places=False,
        attendance=False,
    )
