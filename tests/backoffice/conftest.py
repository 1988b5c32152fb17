"""Fixtures of the back-office tests: one agent per role of the test town, signed in."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from espacefamille.core.models import Municipality

from .helpers import Agent, make_agent


@pytest.fixture
def agent_factory(town: Municipality) -> Callable[..., Agent]:
    def build(role: str = "administrator", **kwargs: object) -> Agent:
        return make_agent(town, role, **kwargs)  # type: ignore[arg-type]

    return build


@pytest.fixture
def administrator(town: Municipality) -> Agent:
    return make_agent(town, "administrator")


@pytest.fixture
def regie(town: Municipality) -> Agent:
    return make_agent(town, "regie")


@pytest.fixture
def facilitator(town: Municipality) -> Agent:
    return make_agent(town, "facilitator", sites=["École Jules Ferry"])


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: object) -> None:
    """Argon2 is deliberately slow; these tests create many logins."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
