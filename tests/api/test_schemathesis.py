"""Schemathesis against the checked-in schema (``docs/openapi.yaml``, equal to the code's:
tests/api/test_schema.py), in-process through Django's WSGI handler, with a key of each scope
and a key of another town: never a server error, every answer conforming to the schema (body,
content type). Another town's ids answer 404 (checked on every operation with an id below).

Profiles, as the route fuzzer's: the default run is deterministic (``derandomize``) with
``API_EXAMPLES`` = 4 examples per operation, each sent with every key; ``HYPOTHESIS_PROFILE=deep``
explores at random, 60 examples per operation."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from espacefamille.api.models import WebhookSubscription
from espacefamille.billing.models import Invoice
from espacefamille.bookings.models import Booking, BookingStatus
from espacefamille.core.tenancy import municipality_scope

from ..bookings.conftest import MON_16, Setup
from ..factories import MunicipalityFactory
from .conftest import ALL_SCOPES, key_for

pytestmark = pytest.mark.django_db

DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "deep"
API_EXAMPLES = 60 if DEEP else 4
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]

schema = schemathesis.openapi.from_path(str(Path(settings.BASE_DIR) / "docs" / "openapi.yaml"))
schema.app = WSGIHandler()
# The coverage phase (every boundary of every parameter) only in the deep profile.
schema.config.phases.coverage.enabled = DEEP
SCOPE_OF = re.compile(r"\*\*Droit nécessaire :\*\* `([a-z:]+)`")


@pytest.fixture(autouse=True)
def connections_kept_open() -> Iterator[None]:
    """Django closes the database connection when a request finishes; in-process, inside the
    test's transaction, that would close the test's own connection (PostgreSQL). Django's test
    client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@dataclass
class Keys:
    own: dict[str, str]  # scope → key text (one scope each), "all" → every scope
    other: str  # Commune Voisine, every scope
    ids: dict[str, int]


@pytest.fixture
def keys(setup: Setup) -> Keys:
    town = setup.family.household.municipality
    own = {scope: key_for(town, [scope]).text for scope in ALL_SCOPES}
    own["all"] = key_for(town, ALL_SCOPES).text
    other = key_for(MunicipalityFactory(name="Commune Voisine", slug="voisine"), ALL_SCOPES)
    with municipality_scope(town):
        booking = Booking.objects.create(
            municipality=town,
            child=setup.paul,
            product=setup.p("PAI"),
            date=MON_16,
            status=BookingStatus.VALIDATED,
        )
        subscription = WebhookSubscription.objects.create(
            municipality=town,
            url="https://example.org/hook",
            events=["booking.created"],
            secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        )
        invoice = Invoice.objects.create(
            municipality=town,
            service=setup.restaurant,
            household=setup.family.household,
            recipient_name="DUPONT",
            period_start=MON_16,
            period_end=MON_16,
            status="final",
            number="F-1",
            issued_on=MON_16,
            due_on=MON_16,
        )
    ids = {
        "households": setup.family.household.pk,
        "children": setup.paul.pk,
        "products": setup.p("REPAS").pk,
        "bookings": booking.pk,
        "invoices": invoice.pk,
        "webhooks": subscription.pk,
    }
    return Keys(own, other.text, ids)


@schema.parametrize()
@hypothesis_settings(
    max_examples=API_EXAMPLES,
    deadline=None,
    derandomize=not DEEP,
    suppress_health_check=list(HealthCheck),
)
def test_no_key_makes_the_api_fail_or_stray_from_its_schema(case: object, keys: Keys) -> None:
    """Short profile: the key of the operation's scope, a key of another scope and another
    town's key; deep: a key of each scope too."""
    needed = SCOPE_OF.search(case.operation.definition.raw["description"]).group(1)  # type: ignore[attr-defined]
    wrong = "kitchen:read" if needed != "kitchen:read" else "catalog:read"
    texts = list(keys.own.values()) if DEEP else [keys.own[needed], keys.own[wrong]]
    for text in [*texts, keys.other]:
        response = case.call(headers={"Authorization": f"Bearer {text}"})  # type: ignore[attr-defined]
        case.validate_response(response, checks=CHECKS)  # type: ignore[attr-defined]


ID_PATH = re.compile(r"^/api/v1/(\w+)/\{(id|pk)\}/")


def test_another_towns_key_gets_404_on_every_id(keys: Keys) -> None:
    paths = [
        (path, method)
        for path, operations in schema.raw_schema["paths"].items()
        for method in operations
        if ID_PATH.match(path)
    ]
    assert len(paths) >= 8
    for path, method in paths:
        kind = ID_PATH.match(path).group(1)  # type: ignore[union-attr]
        url = re.sub(r"\{(id|pk)\}", str(keys.ids[kind]), path)
        query = {"start": "2026-11-16"} if kind == "products" else {}
        for text, expected in ((keys.other, 404), (keys.own["all"], None)):
            from django.test import Client

            client = Client(HTTP_AUTHORIZATION=f"Bearer {text}")
            sent = getattr(client, method)
            response = (
                sent(url, query) if method == "get" else sent(url, content_type="application/json")
            )
            if expected is None:
                assert response.status_code < 400, (method, url, response.content)
            else:
                assert response.status_code == expected, (method, url, response.status_code)
