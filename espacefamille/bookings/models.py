"""Bookings, the cart, the waiting list, attendance and calendar feeds.

A booking's state only changes through ``bookings.transitions.booking_transition``. The places
taken on a capped product and day are kept in ``ProductDay`` (the capacity ledger,
docs/architecture.md#the-capacity-ledger), written in the same transaction as the bookings and holds
it counts; a CHECK constraint keeps it within the day's capacity whatever the Python code does, and
``check_capacity`` compares it with the rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from espacefamille.core.models import TenantModel
from espacefamille.households.models import Child


def home_household_ids(child_ids: Iterable[int]) -> dict[int, int]:
    """The first household of each child: the household of a booking made without one (an
    agent's tool, a demo, a booking of a child that is not shared)."""
    children = Child._base_manager.filter(pk__in=set(child_ids))  # whatever the scope
    return dict(children.values_list("pk", "household_id"))


if TYPE_CHECKING:
    _ForeignKey = models.ForeignKey[Any, Any]
else:
    _ForeignKey = models.ForeignKey


class BookingHouseholdField(_ForeignKey):
    """A booking's household; a booking inserted without one (``save`` or ``bulk_create``:
    an agent's tool, a demo, older code) gets its child's first household."""

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        if getattr(model_instance, self.attname) is None:
            child_id = getattr(model_instance, "child_id", None)
            if child_id is not None:
                setattr(model_instance, self.attname, home_household_ids([child_id])[child_id])
        return super().pre_save(model_instance, add)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ForeignKey", args, kwargs


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("demande de réservation")
    VALIDATED = "validated", _("réservation validée")
    CANCEL_REQUESTED = "cancel_requested", _("demande d'annulation")
    CANCELLED = "cancelled", _("annulée")
    REFUSED = "refused", _("refusée")


ACTIVE_STATUSES = (BookingStatus.REQUESTED, BookingStatus.VALIDATED, BookingStatus.CANCEL_REQUESTED)


class Booking(TenantModel):
    """ "Réservation": a child × product × date (a flat-rate booking covers date…end_date)."""

    child = models.ForeignKey("households.Child", on_delete=models.CASCADE, related_name="bookings")
    # The household that booked it, pays it and alone may cancel it: the child's own
    # household unless the child is shared between separated parents (households.sharing).
    household = BookingHouseholdField(
        "households.Household", on_delete=models.CASCADE, related_name="bookings"
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="bookings"
    )
    date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=BookingStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The agent's decision on a booking or cancellation that needed approval.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.CharField(max_length=200, blank=True)
    # Cancelled by a closure of the town: which one, and its reason as families read it
    # ("grève"); kept when the closure is re-opened.
    closure = models.ForeignKey(
        "catalog.Closure", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closure_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        constraints = [
            # At most one live booking per child, product and day, whatever the race.
            models.UniqueConstraint(
                fields=["child", "product", "date"],
                condition=Q(status__in=["requested", "validated", "cancel_requested"]),
                name="booking_one_active_per_day",
            )
        ]
        indexes = [
            # Scoped queries always filter on the town: lead with it so the capacity count is
            # answered from the index.
            models.Index(fields=["municipality", "product", "date", "status"]),
            models.Index(fields=["child", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.child} — {self.product} — {self.date:%d/%m/%Y}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def status_label(self) -> str:
        """The state as families and agents read it: "Annulée — fermeture (grève)" for a
        booking a closure cancelled."""
        if self.status == BookingStatus.CANCELLED and self.closure_reason:
            return _("Annulée — fermeture (%(reason)s)") % {"reason": self.closure_reason}
        return str(self.get_status_display())


class Cart(TenantModel):
    """ "Panier": one per household, kept in the database (it survives logout)."""

    household = models.OneToOneField(
        "households.Household", on_delete=models.CASCADE, related_name="cart"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    last_validated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("panier")

    def __str__(self) -> str:
        return f"Panier {self.household}"


class CartAction(models.TextChoices):
    ADD = "add", _("réservation")
    CANCEL = "cancel", _("annulation")


class CartLine(TenantModel):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    child = models.ForeignKey("households.Child", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    action = models.CharField(max_length=6, choices=CartAction.choices)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ligne de panier")
        ordering = ["child", "product", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["cart", "child", "product", "date"], name="cartline_unique"
            )
        ]
        # A cart's lines are read with the town's scope (cart and town both equal): without
        # planner statistics SQLite walked the town's index instead, every open cart's lines.
        indexes = [models.Index(fields=["cart", "municipality"], name="cartline_cart_town")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.product} {self.date:%d/%m/%Y}"


class WaitingStatus(models.TextChoices):
    WAITING = "waiting", _("en attente")
    PROMOTED = "promoted", _("place attribuée")
    WITHDRAWN = "withdrawn", _("retirée")


class WaitingListEntry(TenantModel):
    """ "Liste d'attente" for a full day; the first in line gets a freed place."""

    child = models.ForeignKey("households.Child", on_delete=models.CASCADE, related_name="+")
    # The household that joined the list: a place freed for a child shared between separated
    # parents is booked for it (its booking, its invoice, its e-mail), never for the other.
    household = BookingHouseholdField(
        "households.Household", on_delete=models.CASCADE, related_name="+"
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    status = models.CharField(
        max_length=10, choices=WaitingStatus.choices, default=WaitingStatus.WAITING
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("inscription en liste d'attente")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "household", "product", "date"],
                condition=Q(status="waiting"),
                name="waiting_one_per_household_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.child} — {self.product} — {self.date:%d/%m/%Y}"


class AttendanceState(models.TextChoices):
    PRESENT = "present", _("enfant présent")
    ABSENT = "absent", _("enfant absent")
    JUSTIFIED = "justified", _("absence justifiée")
    PRESENT_UNBOOKED = "present_unbooked", _("présent sans réservation")


class Attendance(TenantModel):
    """ "Pointage": what happened on the day."""

    child = models.ForeignKey(
        "households.Child", on_delete=models.CASCADE, related_name="attendances"
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    state = models.CharField(max_length=20, choices=AttendanceState.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # The last tap applied (``attendance_taps.attendance_tap``): a tap made again (a replay
    # from the tablet's offline queue) or older than this one changes nothing.
    last_tap_id = models.UUIDField(null=True, blank=True)
    tapped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pointage")
        constraints = [
            models.UniqueConstraint(fields=["child", "product", "date"], name="attendance_unique")
        ]
        # The kitchen forecast's history: a town's weeks of one product, not its whole past.
        indexes = [
            models.Index(fields=["municipality", "product", "date"], name="attendance_town_day")
        ]

    def __str__(self) -> str:
        return f"{self.child} — {self.product} — {self.date:%d/%m/%Y}: {self.state}"


class ProductDay(TenantModel):
    """The capacity ledger: one row per capped product and day (the first day of the period for
    a flat rate), holding the places taken by active bookings and held places. It is also the
    row locked by every writer of that product-day (``locking.lock_product_days``).

    ``capacity`` is the day's effective capacity when the row was last written: the product's
    capacity, or ``capacity_override`` when an agent set one for that day (a school trip with
    fewer places). It never drops below ``taken``: lowering a capacity under the places already
    taken leaves the day full rather than breaking the constraint."""

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    capacity = models.PositiveIntegerField()
    capacity_override = models.PositiveIntegerField(null=True, blank=True)
    taken = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("places d'une prestation un jour")
        constraints = [
            models.UniqueConstraint(fields=["product", "date"], name="productday_unique"),
            models.CheckConstraint(
                condition=Q(taken__gte=0) & Q(taken__lte=models.F("capacity")),
                name="productday_taken_within_capacity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} — {self.date:%d/%m/%Y}: {self.taken}/{self.capacity}"


class PlaceHold(TenantModel):
    """A place held for a child while the family pays a prepaid cart: it counts as taken in the
    ledger until it is turned into a booking or released. An expired hold is released under the
    product-day lock by the next writer of that day, so no background job is needed for
    correctness (``release_expired_holds`` only tidies the rows)."""

    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="+"
    )
    child = models.ForeignKey("households.Child", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    expires_at = models.DateTimeField()
    reference = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("place réservée en attente de paiement")
        constraints = [
            models.UniqueConstraint(fields=["child", "product", "date"], name="placehold_unique")
        ]
        indexes = [models.Index(fields=["municipality", "product", "date"])]

    def __str__(self) -> str:
        return f"{self.child} — {self.product} — {self.date:%d/%m/%Y} (→ {self.expires_at})"


class CalendarFeed(TenantModel):
    """A child's private, revocable iCal address of the validated bookings of one household:
    a child shared by separated parents has one address per household, each listing that
    household's days only."""

    child = models.ForeignKey(
        "households.Child", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agenda partagé")
        constraints = [
            models.UniqueConstraint(
                fields=["child", "household"], name="calendarfeed_child_household_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Agenda {self.child}"
