"""Sign-in by e-mail, lockout with a cool-off, password reset, sign-up, town switcher."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from espacefamille.accounts.models import User

from ..conftest import Family, make_family
from ..factories import PASSWORD, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


def _login(client: Client, email: str, password: str) -> object:
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_login_by_email_case_insensitive(family: Family) -> None:
    client = Client()
    response = _login(client, "FAMILLE@example.org", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200


def test_wrong_password_gets_a_french_message(family: Family) -> None:
    response = _login(Client(), "famille@example.org", "mauvais")
    assert "Identifiant ou mot de passe incorrect" in response.content.decode()


def test_lockout_after_five_failures_with_cool_off(family: Family) -> None:
    client = Client()
    for _ in range(5):
        _login(client, "famille@example.org", "mauvais")
    locked = _login(client, "famille@example.org", PASSWORD)
    assert locked.status_code == 429
    assert "temporairement bloquée" in locked.content.decode()
    # Another account from the same address is not locked (per account *and* address).
    UserFactory(email="voisin@example.org")
    assert _login(Client(), "voisin@example.org", PASSWORD).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert _login(Client(), "famille@example.org", PASSWORD).status_code == 302


def test_password_reset_by_email(
    family: Family, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "famille@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/reinitialiser/\S+/)", mail.outbox[0].body)
    assert link
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    new = "Garderie-du-Soir-18"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert _login(Client(), "famille@example.org", new).status_code == 302


def test_password_reset_does_not_reveal_unknown_addresses(
    db: None, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            reverse("accounts:password_reset"), {"email": "inconnu@example.org"}
        )
    assert response.status_code == 302
    assert mail.outbox == []


def test_change_password(family: Family) -> None:
    response = family.client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Garderie-du-Soir-18",
            "new_password2": "Garderie-du-Soir-18",
        },
    )
    assert response.status_code == 302
    family.user.refresh_from_db()
    assert family.user.check_password("Garderie-du-Soir-18")


SIGNUP = {
    "last_name": "MARTIN",
    "first_name": "Léa",
    "email": "Lea.Martin@example.org",
    "password1": "Cantine-du-Lundi-7",
    "password2": "Cantine-du-Lundi-7",
}


def test_signup_confirmed_by_email_then_join_code_page(
    db: None, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")
    user = User.objects.get()
    assert user.email == "lea.martin@example.org"
    assert not user.is_active  # until the address is confirmed
    link = re.search(r"http://testserver(/inscription/confirmer/\S+/)", mail.outbox[0].body)
    assert link
    confirmed = client.get(link.group(1))
    assert confirmed["Location"] == reverse("portal:join")
    user.refresh_from_db()
    assert user.is_active
    assert client.get(link.group(1)).status_code == 404  # single use


def test_logout_is_a_post(family: Family) -> None:
    assert family.client.get(reverse("accounts:logout")).status_code == 405
    assert family.client.post(reverse("accounts:logout")).status_code == 302
    assert family.client.get(reverse("portal:home")).status_code == 302


def test_switch_town(family: Family) -> None:
    neighbour = MunicipalityFactory(name="Commune Voisine")
    other = make_family(neighbour, email="autre@example.org")
    # give the same login a file in the neighbour town
    from espacefamille.core.tenancy import municipality_scope

    with municipality_scope(neighbour):
        other.guardian.user = family.user
        other.guardian.save()
    home = family.client.get(reverse("portal:home")).content.decode()
    assert "Commune Voisine" in home and "Commune de Test" in home
    family.client.post(reverse("portal:switch_municipality"), {"municipality": neighbour.pk})
    contacts = family.client.get(reverse("portal:contacts")).content.decode()
    assert f'<h2 id="town-{neighbour.pk}">Commune Voisine</h2>' in contacts
    # a town the login has no file in is refused
    stranger = MunicipalityFactory(name="Commune Étrangère")
    response = family.client.post(
        reverse("portal:switch_municipality"), {"municipality": stranger.pk}, follow=True
    )
    assert "aucun foyer de cette commune" in response.content.decode()
    contacts = family.client.get(reverse("portal:contacts")).content.decode()
    assert "Commune Étrangère" not in contacts
