"""The demo with everything a household file can hold filled in for DUPONT of "Commune de
Démo" (diet, PAI, image consents, a request with its document and a message), and marked items
in the other households, for the "Mes données" export and the health-data log tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client, override_settings

from espacefamille.accounts.models import User
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import SESSION_KEY, municipality_scope
from espacefamille.demo import DEMO_EMAIL, load_demo
from espacefamille.households.models import (
    AuthorizedPickup,
    Child,
    ConsentPurpose,
    Diet,
    Household,
)
from espacefamille.households.services import child_set_consents
from espacefamille.inquiries.models import InquiryCategory, InquiryMessage
from espacefamille.inquiries.services import inquiry_create
from tests.uploads_helpers import pdf_file

DIET = "Sans arachide"
CARE_PLAN_TEXT = "Allergie sévère aux arachides, stylo d'adrénaline dans le sac"
OTHER_HOUSEHOLD_MARK = "Zébulon VOISIN-INTRUS"
OTHER_TOWN_MARK = "Barnabé LOINTAIN"


@dataclass
class DemoFamily:
    town: Municipality
    household: Household
    paul: Child
    client: Client


def _request_with_document(household: Household, child: Child, text: str, file: str) -> None:
    category = InquiryCategory.objects.get(name="Allergie / PAI")
    inquiry = inquiry_create(
        household=household,
        category=category,
        child=child,
        text=text,
        documents={category.required_documents.get().pk: pdf_file(file)},
        actor=None,
    )
    InquiryMessage.objects.create(
        municipality_id=household.municipality_id,
        inquiry=inquiry,
        from_town=True,
        text="Merci, le PAI est en place.",
    )


@pytest.fixture
def demo_family(db: None, tmp_path: Path) -> Iterator[DemoFamily]:
    with override_settings(MEDIA_ROOT=tmp_path / "media", PRIVATE_MEDIA_ROOT=tmp_path / "private"):
        load_demo(base_url="http://testserver")
        user = User.objects.get(email=DEMO_EMAIL)
        town = Municipality.objects.get(slug="demo")
        with municipality_scope(town):
            dupont = Household.objects.get(external_ref="DEMO-001")
            paul = dupont.children.get(first_name="Paul")
            paul.has_care_plan = True
            paul.save()
            paul.diets.set([Diet.objects.get(label=DIET)], through_defaults={"municipality": town})
            child_set_consents(
                child=paul,
                consents={purpose.pk: True for purpose in ConsentPurpose.objects.all()},
                actor=user,
            )
            _request_with_document(dupont, paul, CARE_PLAN_TEXT, "certificat-paul.pdf")
            other = Household.objects.get(external_ref="DEMO-002")
            first_name, last_name = OTHER_HOUSEHOLD_MARK.split(" ")
            AuthorizedPickup.objects.create(
                municipality=town,
                household=other,
                first_name=first_name,
                last_name=last_name,
                phone="+33600000001",
            )
            _request_with_document(
                other, other.children.first(), OTHER_HOUSEHOLD_MARK, "certificat-autre.pdf"
            )
        voisine = Municipality.objects.get(slug="voisine")
        with municipality_scope(voisine):
            far = Household.objects.get(external_ref="VOIS-001")
            first_name, last_name = OTHER_TOWN_MARK.split(" ")
            AuthorizedPickup.objects.create(
                municipality=voisine,
                household=far,
                first_name=first_name,
                last_name=last_name,
                phone="+33600000002",
            )
        client = Client()
        client.force_login(user)
        session = client.session
        session[SESSION_KEY] = town.pk
        session.save()
        yield DemoFamily(town=town, household=dupont, paul=paul, client=client)
