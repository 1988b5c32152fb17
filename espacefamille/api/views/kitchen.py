"""The caterer's counts (``kitchen:read``): per day, site and product the meals booked, the
requests still awaiting approval and the forecast from the attendance of past weeks, with the
diets counted per site (``kitchen.counts``, the screen « Effectifs repas »). Counts only: no
child's name, no PAI (health data stays in the back office)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from espacefamille.catalog.models import Service
from espacefamille.kitchen.counts import kitchen_counts

from ..scopes import Scope
from ..serializers import KitchenSiteSerializer
from .base import found, id_param, period, query_params


class KitchenFilter(serializers.Serializer[dict[str, Any]]):
    service = id_param("Le service de restauration.", required=True)
    start = serializers.DateField(help_text="Premier jour (AAAA-MM-JJ).")
    end = serializers.DateField(required=False, help_text="Dernier jour (31 jours au plus).")
    site = serializers.CharField(required=False, max_length=120, help_text="Un site seulement.")


class KitchenCounts(generics.GenericAPIView[Service]):
    scopes = {"GET": Scope.KITCHEN_READ}
    serializer_class = KitchenSiteSerializer
    pagination_class = None

    @extend_schema(parameters=[KitchenFilter], responses=KitchenSiteSerializer(many=True))
    def get(self, request: Request) -> Response:
        params = query_params(request, KitchenFilter)
        start, end = period(params["start"], params.get("end"), days=31)
        service = found(Service.objects.all(), params["service"])
        counts = kitchen_counts(service=service, start=start, end=end, today=timezone.localdate())
        rows = [
            {
                "date": day.day,
                "site": site.site,
                "booked": site.booked,
                "forecast": site.forecast,
                "products": [
                    {
                        "product": count.product.pk,
                        "name": count.product.name,
                        "booked": count.booked,
                        "requested": count.requested,
                        "forecast": count.forecast,
                    }
                    for count in site.products
                ],
                "diets": [{"diet": label, "count": number} for label, number in site.diets],
            }
            for day in counts.days
            for site in day.sites
            if not params.get("site") or site.site == params["site"]
        ]
        return Response(KitchenSiteSerializer(rows, many=True).data)
