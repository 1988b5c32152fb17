"""Households and their children (``households:read``), searched by name or reference; their
enrolments (``bookings:read``); a household's balance (``invoices:read``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet, Sum
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from espacefamille.billing.balances import with_paid_amount
from espacefamille.billing.models import Invoice, InvoiceStatus
from espacefamille.billing.selectors import household_credit
from espacefamille.catalog.models import Enrollment
from espacefamille.households.models import Child, Household

from ..scopes import Scope
from ..serializers import (
    BalanceSerializer,
    ChildSerializer,
    EnrolmentSerializer,
    HouseholdSerializer,
)
from .base import found, id_param, query_params

READ = {"GET": Scope.HOUSEHOLDS_READ}


class HouseholdFilter(serializers.Serializer[dict[str, Any]]):
    search = serializers.CharField(
        required=False,
        max_length=100,
        help_text="Un nom du foyer ou d'un enfant (début ou partie).",
    )
    reference = serializers.CharField(
        required=False, max_length=64, help_text="La référence exacte du foyer."
    )


def _households() -> QuerySet[Household]:
    return Household.objects.prefetch_related(
        Prefetch("children", queryset=Child.objects.order_by("first_name", "pk"))
    )


@extend_schema(parameters=[HouseholdFilter])
class HouseholdList(generics.ListAPIView[Household]):
    """Households with their children, by name."""

    scopes = READ
    serializer_class = HouseholdSerializer

    def get_queryset(self) -> QuerySet[Household]:
        params = query_params(self.request, HouseholdFilter)
        query = _households().order_by("name", "pk")
        if params.get("reference"):
            query = query.filter(external_ref=params["reference"])
        if params.get("search"):
            text = params["search"].strip()
            matching = Child.objects.filter(
                Q(last_name__icontains=text) | Q(first_name__icontains=text)
            ).values("household_id")
            query = query.filter(Q(name__icontains=text) | Q(pk__in=matching))
        return query


class HouseholdDetail(generics.RetrieveAPIView[Household]):
    scopes = READ
    serializer_class = HouseholdSerializer

    def get_object(self) -> Household:
        return found(_households(), self.kwargs["pk"])


class ChildFilter(serializers.Serializer[dict[str, Any]]):
    household = id_param("Les enfants de ce foyer seulement.")
    search = serializers.CharField(required=False, max_length=100, help_text="Nom ou prénom.")


@extend_schema(parameters=[ChildFilter])
class ChildList(generics.ListAPIView[Child]):
    scopes = READ
    serializer_class = ChildSerializer

    def get_queryset(self) -> QuerySet[Child]:
        params = query_params(self.request, ChildFilter)
        query = Child.objects.order_by("last_name", "first_name", "pk")
        if params.get("household"):
            query = query.filter(household_id=params["household"])
        if params.get("search"):
            text = params["search"].strip()
            query = query.filter(Q(last_name__icontains=text) | Q(first_name__icontains=text))
        return query


class ChildDetail(generics.RetrieveAPIView[Child]):
    scopes = READ
    serializer_class = ChildSerializer

    def get_object(self) -> Child:
        return found(Child.objects.all(), self.kwargs["pk"])


class EnrolmentFilter(serializers.Serializer[dict[str, Any]]):
    child = id_param("Les inscriptions de cet enfant.")
    service = id_param("Les inscriptions à ce service.")
    date = serializers.DateField(required=False, help_text="Les inscriptions valables ce jour.")


@extend_schema(parameters=[EnrolmentFilter])
class EnrolmentList(generics.ListAPIView[Enrollment]):
    scopes = {"GET": Scope.BOOKINGS_READ}
    serializer_class = EnrolmentSerializer

    def get_queryset(self) -> QuerySet[Enrollment]:
        params = query_params(self.request, EnrolmentFilter)
        query = Enrollment.objects.select_related("site").order_by("start_date", "pk")
        if params.get("child"):
            query = query.filter(child_id=params["child"])
        if params.get("service"):
            query = query.filter(service_id=params["service"])
        if params.get("date"):
            query = query.filter(start_date__lte=params["date"], end_date__gte=params["date"])
        return query


class HouseholdBalance(generics.GenericAPIView[Household]):
    """What the household still owes on its issued invoices, and its credit left."""

    scopes = {"GET": Scope.INVOICES_READ}
    serializer_class = BalanceSerializer

    def get(self, request: Request, pk: int) -> Response:
        household = found(Household.objects.all(), pk)
        invoices: QuerySet[Any] = with_paid_amount(
            Invoice.objects.filter(household=household, status=InvoiceStatus.FINAL)
        )
        due = invoices.aggregate(due=Sum(F("total") - F("paid_amount")))["due"] or Decimal(0)
        body = {
            "household": household.pk,
            "due": max(due, Decimal(0)),
            "credit": household_credit(household=household),
        }
        return Response(BalanceSerializer(body).data)
