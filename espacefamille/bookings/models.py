"""Bookings, the cart, the waiting list, attendance and calendar feeds.

A booking's state only changes through ``bookings.transitions.booking_transition``; places
taken are always computed from the active bookings, never kept in a counter."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from espacefamille.core.models import TenantModel


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

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.product} {self.date:%d/%m/%Y}"


class WaitingStatus(models.TextChoices):
    WAITING = "waiting", _("en attente")
    PROMOTED = "promoted", _("place attribuée")
    WITHDRAWN = "withdrawn", _("retirée")


class WaitingListEntry(TenantModel):
    """ "Liste d'attente" for a full day; the first in line gets a freed place."""

    child = models.ForeignKey("households.Child", on_delete=models.CASCADE, related_name="+")
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
                fields=["child", "product", "date"],
                condition=Q(status="waiting"),
                name="waiting_one_per_day",
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

    class Meta:
        verbose_name = _("pointage")
        constraints = [
            models.UniqueConstraint(fields=["child", "product", "date"], name="attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.child} — {self.product} — {self.date:%d/%m/%Y}: {self.state}"


class CalendarFeed(TenantModel):
    """A child's private, revocable iCal address of validated bookings."""

    child = models.OneToOneField(
        "households.Child", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agenda partagé")

    def __str__(self) -> str:
        return f"Agenda {self.child}"
