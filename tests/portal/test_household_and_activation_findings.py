"""What a parent found on the household pages and in the activation wizard (issue 21): the
pages link to the matching request instead of "contactez votre commune"; "Civilité" offers no
"---------"; the wizard can be cancelled; the password fields get a show-password toggle."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from espacefamille.core.tenancy import municipality_scope
from espacefamille.inquiries.models import ChangeKind, InquiryCategory
from espacefamille.onboarding.invitations import invitation_send

from ..conftest import Family
from ..factories import ChildFactory, GuardianFactory, HouseholdFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Un-Mot-De-Passe-2026!"


def test_household_pages_link_to_the_matching_requests(family: Family) -> None:
    town = family.household.municipality
    with municipality_scope(town):
        address = InquiryCategory.objects.create(
            municipality=town, name="Changement d'adresse", change_kind=ChangeKind.ADDRESS
        )
        care = InquiryCategory.objects.create(
            municipality=town, name="Allergie / PAI", change_kind=ChangeKind.CARE_PLAN
        )
        child = ChildFactory(household=family.household)
    account = family.client.get(reverse("portal:household")).content.decode()
    assert "contactez votre commune" not in account
    assert reverse("inquiries:new", args=[address.pk]) in account
    assert reverse("inquiries:new", args=[care.pk]) in account
    guardians = family.client.get(reverse("portal:guardians")).content.decode()
    assert reverse("inquiries:new", args=[address.pk]) in guardians
    child_page = family.client.get(reverse("portal:child_edit", args=[child.pk])).content.decode()
    assert reverse("inquiries:new", args=[care.pk]) in child_page


@pytest.fixture
def token(town, django_capture_on_commit_callbacks) -> str:  # type: ignore[no-untyped-def]
    with municipality_scope(town), django_capture_on_commit_callbacks(execute=True):
        household = HouseholdFactory(municipality=town, name="TESTMP")
        guardian = GuardianFactory(household=household, rank=1, email="marc@example.org")
        invitation_send(guardian=guardian, base_url="http://famille.test")
    found = re.search(r"/activation/([^/\s]+)/", mail.outbox[-1].body)
    assert found
    return found.group(1)


def test_activation_civilite_has_no_blank_choice_and_can_be_cancelled(token: str) -> None:
    client = Client()
    first = client.get(reverse("portal:activate", kwargs={"token": token})).content.decode()
    assert "password_toggle.js" in first and "Annuler la création de compte" in first
    client.post(
        reverse("portal:activate", kwargs={"token": token}),
        {"password1": PASSWORD, "password2": PASSWORD},
    )
    step2 = client.get(reverse("portal:activate_guardians", kwargs={"token": token}))
    html = step2.content.decode()
    assert "---------" not in html and "Monsieur" in html and "Madame" in html
    assert "Annuler la création de compte" in html
    cancelled = client.post(reverse("portal:activate_cancel", kwargs={"token": token}), follow=True)
    assert "La création de votre compte est annulée" in cancelled.content.decode()
    # The steps typed are forgotten: step 2 sends back to step 1.
    again = client.get(reverse("portal:activate_guardians", kwargs={"token": token}))
    assert again.status_code == 302
    assert again["Location"] == reverse("portal:activate", kwargs={"token": token})
