"""What a probe of the portal found (issue 7, item 5): each finding, as a test that failed
before its fix."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from espacefamille.accounts.models import User
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Child, EmergencyContact, Guardian
from espacefamille.onboarding.importing import COLUMNS, household_file_parse

from ..conftest import Family
from ..factories import PASSWORD, ChildFactory, UserFactory

pytestmark = pytest.mark.django_db

ESC, BEL, RLO = "\x1b", "\x07", "\u202e"
GUARDIAN = {
    "civility": "MME",
    "first_name": "Claire",
    "last_name": "DUPONT",
    "birth_date": "12/05/1985",
    "address": "1 rue de la Mairie",
    "postcode": "84000",
    "city": "Avignon",
    "country": "France",
    "mobile_phone": "06 12 34 56 78",
}


def _child_post(child: Child, **changes: Any) -> dict[str, Any]:
    return {
        "civility": "G",
        "first_name": child.first_name,
        "last_name": child.last_name,
        "birth_date": child.birth_date.strftime("%d/%m/%Y"),
        **changes,
    }


def test_a_diet_id_beyond_64_bits_is_an_invalid_choice(family: Family) -> None:
    child = ChildFactory(household=family.household)
    response = family.client.post(
        f"/foyer/enfants/{child.pk}/", _child_post(child, diets=str(2**63))
    )
    assert response.status_code == 200
    assert response.context["form"].errors["diets"]


@pytest.mark.parametrize("url", ["/foyer/complements/urgence/0/", "/foyer/responsables/0/"])
def test_id_zero_is_not_an_add(family: Family, url: str) -> None:
    data = {"last_name": "MARTIN", "first_name": "Paul", "phone": "0612345678", **GUARDIAN}
    assert family.client.post(url, data).status_code == 404
    with municipality_scope(family.household.municipality):
        assert not EmergencyContact.objects.exists()
        assert Guardian.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", f"Cla{ESC}[31mire"),
        ("last_name", f"DUPONT{BEL}"),
        ("last_name", f"{RLO}TNOPUD"),
        ("address", "1 rue\r\nde la Mairie"),
        ("city", f"Avi{RLO}gnon"),
        ("postcode", "😀"),
        ("postcode", "abcdef"),
        ("postcode", "8400"),
        ("birth_date", "01/01/0001"),
        ("birth_date", "31/12/9999"),
    ],
)
def test_guardian_form_refuses_what_no_guardian_is(family: Family, field: str, value: str) -> None:
    url = f"/foyer/responsables/{family.guardian.pk}/"
    response = family.client.post(url, {**GUARDIAN, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    family.guardian.refresh_from_db()
    assert family.guardian.first_name == "Camille"


def test_foreign_postcodes_keep_their_own_shape(family: Family) -> None:
    url = f"/foyer/responsables/{family.guardian.pk}/"
    data = {**GUARDIAN, "country": "Belgique", "postcode": "B-1000", "city": "Bruxelles"}
    assert family.client.post(url, data).status_code == 302
    family.guardian.refresh_from_db()
    assert family.guardian.postcode == "B-1000"


@pytest.mark.parametrize("born", ["01/01/0001", "31/12/9999", "01/01/1950"])
def test_child_birth_date_is_plausible(family: Family, born: str) -> None:
    child = ChildFactory(household=family.household)
    response = family.client.post(
        f"/foyer/enfants/{child.pk}/", _child_post(child, birth_date=born)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"]


@pytest.mark.parametrize("name", [f"DUPONT{ESC}", f"{RLO}TNOPUD", "DUPONT\nMARTIN"])
def test_household_name_refuses_control_characters(family: Family, name: str) -> None:
    response = family.client.post("/foyer/", {"name": name})
    assert response.status_code == 200
    family.household.refresh_from_db()
    assert family.household.name == "DUPONT"


def test_csv_import_refuses_control_characters_and_future_births() -> None:
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        household_ref="F1",
        household_name=f"MARTIN{RLO}",
        guardian1_last_name=f"MARTIN{ESC}",
        guardian1_first_name="Claire",
        child_last_name="MARTIN",
        child_first_name=f"Emma{BEL}",
        child_birth_date="31/12/9999",
    )
    data = (";".join(COLUMNS) + "\r\n" + ";".join(row[c] for c in COLUMNS) + "\r\n").encode()
    parsed = household_file_parse(data=data)
    reasons = " ".join(error.reason for error in parsed.errors)
    assert "nom du foyer" in reasons
    assert "nom du responsable 1" in reasons
    assert "prénom de l'enfant" in reasons
    assert "date de naissance" in reasons


SIGNUP = {
    "last_name": "MARTIN",
    "first_name": "Léa",
    "email": "lea.martin@example.org",
    "password1": "Cantine-du-Lundi-7",
    "password2": "Cantine-du-Lundi-7",
}


def test_sign_up_answers_alike_whether_or_not_the_address_has_an_account(
    db: None, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    owner = UserFactory(email="deja@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        new = Client().post(reverse("accounts:signup"), SIGNUP)
        taken = Client().post(reverse("accounts:signup"), {**SIGNUP, "email": "DEJA@example.org"})
    assert new.status_code == taken.status_code == 302
    assert new["Location"] == taken["Location"] == reverse("accounts:signup_done")
    assert User.objects.count() == 2
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
    to_owner = next(message for message in mail.outbox if message.to == [owner.email])
    assert "déjà un compte" in to_owner.body


def test_sign_up_sends_nothing_within_the_request(db: None) -> None:
    Client().post(reverse("accounts:signup"), SIGNUP)
    assert mail.outbox == []  # queued on commit, never sent by the request itself


@override_settings(SIGNUP_LIMIT_PER_ADDRESS=3)
def test_sign_ups_are_limited_per_address(db: None) -> None:
    for number in range(3):
        data = {**SIGNUP, "email": f"parent{number}@example.org"}
        assert Client().post(reverse("accounts:signup"), data).status_code == 302
    refused = Client().post(reverse("accounts:signup"), {**SIGNUP, "email": "p4@example.org"})
    assert refused.status_code == 429
    assert not User.objects.filter(email="p4@example.org").exists()
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert (
        other.post(reverse("accounts:signup"), {**SIGNUP, "email": "p5@example.org"}).status_code
        == 302
    )


def test_sign_up_refuses_an_address_longer_than_its_column(db: None) -> None:
    email = "a" * 250 + "@example.org"
    response = Client().post(reverse("accounts:signup"), {**SIGNUP, "email": email})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not User.objects.exists()


def test_sign_up_refuses_control_characters_in_names(db: None) -> None:
    data = {**SIGNUP, "first_name": f"L{RLO}éa"}
    assert Client().post(reverse("accounts:signup"), data).status_code == 200
    assert not User.objects.exists()


def test_password_change_refuses_the_current_password(family: Family) -> None:
    response = family.client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password1"]


def test_password_reset_email_goes_through_the_task_queue(
    family: Family, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        Client().post(reverse("accounts:password_reset"), {"email": family.user.email})
    assert mail.outbox == []  # nothing sent within the request
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1


def _fail_login(address: str, email: str, **headers: str) -> int:
    client = Client(REMOTE_ADDR=address, **headers)
    return client.post(
        reverse("accounts:login"), {"username": email, "password": "mauvais"}
    ).status_code


@override_settings(ACCOUNT_FAILURE_LIMIT=8)
def test_an_account_is_locked_across_addresses(family: Family) -> None:
    for number in range(8):
        _fail_login(f"198.51.100.{number}", family.user.email)
    client = Client(REMOTE_ADDR="203.0.113.50")
    locked = client.post(
        reverse("accounts:login"), {"username": family.user.email, "password": PASSWORD}
    )
    assert locked.status_code == 429
    assert "Réessayez dans une heure" in locked.content.decode()


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_behind_a_trusted_proxy_each_family_keeps_its_own_address(family: Family) -> None:
    neighbour = UserFactory(email="voisin@example.org")
    for _ in range(5):  # an attacker behind the same proxy locks only its own address
        _fail_login("10.0.0.2", neighbour.email, HTTP_X_FORWARDED_FOR="198.51.100.7")
    client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.8")
    response = client.post(
        reverse("accounts:login"), {"username": neighbour.email, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_a_forged_forwarded_header_from_an_untrusted_peer_is_ignored(family: Family) -> None:
    for number in range(5):
        _fail_login("198.51.100.7", family.user.email, HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    client = Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.99")
    response = client.post(
        reverse("accounts:login"), {"username": family.user.email, "password": PASSWORD}
    )
    assert response.status_code == 429


def test_demo_objects_pass_the_forms_that_edit_them(db: None) -> None:
    from django.forms.models import model_to_dict

    from espacefamille.backoffice.forms.households import ChildAgentForm, GuardianAgentForm
    from espacefamille.demo import load_demo
    from espacefamille.households.models import AuthorizedPickup, Household
    from espacefamille.portal.forms import ChildForm, GuardianForm, PersonForm

    load_demo(base_url="http://testserver")
    from espacefamille.core.models import Municipality

    checked = 0
    for town in Municipality.objects.all():
        with municipality_scope(town):
            for guardian in Guardian.objects.all():
                for form_class in (GuardianForm, GuardianAgentForm):
                    fields = list(form_class._meta.fields)  # type: ignore[attr-defined]
                    form = form_class(model_to_dict(guardian, fields), instance=guardian)
                    assert form.is_valid(), (guardian, form.errors)
                checked += 1
            for child in Child.objects.all():
                data = model_to_dict(child, ["civility", "first_name", "last_name", "birth_date"])
                form = ChildForm(data, instance=child, purposes=[], consents={})
                assert form.is_valid(), (child, form.errors)
                agent_fields = list(ChildAgentForm._meta.fields)  # type: ignore[attr-defined]
                agent_form = ChildAgentForm(model_to_dict(child, agent_fields), instance=child)
                assert agent_form.is_valid(), (child, agent_form.errors)
                checked += 1
            for model in (AuthorizedPickup, EmergencyContact):
                for person in model.objects.all():
                    data = model_to_dict(
                        person, ["last_name", "first_name", "phone", "relationship"]
                    )
                    form = PersonForm(data, instance=person)
                    assert form.is_valid(), (person, form.errors)
                    checked += 1
            for household in Household.objects.all():
                assert household.full_clean() is None
    assert checked > 5
    assert date.today()  # the demo's birth dates are checked against today by the forms


def test_url_ids_beyond_64_bits_answer_404(family: Family) -> None:
    """Found by the deep fuzzing run: ``post_id=pk`` with such a number was a 500 on SQLite."""
    huge = 2**63
    for url in (
        f"/actualites/{huge}/documents/1/",
        f"/foyer/enfants/{huge}/",
        f"/demandes/{huge}/",
    ):
        assert family.client.get(url).status_code == 404, url


def test_a_superscript_digit_is_an_invalid_choice(db: None) -> None:
    """Found by the deep fuzzing run: "²" passed ``isdigit`` and then broke ``int()``."""
    from espacefamille.catalog.models import Product
    from espacefamille.core.form_fields import ModelMultipleChoiceField

    field = ModelMultipleChoiceField(queryset=Product.objects.none())
    with pytest.raises(ValidationError):
        field.clean(["²"])
