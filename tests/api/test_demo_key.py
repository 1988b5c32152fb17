"""``make demo`` prints a read-only key of Commune de Démo on a line of its own containing
« Clé API »; with it the schema's reads answer, writes are refused, and Commune Voisine's ids
answer 404; a second run revokes the first key."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Household

pytestmark = pytest.mark.django_db


def _demo_key() -> str:
    out = StringIO()
    call_command("load_demo", base_url="http://demo.test", stdout=out)
    (line,) = [line for line in out.getvalue().splitlines() if "Clé API" in line]
    return line.rsplit(" ", 1)[-1]


def test_the_demo_prints_a_read_key() -> None:
    first = _demo_key()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {first}")
    households = client.get("/api/v1/households/").json()
    assert households["count"] > 0
    assert client.post("/api/v1/bookings/", {}, content_type="application/json").status_code == 403
    from espacefamille.core.models import Municipality

    neighbour = Municipality.objects.get(slug="voisine")
    with municipality_scope(neighbour):
        theirs = Household.objects.first()
    assert theirs is not None
    assert client.get(f"/api/v1/households/{theirs.pk}/").status_code == 404
    second = _demo_key()
    assert second != first
    assert client.get("/api/v1/households/").status_code == 401
    assert Client(HTTP_AUTHORIZATION=f"Bearer {second}").get("/api/v1/services/").status_code == 200
