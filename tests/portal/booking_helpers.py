"""Shared by the tests of the "Mes réservations" pages."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from django.urls import reverse

from espacefamille.bookings.models import CartLine
from espacefamille.core.tenancy import municipality_scope

from ..bookings.conftest import Setup

AGENDA = reverse("portal:agenda")
TOGGLE = reverse("portal:agenda_toggle")
PERIOD = reverse("portal:period")
PERIOD_CHILDREN = reverse("portal:period_children")
HTMX = {"HTTP_HX_REQUEST": "true"}


def params(s: Setup, child: Any = None, **extra: Any) -> dict[str, Any]:
    child = child or s.paul
    return {"service": s.restaurant.pk, "enfant": child.pk, "semaine": "2026-11-09", **extra}


def click(s: Setup, product: str, day: date, child: Any = None, **headers: str) -> Any:
    data = params(s, child, cellule=f"{s.p(product).pk}:{day.isoformat()}")
    return s.family.client.post(TOGGLE, data, **headers)


def cart_lines(s: Setup) -> list[tuple[str, str, date, str]]:
    with municipality_scope(s.paul.municipality):
        return [
            (line.child.first_name, line.product.name, line.date, line.action)
            for line in CartLine.objects.select_related("child", "product").order_by("date")
        ]


def page_text(response: Any) -> str:
    return html.unescape(response.content.decode())


def period_dates(s: Setup, start: str, end: str) -> Any:
    data = {"service": s.restaurant.pk, "start": start, "end": end}
    return s.family.client.post(PERIOD, data)
