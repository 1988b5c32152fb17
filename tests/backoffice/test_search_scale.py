"""The household search stays one query on a town of 5,000 households (the size the issue
names); its speed is a figure to measure, not a test to assert
(docs/architecture.md#tests-races-and-measures)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Child, Guardian, Household
from espacefamille.households.search import RESULTS_LIMIT, household_search

pytestmark = pytest.mark.django_db

HOUSEHOLDS = 5_000


def _town_of_5000(town: Municipality) -> None:
    Household.objects.bulk_create(
        Household(municipality=town, name=f"FAMILLE {n:05d}", external_ref=f"R{n}")
        for n in range(HOUSEHOLDS)
    )
    with municipality_scope(town):
        ids = list(Household.objects.values_list("pk", flat=True))
    Guardian.objects.bulk_create(
        Guardian(
            municipality=town,
            household_id=pk,
            rank=1,
            first_name="Parent",
            last_name=f"NOM{n}",
            email=f"parent{n}@example.org",
            mobile_phone=f"+336{n:08d}",
        )
        for n, pk in enumerate(ids)
    )
    Child.objects.bulk_create(
        Child(
            municipality=town,
            household_id=pk,
            first_name=f"Enfant{n}",
            last_name=f"NOM{n}",
            birth_date="2018-01-01",
        )
        for n, pk in enumerate(ids)
    )


def test_search_is_one_query_on_5000_households(town: Municipality) -> None:
    _town_of_5000(town)
    with municipality_scope(town):
        for query in ("famille 04999", "Enfant1234", "parent77@", "06 00 00 42 42", ""):
            with CaptureQueriesContext(connection) as queries:
                found = list(household_search(query=query)[:RESULTS_LIMIT])
            assert len(queries) == 1, query
            assert found, query
