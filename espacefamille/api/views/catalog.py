"""What the town offers: services, products, their days with the places left (read from the
capacity ledger, ``bookings.ProductDay``), closures. Scope ``catalog:read``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from espacefamille.bookings.models import ProductDay
from espacefamille.catalog.calendar import TownCalendar
from espacefamille.catalog.models import Closure, ClosureProduct, Product, Service
from espacefamille.core.dates import daterange

from ..scopes import Scope
from ..serializers import (
    ClosureSerializer,
    ProductDaySerializer,
    ProductSerializer,
    ServiceSerializer,
)
from .base import found, id_param, period, query_params

READ = {"GET": Scope.CATALOG_READ}


class ServiceList(generics.ListAPIView[Service]):
    """The town's services (régies)."""

    scopes = READ
    serializer_class = ServiceSerializer

    def get_queryset(self) -> QuerySet[Service]:
        return Service.objects.order_by("name", "pk")


class ProductFilter(serializers.Serializer[dict[str, Any]]):
    service = id_param("Les prestations de ce service seulement.")


@extend_schema(parameters=[ProductFilter])
class ProductList(generics.ListAPIView[Product]):
    """The products (prestations), by service."""

    scopes = READ
    serializer_class = ProductSerializer

    def get_queryset(self) -> QuerySet[Product]:
        params = query_params(self.request, ProductFilter)
        query = Product.objects.order_by("service_id", "name", "pk")
        if params.get("service"):
            query = query.filter(service_id=params["service"])
        return query


class DaysFilter(serializers.Serializer[dict[str, Any]]):
    start = serializers.DateField(help_text="Premier jour (AAAA-MM-JJ).")
    end = serializers.DateField(required=False, help_text="Dernier jour, 62 jours au plus.")


def product_days(product: Product, start: date, end: date) -> list[dict[str, Any]]:
    """Each day of the period: open or why not, and the places left from the ledger (None
    when the product has no limit)."""
    calendar = TownCalendar.load(product.municipality, start, end)
    rows = {
        row.date: row
        for row in ProductDay.objects.filter(product=product, date__range=(start, end))
    }
    days = []
    for day in daterange(start, end):
        reason = calendar.closed_reason(product, day)
        row = rows.get(day)
        capacity = row.capacity if row is not None else product.capacity
        taken = row.taken if row is not None else 0
        days.append(
            {
                "date": day,
                "open": reason is None,
                "closed_reason": reason or "",
                "capacity": capacity,
                "taken": taken,
                "places_left": None if capacity is None else max(capacity - taken, 0),
            }
        )
    return days


class ProductDays(generics.GenericAPIView[Product]):
    """A product's days over a period (62 days at most): open or not, places left."""

    scopes = READ
    serializer_class = ProductDaySerializer
    pagination_class = None

    @extend_schema(parameters=[DaysFilter], responses=ProductDaySerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        params = query_params(request, DaysFilter)
        start, end = period(params["start"], params.get("end"))
        product = found(Product.objects.select_related("municipality"), pk)
        return Response(ProductDaySerializer(product_days(product, start, end), many=True).data)


class ClosureFilter(serializers.Serializer[dict[str, Any]]):
    start = serializers.DateField(
        required=False, help_text="Fermetures finissant ce jour ou après."
    )
    end = serializers.DateField(required=False, help_text="Fermetures commençant ce jour ou avant.")


@extend_schema(parameters=[ClosureFilter])
class ClosureList(generics.ListAPIView[Closure]):
    """The town's closures; ``products`` empty: every product."""

    scopes = READ
    serializer_class = ClosureSerializer

    def get_queryset(self) -> QuerySet[Closure]:
        params = query_params(self.request, ClosureFilter)
        query = Closure.objects.order_by("start_date", "pk")
        if params.get("start"):
            query = query.filter(end_date__gte=params["start"])
        if params.get("end"):
            query = query.filter(start_date__lte=params["end"])
        return query

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        links: dict[int, list[int]] = {}
        for closure_id, product_id in ClosureProduct.objects.filter(
            closure_id__in=[closure.pk for closure in page]
        ).values_list("closure_id", "product_id"):
            links.setdefault(closure_id, []).append(product_id)
        rows = [
            {
                "id": closure.pk,
                "start_date": closure.start_date,
                "end_date": closure.end_date,
                "reason": closure.reason,
                "products": sorted(links.get(closure.pk, [])),
            }
            for closure in page
        ]
        return self.get_paginated_response(ClosureSerializer(rows, many=True).data)
