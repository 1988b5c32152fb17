"""Activation links: single use, expiring, revoked by a newer link; the three-step wizard."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from espacefamille.accounts.errors import AccountError
from espacefamille.accounts.models import Invitation, User
from espacefamille.accounts.tokens import hash_token
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Guardian, HouseholdChange
from espacefamille.onboarding.invitations import (
    account_activate,
    invitation_find,
    invitation_send,
)

from ..factories import ChildFactory, GuardianFactory, HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)  # e-mails leave after commit

PASSWORD = "Cantine-du-Lundi-7"


@pytest.fixture
def guardian(town):  # type: ignore[no-untyped-def]
    household = HouseholdFactory(municipality=town, name="TESTMP")
    ChildFactory(household=household, first_name="Clara")
    ChildFactory(household=household, first_name="Guilhem")
    return GuardianFactory(
        household=household, rank=1, first_name="Marc", email="Marc.Testmp@example.org"
    )


@dataclass(frozen=True)
class Sent:
    invitation: Invitation
    token: str  # read in the e-mail: only the task that sent it ever had it


def _send(guardian):  # type: ignore[no-untyped-def]
    with municipality_scope(guardian.municipality):
        sent = invitation_send(guardian=guardian, base_url="http://famille.test")
    found = re.search(r"/activation/([^/\s]+)/", mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return Sent(sent.invitation, found.group(1))


def test_invitation_email_carries_a_single_use_link(guardian) -> None:  # type: ignore[no-untyped-def]
    sent = _send(guardian)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["marc.testmp@example.org"]
    assert f"http://famille.test/activation/{sent.token}/" in message.body
    assert "Choisir un mot de passe" in message.alternatives[0][0]
    with municipality_scope(guardian.municipality):
        stored = Invitation.objects.get()
    assert stored.token_hash != sent.token  # only the hash is kept
    assert sent.token not in stored.token_hash
    assert stored.token_hash == hash_token(sent.token)


def test_wrong_expired_and_used_links_are_refused(guardian) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AccountError, match="pas valide"):
        invitation_find("not-a-token")
    sent = _send(guardian)
    with (
        time_machine.travel(timezone.now() + timedelta(days=31)),
        pytest.raises(AccountError, match="expiré"),
    ):
        invitation_find(sent.token)
    account_activate(token=sent.token, password_hash=make_password(PASSWORD))
    with pytest.raises(AccountError, match="déjà été utilisé"):
        invitation_find(sent.token)


def test_a_new_link_revokes_the_previous_one(guardian) -> None:  # type: ignore[no-untyped-def]
    first = _send(guardian)
    second = _send(guardian)
    with pytest.raises(AccountError):
        invitation_find(first.token)
    assert invitation_find(second.token).pk == second.invitation.pk


def test_a_link_to_another_guardian_revokes_the_households_older_link(guardian) -> None:  # type: ignore[no-untyped-def]
    first = _send(guardian)
    second_guardian = GuardianFactory(
        household=guardian.household, rank=2, email="conjoint@example.org"
    )
    _send(second_guardian)
    with pytest.raises(AccountError):
        invitation_find(first.token)


def test_activation_creates_the_login_and_records_guardian_changes(guardian) -> None:  # type: ignore[no-untyped-def]
    sent = _send(guardian)
    mail.outbox.clear()
    user = account_activate(
        token=sent.token,
        password_hash=make_password(PASSWORD),
        guardian_data={"mobile_phone": "+33699999999"},
    )
    assert user.email == "marc.testmp@example.org"
    assert user.check_password(PASSWORD)
    with municipality_scope(guardian.municipality):
        assert Guardian.objects.get(pk=guardian.pk).user == user
        linked, change = HouseholdChange.objects.order_by("pk")
        assert linked.changes == {"compte": [None, "marc.testmp@example.org"]}
        assert change.changes["mobile_phone"] == ["+33 6 12 34 56 78", "+33 6 99 99 99 99"]
    assert [m.subject for m in mail.outbox] == ["Votre compte espace famille a bien été créé"]


def test_existing_login_is_reused(guardian) -> None:  # type: ignore[no-untyped-def]
    existing = UserFactory(email="marc.testmp@example.org")
    sent = _send(guardian)
    user = account_activate(token=sent.token, password_hash=make_password("Autre-Mot-2026!"))
    assert user.pk == existing.pk
    assert User.objects.count() == 1


def _wizard(client: Client, token: str, password: str = PASSWORD) -> object:
    step1 = reverse("portal:activate", kwargs={"token": token})
    client.post(step1, {"password1": password, "password2": password})
    client.post(
        reverse("portal:activate_guardians", kwargs={"token": token}),
        {
            "civility": "M",
            "last_name": "TESTMP",
            "first_name": "Marc",
            "mobile_phone": "06 12 34 56 78",
        },
    )
    return client.post(reverse("portal:activate_children", kwargs={"token": token}))


def test_wizard_shows_the_email_and_the_children(guardian) -> None:  # type: ignore[no-untyped-def]
    sent = _send(guardian)
    client = Client()
    page = client.get(reverse("portal:activate", kwargs={"token": sent.token})).content
    assert b'value="marc.testmp@example.org" readonly' in page
    weak = client.post(
        reverse("portal:activate", kwargs={"token": sent.token}),
        {"password1": "azerty", "password2": "azerty"},
    )
    assert weak.status_code == 200
    assert "trop court" in weak.content.decode()
    client.post(
        reverse("portal:activate", kwargs={"token": sent.token}),
        {"password1": PASSWORD, "password2": PASSWORD},
    )
    client.post(
        reverse("portal:activate_guardians", kwargs={"token": sent.token}),
        {
            "civility": "M",
            "last_name": "TESTMP",
            "first_name": "Marc",
            "mobile_phone": "06 12 34 56 78",
        },
    )
    page = client.get(reverse("portal:activate_children", kwargs={"token": sent.token}))
    assert "Clara" in page.content.decode() and "Guilhem" in page.content.decode()


def test_wizard_end_to_end_then_link_is_spent(guardian) -> None:  # type: ignore[no-untyped-def]
    sent = _send(guardian)
    client = Client()
    response = _wizard(client, sent.token)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:children")).status_code == 200
    again = Client().get(reverse("portal:activate", kwargs={"token": sent.token}))
    assert again.status_code == 410
    assert "déjà été utilisé" in again.content.decode()


def test_wizard_steps_cannot_be_skipped(guardian) -> None:  # type: ignore[no-untyped-def]
    sent = _send(guardian)
    client = Client()
    response = client.post(reverse("portal:activate_children", kwargs={"token": sent.token}))
    assert response.status_code == 302
    assert User.objects.count() == 0
