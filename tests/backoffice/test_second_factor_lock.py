"""Guessing the second factor: every wrong code is recorded (django-otp's delays and the login's
count survive the refused request), ten wrong codes in a row — TOTP or recovery codes — lock
the second factor for 15 minutes, the right code too, with an e-mail to the agent and entries in
the town's action log."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from espacefamille.accounts.models import SecondFactorThrottle
from espacefamille.accounts.two_factor import device_provision
from espacefamille.audit.models import ActionLogEntry
from espacefamille.backoffice.audit_labels import action_label
from espacefamille.core.tenancy import municipality_scope

from ..factories import PASSWORD
from .helpers import Agent, page_text, totp_code

pytestmark = pytest.mark.django_db

HOME = "/agents/accueil/"
# Any moment will do; frozen so that the retry time in the messages is known.
START = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
# Far enough apart that django-otp's own delay (1, 2, 4… 256 s) never refuses the code first.
BETWEEN_TRIES = timedelta(minutes=10)


def _wrong_code(secret: str) -> str:
    """Six digits that none of the accepted time steps (now, one before, one after) gives."""
    now = datetime.now().timestamp()
    accepted = {totp_code(secret, at=now + offset) for offset in (-30, 0, 30)}
    code = int(totp_code(secret, at=now))
    while f"{code:06d}" in accepted:
        code = (code + 1) % 1_000_000
    return f"{code:06d}"


def _try(client: Client, agent: Agent, code: str) -> Any:
    """Both steps of the agent's sign-in (the password step lasts 5 minutes)."""
    client.post("/agents/", {"username": agent.user.email, "password": PASSWORD})
    return client.post("/agents/code/", {"code": code})


@pytest.fixture
def frozen() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _ten_wrong_codes(client: Client, agent: Agent, traveller: time_machine.Traveller) -> None:
    for _attempt in range(10):
        traveller.shift(BETWEEN_TRIES)
        response = _try(client, agent, _wrong_code(agent.secret))
        assert response.status_code == 200
        assert client.get(HOME)["Location"] == "/agents/"


def test_eleven_wrong_codes_then_the_right_one_is_refused(
    regie: Agent, frozen: time_machine.Traveller
) -> None:
    client = Client()
    _ten_wrong_codes(client, regie, frozen)  # the tenth at 10:40, locked until 10:55
    frozen.shift(BETWEEN_TRIES)
    assert "bloquée" in page_text(_try(client, regie, _wrong_code(regie.secret)))
    frozen.shift(timedelta(minutes=4))  # 10:54
    response = _try(client, regie, totp_code(regie.secret))
    assert response.status_code == 200
    text = page_text(response)
    assert "Trop de codes incorrects de suite" in text
    assert "Réessayez à partir de 10:55" in text
    assert client.get(HOME)["Location"] == "/agents/"


def test_the_right_code_works_again_after_15_minutes(
    regie: Agent, frozen: time_machine.Traveller
) -> None:
    client = Client()
    _ten_wrong_codes(client, regie, frozen)
    frozen.shift(timedelta(minutes=14, seconds=59))
    assert _try(client, regie, totp_code(regie.secret)).status_code == 200  # still locked
    frozen.shift(timedelta(seconds=31))  # a new time step: the code was not spent above
    assert _try(client, regie, totp_code(regie.secret))["Location"] == HOME
    assert client.get(HOME).status_code == 200
    throttle = SecondFactorThrottle.objects.get(user=regie.user)
    assert (throttle.failures, throttle.locked_until) == (0, None)


def test_a_wrong_code_is_still_counted_after_the_request(
    regie: Agent, frozen: time_machine.Traveller
) -> None:
    client = Client()
    response = _try(client, regie, _wrong_code(regie.secret))
    assert "Code incorrect" in page_text(response)
    assert SecondFactorThrottle.objects.get(user=regie.user).failures == 1
    device = TOTPDevice.objects.get(user=regie.user)
    assert device.throttling_failure_count == 1  # django-otp's own delay, not rolled back
    response = _try(client, regie, totp_code(regie.secret))  # in the same second
    assert "patientez" in page_text(response)
    assert client.get(HOME)["Location"] == "/agents/"


