from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from espacefamille.accounts.models import User
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Guardian, Household

from .factories import GuardianFactory, HouseholdFactory, MunicipalityFactory, UserFactory
from .frozen_today import frozen_moment, start_travel
from .postgres_flush import flush_by_delete

# Hypothesis profiles: "default" for every run (each property test keeps its own bounded
# settings); "deep" for a nightly run (HYPOTHESIS_PROFILE=deep): many more examples, e.g. 30
# per route and actor in tests/security/test_every_route_fuzzed.py. No timing decides a test
# (the CI machine is shared and loaded): no per-example deadline, no "too slow" health check.
_UNTIMED = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
hypothesis_settings.register_profile("default", **_UNTIMED)
hypothesis_settings.register_profile("deep", max_examples=1000, **_UNTIMED)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

_TRAVEL = start_travel()  # ESPACEFAMILLE_TODAY: the whole run on a day it chooses


def pytest_report_header() -> str:
    moment = frozen_moment()
    return f"today: {moment:%A %Y-%m-%d %H:%M} (ESPACEFAMILLE_TODAY)" if moment else ""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if frozen_moment() is None:
        return
    skip = pytest.mark.skip(reason="live-server races keep the real clock: today's run has them")
    for item in items:
        if "concurrency" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def postgresql_flushes_by_delete() -> Iterator[None]:
    """After a transactional test, PostgreSQL empties its tables by DELETE (postgres_flush.py)."""
    with flush_by_delete():
        yield


@pytest.fixture(autouse=True)
def capacity_ledger_stays_exact(request: pytest.FixtureRequest) -> Iterator[None]:
    """After every test that touches the database, the capacity ledger of every town equals
    the bookings and holds it counts (what ``check_capacity`` checks in production)."""
    if request.node.get_closest_marker("django_db") is None or "e2e" in request.keywords:
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up before this fixture, torn down after
    yield
    from espacefamille.bookings.ledger_check import ledger_differences

    for municipality in Municipality.objects.all():
        with municipality_scope(municipality):
            assert ledger_differences() == [], f"capacity ledger of {municipality.slug}"


@pytest.fixture
def town(db: None) -> Municipality:
    return MunicipalityFactory(name="Commune de Test", slug="test")


@pytest.fixture
def scoped(town: Municipality) -> Iterator[Municipality]:
    """Run the test inside the town's scope, as a request of that town would."""
    with municipality_scope(town):
        yield town


@dataclass
class Family:
    user: User
    household: Household
    guardian: Guardian
    client: Client


def make_family(town: Municipality, email: str = "famille@example.org") -> Family:
    user = UserFactory(email=email)
    household = HouseholdFactory(municipality=town, name="DUPONT")
    guardian = GuardianFactory(household=household, user=user, rank=1, email=email)
    client = Client()
    client.force_login(user)
    return Family(user, household, guardian, client)


@pytest.fixture
def family(town: Municipality) -> Family:
    """A signed-in family with a household file in ``town``."""
    return make_family(town)
