"""The API tests' town (the booking tests' catalog, family and frozen clock), keys of every
scope, and a second town with its own key."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client

from espacefamille.api.keys import api_key_create
from espacefamille.api.scopes import Scope
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope

from ..bookings.conftest import Setup, frozen, setup  # noqa: F401
from ..factories import MunicipalityFactory

ALL_SCOPES = [str(scope) for scope in Scope]


@dataclass
class ApiClient:
    client: Client
    text: str

    def get(self, path: str, **params: object) -> object:
        return self.client.get(path, params, HTTP_AUTHORIZATION=f"Bearer {self.text}")

    def post(self, path: str, data: object = None) -> object:
        return self.client.post(
            path,
            data or {},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.text}",
        )

    def delete(self, path: str) -> object:
        return self.client.delete(path, HTTP_AUTHORIZATION=f"Bearer {self.text}")


KeyMaker = Callable[..., ApiClient]


@pytest.fixture(autouse=True)
def fresh_rate_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def key_for(town: Municipality, scopes: list[str], **extra: object) -> ApiClient:
    with municipality_scope(town):
        new = api_key_create(
            municipality=town, name="Logiciel de test", scopes=scopes, actor=None, **extra
        )
    return ApiClient(Client(), new.text)


@pytest.fixture
def make_key(town: Municipality) -> KeyMaker:
    def make(*scopes: str, **extra: object) -> ApiClient:
        return key_for(town, list(scopes) or ALL_SCOPES, **extra)

    return make


@pytest.fixture
def api(town: Municipality) -> ApiClient:
    """A key of ``town`` with every scope."""
    return key_for(town, ALL_SCOPES)


@pytest.fixture
def other_town(db: None) -> Municipality:
    return MunicipalityFactory(name="Commune Voisine", slug="voisine")


@pytest.fixture
def other_api(other_town: Municipality) -> ApiClient:
    return key_for(other_town, ALL_SCOPES)