def test_guessing_recovery_codes_is_locked_the_same_way(
    regie: Agent, frozen: time_machine.Traveller
) -> None:
    codes = device_provision(user=regie.user)
    client = Client()
    for attempt in range(10):
        frozen.shift(BETWEEN_TRIES)
        response = _try(client, regie, f"zz{attempt:06d}")
        assert response.status_code == 200
    frozen.shift(timedelta(minutes=1))
    assert "bloquée" in page_text(_try(client, regie, codes.recovery_codes[0]))
    assert "bloquée" in page_text(_try(client, regie, totp_code(codes.secret)))
    assert client.get(HOME)["Location"] == "/agents/"
    assert StaticToken.objects.filter(token=codes.recovery_codes[0]).exists()  # not spent
    frozen.shift(timedelta(minutes=15))
    assert _try(client, regie, codes.recovery_codes[0])["Location"] == HOME


def test_wrong_codes_of_both_kinds_count_together(
    regie: Agent, frozen: time_machine.Traveller
) -> None:
    codes = device_provision(user=regie.user)
    client = Client()
    for attempt in range(10):
        frozen.shift(BETWEEN_TRIES)
        wrong = _wrong_code(codes.secret) if attempt % 2 else f"zz{attempt:06d}"
        _try(client, regie, wrong)
    frozen.shift(timedelta(minutes=1))
    assert "bloquée" in page_text(_try(client, regie, totp_code(codes.secret)))


def test_a_right_code_clears_the_count(regie: Agent, frozen: time_machine.Traveller) -> None:
    client = Client()
    for _attempt in range(9):
        frozen.shift(BETWEEN_TRIES)
        _try(client, regie, _wrong_code(regie.secret))
    frozen.shift(BETWEEN_TRIES)
    assert _try(client, regie, totp_code(regie.secret))["Location"] == HOME
    frozen.shift(BETWEEN_TRIES)
    other = Client()
    response = _try(other, regie, _wrong_code(regie.secret))
    assert "bloquée" not in page_text(response)
    assert SecondFactorThrottle.objects.get(user=regie.user).failures == 1


def test_the_lock_sends_an_email_to_the_agent(
    regie: Agent,
    frozen: time_machine.Traveller,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = Client()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _ten_wrong_codes(client, regie, frozen)
    (message,) = mail.outbox
    assert message.to == [regie.user.email]
    assert "bloquée" in message.subject
    assert "10 codes de vérification incorrects" in message.body
    assert "à partir de 10:55" in message.body
    assert regie.secret not in message.body
    with django_capture_on_commit_callbacks(execute=True):
        frozen.shift(timedelta(minutes=1))
        _try(client, regie, totp_code(regie.secret))  # refused while locked: no second e-mail
    assert len(mail.outbox) == 1


def test_failures_and_the_lock_are_in_the_action_log(
    regie: Agent, frozen: time_machine.Traveller
) -> None:
    client = Client()
    _ten_wrong_codes(client, regie, frozen)
    with municipality_scope(regie.role.municipality_id):
        entries = list(
            ActionLogEntry.objects.filter(action__startswith="agent.second_factor").order_by("pk")
        )
    assert [entry.action for entry in entries] == ["agent.second_factor_failure"] * 10 + [
        "agent.second_factor_lock"
    ]
    assert all(entry.actor == regie.user for entry in entries)
    assert entries[0].changes["codes incorrects de suite"] == [0, 1]
    assert entries[0].changes["moyen"] == [None, "application d'authentification"]
    assert entries[-1].changes["bloqué jusqu'à"] == [None, "10/03/2026 10:55"]
    assert "bloqu" in action_label("agent.second_factor_lock")
    assert "incorrect" in action_label("agent.second_factor_failure")


def test_a_new_device_from_an_administrator_lifts_the_lock(
    administrator: Agent, regie: Agent, frozen: time_machine.Traveller
) -> None:
    from espacefamille.configuration.agents import agent_device_reset

    client = Client()
    _ten_wrong_codes(client, regie, frozen)
    with municipality_scope(regie.role.municipality_id):
        secrets = agent_device_reset(agent_role=regie.role, actor=administrator.user)
    frozen.shift(timedelta(minutes=1))
    assert _try(client, regie, totp_code(secrets.secret))["Location"] == HOME
