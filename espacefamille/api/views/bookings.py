"""Bookings of a child or a day (``bookings:read``); book and cancel for a child
(``bookings:write``) through the counter's services (``counter.agent_bookings``): the same
deadlines, the same capacity ledger and locks, the same refusals and reason codes as an agent's
booking; past a deadline only with ``bookings:override`` and a reason, never past the capacity.
Attendance taps (``attendance:write``) through ``attendance.taps``: the tablets' once-only
semantics (the same ``tap_id`` again changes nothing). Every write names the key as its author
in the action log."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from espacefamille.attendance.taps import attendance_tap
from espacefamille.bookings.models import Booking
from espacefamille.catalog.models import Product
from espacefamille.counter.agent_bookings import (
    booking_cancel_for_family,
    booking_create_for_family,
)
from espacefamille.households.models import Child

from ..authentication import key_of
from ..errors import ApiError, ApiReason
from ..scopes import Scope
from ..serializers import (
    STATUSES,
    BookingCancelSerializer,
    BookingCreateSerializer,
    BookingSerializer,
    TapOutcomeSerializer,
    TapSerializer,
)
from .base import found, id_param, period, query_params


class BookingFilter(serializers.Serializer[dict[str, Any]]):
    child = id_param("Les réservations de cet enfant.")
    product = id_param("Les réservations de cette prestation.")
    start = serializers.DateField(required=False, help_text="À partir de ce jour.")
    end = serializers.DateField(required=False, help_text="Jusqu'à ce jour (366 jours au plus).")
    status = serializers.ChoiceField(choices=STATUSES, required=False)


def _reason(request: Request, data: dict[str, Any]) -> str:
    """The reason is read only from a key that may override a deadline, as an agent would."""
    reason = str(data.get("reason") or "").strip()
    if reason and Scope.BOOKINGS_OVERRIDE not in key_of(request).scopes:
        raise ApiError(
            ApiReason.SCOPE_MISSING,
            _("Un motif ne sert qu'à passer outre un délai : droit « bookings:override »."),
            field="reason",
        )
    return reason


class BookingList(generics.ListCreateAPIView[Booking]):
    """A child's or a day's bookings; POST books a day for a child (as at the counter)."""

    scopes = {"GET": Scope.BOOKINGS_READ, "POST": Scope.BOOKINGS_WRITE}
    booking_reasons = True
    serializer_class = BookingSerializer

    @extend_schema(parameters=[BookingFilter])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Booking]:
        params = query_params(self.request, BookingFilter)
        query = Booking.objects.order_by("date", "pk")
        if params.get("child"):
            query = query.filter(child_id=params["child"])
        if params.get("product"):
            query = query.filter(product_id=params["product"])
        if params.get("start") or params.get("end"):
            start = params.get("start") or params["end"]
            start, end = period(start, params.get("end") or start, days=366)
            query = query.filter(
                Q(date__range=(start, end)) | Q(date__lt=start, end_date__gte=start)
            )
        if params.get("status"):
            query = query.filter(status=params["status"])
        return query

    @extend_schema(
        request=BookingCreateSerializer,
        responses={201: BookingSerializer},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = BookingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        reason = _reason(request, data)
        child = found(Child.objects.all(), data["child"])
        product = found(Product.objects.select_related("service"), data["product"])
        booking = booking_create_for_family(
            child=child, product=product, day=data["date"], actor=request.user, reason=reason
        )
        return Response(BookingSerializer(booking).data, status=201)


class BookingCancel(generics.GenericAPIView[Booking]):
    """Cancel a booking (as at the counter): the freed place goes to the waiting list and what
    was paid for the day is given back."""

    scopes = {"POST": Scope.BOOKINGS_WRITE}
    booking_reasons = True
    serializer_class = BookingSerializer

    @extend_schema(
        request=BookingCancelSerializer,
        responses={200: BookingSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        serializer = BookingCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = _reason(request, serializer.validated_data)
        booking = found(Booking.objects.all(), pk)
        booking = booking_cancel_for_family(booking=booking, actor=request.user, reason=reason)
        return Response(BookingSerializer(booking).data)


class AttendanceTap(generics.GenericAPIView[Child]):
    """One tap (present, absent, justified absence), once only per ``tap_id``."""

    scopes = {"POST": Scope.ATTENDANCE_WRITE}
    serializer_class = TapOutcomeSerializer

    @extend_schema(
        request=TapSerializer,
        responses={200: TapOutcomeSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = TapSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        child = found(Child.objects.all(), data["child"])
        product = found(Product.objects.select_related("service"), data["product"])
        outcome = attendance_tap(
            child=child,
            product=product,
            day=data["date"],
            action=data["action"],
            tap_id=data["tap_id"],
            tapped_at=data.get("tapped_at"),
            actor=request.user,
            sites=None,
        )
        body = {
            "child": child.pk,
            "product": product.pk,
            "date": data["date"],
            "state": outcome.attendance.state,
            "applied": outcome.applied,
        }
        return Response(TapOutcomeSerializer(body).data)
