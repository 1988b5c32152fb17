"""Household files in the back office: search, page, create, edit, join code, invitation,
CSV import with its report, lock and unlock; every change in the action log."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from espacefamille.audit.models import ActionLogEntry
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Child, Guardian, Household, HouseholdChange
from espacefamille.onboarding.importing import COLUMNS

from ..conftest import make_family
from ..factories import ChildFactory, GuardianFactory, HouseholdFactory
from .helpers import Agent, page_text

pytestmark = pytest.mark.django_db


def _last_action(town: Municipality) -> ActionLogEntry:
    with municipality_scope(town):
        return ActionLogEntry.objects.order_by("-pk").first()  # type: ignore[return-value]


def test_search_by_name_child_email_and_phone(regie: Agent, town: Municipality) -> None:
    household = HouseholdFactory(municipality=town, name="LEGRAND")
    GuardianFactory(
        household=household, email="sophie.legrand@example.org", mobile_phone="+33698765432"
    )
    ChildFactory(household=household, first_name="Zoé")
    HouseholdFactory(municipality=town, name="AUTRE")
    for query in ("legr", "Zoé", "sophie.legrand@", "06 98 76 54 32"):
        response = regie.client.get("/agents/foyers/", {"q": query})
        assert [h.name for h in response.context["households"]] == ["LEGRAND"], query
    assert len(regie.client.get("/agents/foyers/").context["households"]) == 2


def test_create_a_household_then_invite_it(
    regie: Agent, town: Municipality, django_capture_on_commit_callbacks: Any
) -> None:
    response = regie.client.post(
        "/agents/foyers/nouveau/",
        {
            "household_name": "PETIT",
            "civility": "MME",
            "last_name": "PETIT",
            "first_name": "Anne",
            "email": "anne.petit@example.org",
            "mobile_phone": "06 11 22 33 44",
        },
    )
    assert response.status_code == 302
    with municipality_scope(town):
        household = Household.objects.get(name="PETIT")
        assert Guardian.objects.get(household=household).mobile_phone == "+33611223344"
    with municipality_scope(town):
        actions = list(ActionLogEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == ["household.create", "guardian.create"]
    page = regie.client.get(f"/agents/foyers/{household.pk}/")
    assert page.status_code == 200
    assert "PETIT" in page_text(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = regie.client.post(f"/agents/foyers/{household.pk}/invitation/", follow=True)
    assert "Lien d'activation envoyé à anne.petit@example.org" in page_text(response)
    assert mail.outbox[-1].to == ["anne.petit@example.org"]
    assert _last_action(town).action == "invitation.send"


def test_edit_guardian_and_child_logs_before_and_after(regie: Agent, town: Municipality) -> None:
    household = HouseholdFactory(municipality=town, name="LEROY")
    guardian = GuardianFactory(household=household, first_name="Paul")
    child = ChildFactory(household=household, first_name="Lina", school="École A")
    data = {"civility": "M", "first_name": "Pierre", "last_name": "LEROY", "email": guardian.email}
    url = f"/agents/foyers/{household.pk}/responsables/{guardian.pk}/"
    assert regie.client.post(url, data).status_code == 302
    entry = _last_action(town)
    assert entry.action == "guardian.update"
    assert entry.changes["first_name"] == ["Paul", "Pierre"]
    url = f"/agents/foyers/{household.pk}/enfants/{child.pk}/"
    child_data = {
        "civility": "F",
        "first_name": "Lina",
        "last_name": "LEROY",
        "birth_date": "12/04/2017",
        "school": "École B",
        "school_class": "CE1",
        "has_care_plan": "on",
    }
    assert regie.client.post(url, child_data).status_code == 302
    entry = _last_action(town)
    assert entry.action == "child.update"
    assert entry.changes["school"] == ["École A", "École B"]
    with municipality_scope(town):
        assert HouseholdChange.objects.filter(household=household, object_type="child").exists()
    add = regie.client.post(
        f"/agents/foyers/{household.pk}/enfants/ajouter/", {**child_data, "first_name": "Tom"}
    )
    assert add.status_code == 302
    assert _last_action(town).action == "child.create"
    regie.client.get(f"/agents/foyers/{household.pk}/")  # a PAI is shown: the read is logged
    assert _last_action(town).action == "health_data.read"
    response = regie.client.post(f"/agents/foyers/{household.pk}/nom/", {"name": "LEROY-DURAND"})
    assert response.status_code == 302
    assert _last_action(town).action == "household.update"


def test_join_code_is_logged_once(regie: Agent, town: Municipality) -> None:
    household = HouseholdFactory(municipality=town)
    url = f"/agents/foyers/{household.pk}/code-adhesion/"
    first = page_text(regie.client.post(url, follow=True))
    second = page_text(regie.client.post(url, follow=True))
    assert "Code d'adhésion du foyer" in first
    with municipality_scope(town):
        assert ActionLogEntry.objects.filter(action="join_code.create").count() == 1
    code = first.split("Code d'adhésion du foyer : ")[1][:10]
    assert code in second


def test_lock_ends_the_family_sessions_and_unlock_restores(
    regie: Agent, town: Municipality
) -> None:
    family = make_family(town)
    assert family.client.get("/foyer/").status_code == 200
    url = f"/agents/foyers/{family.household.pk}/acces/"
    response = regie.client.post(url, {"lock": "1", "reason": "impayés"}, follow=True)
    assert "1 session fermée" in page_text(response)
    locked = _last_action(town)
    assert (locked.action, locked.changes["motif"]) == ("household.lock", [None, "impayés"])
    assert family.client.get("/foyer/").status_code == 302  # signed out
    again = Client()
    again.force_login(family.user)
    assert again.get("/foyer/")["Location"] == "/adhesion/"  # the locked file is not offered
    assert "est suspendu par la commune" in page_text(again.get("/adhesion/"))
    regie.client.post(url)
    assert _last_action(town).action == "household.unlock"
    assert again.get("/foyer/").status_code == 200


def _csv(rows: list[dict[str, str]]) -> bytes:
    lines = [";".join(COLUMNS)] + [";".join(row.get(c, "") for c in COLUMNS) for row in rows]
    return ("\n".join(lines) + "\n").encode()


ROW = {
    "household_ref": "R1",
    "household_name": "ROUX",
    "guardian1_last_name": "ROUX",
    "guardian1_first_name": "Marc",
    "guardian1_email": "marc.roux@example.org",
    "child_last_name": "ROUX",
    "child_first_name": "Léo",
    "child_birth_date": "01/02/2018",
}


def _upload(agent: Agent, data: bytes) -> Any:
    return agent.client.post(
        "/agents/foyers/import/", {"file": SimpleUploadedFile("foyers.csv", data, "text/csv")}
    )


def test_import_with_two_bad_lines_reports_both_and_writes_nothing(
    regie: Agent, town: Municipality
) -> None:
    bad_date = {**ROW, "household_ref": "R2", "child_birth_date": "31/02/2018"}
    bad_email = {**ROW, "household_ref": "R3", "guardian1_email": "pas-une-adresse"}
    response = _upload(regie, _csv([ROW, bad_date, bad_email]))
    text = page_text(response)
    assert "2 lignes en erreur" in text
    assert "ligne 3" in text and "ligne 4" in text
    with municipality_scope(town):
        assert not Household.objects.exists()
        assert not ActionLogEntry.objects.filter(action="import.households").exists()


def test_import_of_a_good_file_is_reported_and_logged(regie: Agent, town: Municipality) -> None:
    response = _upload(regie, _csv([ROW, {**ROW, "child_first_name": "Lou"}]))
    assert response.context["summary"].children.created == 2
    with municipality_scope(town):
        assert Child.objects.count() == 2
    assert _last_action(town).action == "import.households"
    assert "pas lisible" not in page_text(_upload(regie, b"\xff\xfe"))
    assert "UTF-8" in page_text(_upload(regie, b"\xff\xfe\x00"))


def test_reading_health_data_is_logged_only_when_there_is_some(
    regie: Agent, town: Municipality
) -> None:
    household = HouseholdFactory(municipality=town)
    plain = ChildFactory(household=household)
    regie.client.get(f"/agents/foyers/{household.pk}/")
    regie.client.get(f"/agents/foyers/{household.pk}/enfants/{plain.pk}/")
    with municipality_scope(town):
        assert not ActionLogEntry.objects.filter(action="health_data.read").exists()
    with_plan = ChildFactory(household=household, has_care_plan=True)
    regie.client.get(f"/agents/foyers/{household.pk}/enfants/{with_plan.pk}/")
    entry = _last_action(town)
    assert (entry.action, entry.actor) == ("health_data.read", regie.user)
    assert entry.changes["enfants"][1] == [str(with_plan)]


def test_the_household_page_lists_upcoming_bookings(regie: Agent, town: Municipality) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from espacefamille.bookings.history import bookings_record_history
    from espacefamille.bookings.models import Booking
    from espacefamille.catalog.models import Product
    from espacefamille.demo.catalog import load_catalog

    household = HouseholdFactory(municipality=town)
    child = ChildFactory(household=household, first_name="Noé")
    with municipality_scope(town):
        load_catalog(town)
        meal = Product.objects.get(name="REPAS")
        today = timezone.localdate()
        for offset, status in ((3, "validated"), (-3, "validated"), (4, "cancelled")):
            bookings_record_history(
                bookings=[
                    Booking(
                        municipality=town,
                        child=child,
                        product=meal,
                        date=today + timedelta(days=offset),
                        status=status,
                    )
                ]
            )
    page = regie.client.get(f"/agents/foyers/{household.pk}/")
    assert [b.date for b in page.context["bookings"]] == [today + timedelta(days=3)]
