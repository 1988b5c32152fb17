"""The OpenAPI schema: valid OpenAPI 3, served without a key, equal to the checked-in
``docs/openapi.yaml`` (regenerate it with ``make openapi``), every operation with its scope and
its problem+json refusals."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.test import Client

CHECKED_IN = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"


def _generated() -> str:
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    return out.getvalue()


def test_the_checked_in_schema_is_the_codes() -> None:
    assert _generated() == CHECKED_IN.read_text(encoding="utf-8"), (
        "docs/openapi.yaml differs from the code's schema: run `make openapi` and commit it."
    )


def test_every_operation_names_its_scope_and_its_refusals() -> None:
    schema = yaml.safe_load(CHECKED_IN.read_text(encoding="utf-8"))
    assert schema["openapi"].startswith("3.")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            assert "**Droit nécessaire :** `" in operation["description"], where
            problem = operation["responses"]["422"]["content"]["application/problem+json"]
            assert problem["schema"] == {"$ref": "#/components/schemas/Problem"}, where
    booking = schema["paths"]["/api/v1/bookings/"]["post"]["description"]
    assert "`past_deadline` (délai dépassé)" in booking and "`full` (complet)" in booking


@pytest.mark.django_db
def test_the_schema_is_served_as_yaml_and_json() -> None:
    client = Client()
    served = client.get("/api/v1/schema/")
    assert served.status_code == 200
    assert yaml.safe_load(served.content) == yaml.safe_load(CHECKED_IN.read_text(encoding="utf-8"))
    assert client.get("/api/v1/schema/?format=json").json()["info"]["title"]
