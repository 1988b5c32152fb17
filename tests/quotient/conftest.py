"""Replaying the public staging answers of API Particulier (``../shared/api-particulier/``,
or the folder ``API_PARTICULIER_STAGING_DIR`` names) with only the HTTP transport faked:
``requests``' ``HTTPAdapter.send`` returns the recorded answer, everything above it (the
session, the address, the parameters, the headers) is the real code. Without the folder the
tests that need it are skipped, or fail when ``CI`` is set."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import yaml

from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.quotient.client import Identity
from espacefamille.quotient.consents import quotient_consent_set
from espacefamille.quotient.models import QuotientSettings

from ..billing.conftest import billing  # noqa: F401  (the bracket test drafts a run)
from ..conftest import Family, make_family

REPO = Path(__file__).resolve().parents[2]
STAGING = Path(
    os.environ.get("API_PARTICULIER_STAGING_DIR")
    or REPO.parent / "shared" / "api-particulier" / "quotient_familial_v3"
)
TOKEN = "eyJhbGciOiJIUzI1NiJ9.test-token-secret-1234"
SIRET = "21840007100005"


def staging_dir() -> Path:
    if not STAGING.is_dir():
        message = f"staging answers of API Particulier absent ({STAGING})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return STAGING


@dataclass
class Case:
    name: str
    status: int
    params: dict[str, Any]
    payload: str

    def identity(self) -> Identity:
        p = self.params
        prenoms = p.get("prenoms") or ["INCONNU"]
        return Identity(
            birth_name=p.get("nomNaissance", ""),
            first_names=list(prenoms),
            sex=p.get("sexeEtatCivil", "F"),
            birth_date=date(
                p.get("anneeDateNaissance", 1980),
                p.get("moisDateNaissance", 1),
                p.get("jourDateNaissance", 1),
            ),
            birth_country=p.get("codeCogInseePaysNaissance", "99100"),
            birth_commune=p.get("codeCogInseeCommuneNaissance", ""),
        )


def load_case(name: str) -> Case:
    path = staging_dir() / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Case(name, int(data["status"]), data["params"], data["payload"])


def case_names(prefix: str) -> list[str]:
    if not STAGING.is_dir():
        return [f"{prefix}-absent"]  # the test then skips (or fails under CI) in load_case
    return sorted(p.name for p in STAGING.glob(f"{prefix}*.yaml"))


@dataclass
class FakeTransport:
    """Answers every request with ``status`` and ``body``, or raises ``error``."""

    status: int = 200
    body: bytes = b""
    error: Exception | None = None
    requests: list[requests.PreparedRequest] = field(default_factory=list)
    by_birth_name: dict[str, Case] = field(default_factory=dict)

    def answer(self, case: Case) -> None:
        self.status, self.body, self.error = case.status, case.payload.encode(), None

    def send(self, _adapter: object, request: requests.PreparedRequest, **_kw: Any) -> Any:
        self.requests.append(request)
        if self.error is not None:
            raise self.error
        status, body = self.status, self.body
        if self.by_birth_name:
            name = parse_qs(urlsplit(request.url or "").query)["nomNaissance"][0]
            case = self.by_birth_name[name]
            status, body = case.status, case.payload.encode()
        response = requests.Response()
        response.status_code = status
        response._content = body
        response.headers["Content-Type"] = "application/json"
        response.url = request.url or ""
        response.request = request
        return response


@pytest.fixture
def transport() -> Iterator[FakeTransport]:
    fake = FakeTransport()

    def send(adapter: object, request: requests.PreparedRequest, **kw: Any) -> Any:
        return fake.send(adapter, request, **kw)

    with mock.patch.object(requests.adapters.HTTPAdapter, "send", send):
        yield fake


@dataclass
class Setup:
    town: Municipality
    family: Family
    config: QuotientSettings


@pytest.fixture
def setup(town: Municipality) -> Iterator[Setup]:
    with municipality_scope(town):
        family = make_family(town)
        config = QuotientSettings.objects.create(
            municipality=town, is_enabled=True, token=TOKEN, recipient=SIRET
        )
        quotient_consent_set(household=family.household, granted=True, actor=family.user)
        yield Setup(town, family, config)


def body_of(case: Case) -> Any:
    return json.loads(case.payload)
