"""An agent links a child to a second household (separated parents), found by search, and
unlinks it; the first household is told by e-mail without the other's details; the custody
pattern is set here; every change in the action log; unlinking keeps the history."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from espacefamille.audit.models import ActionLogEntry
from espacefamille.bookings.history import bookings_record_history
from espacefamille.bookings.models import Booking
from espacefamille.catalog.models import Product
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.catalog import load_catalog
from espacefamille.households.models import ChildHousehold, CustodyKind, CustodyPattern

from ..conftest import make_family
from ..factories import ChildFactory, GuardianFactory, HouseholdFactory
from .helpers import Agent

pytestmark = pytest.mark.django_db


def test_link_by_search_mail_the_first_household_and_unlink_keeping_history(
    regie: Agent, town: Municipality, django_capture_on_commit_callbacks
) -> None:
    dupont = make_family(town, email="francois@example.org")
    with municipality_scope(town):
        paul = ChildFactory(household=dupont.household, first_name="Paul")
        martin = HouseholdFactory(municipality=town, name="MARTIN")
        GuardianFactory(household=martin, first_name="Claire", address="8 avenue des Platanes")
    url = f"/agents/foyers/{dupont.household.pk}/enfants/{paul.pk}/foyers/"
    page = regie.client.get(url, {"q": "martin"})
    assert [h.name for h in page.context["found"]] == ["MARTIN"]
    with django_capture_on_commit_callbacks(execute=True):
        answer = regie.client.post(url + "rattacher/", {"foyer": martin.pk})
    assert answer.status_code == 302
    with municipality_scope(town):
        assert ChildHousehold.objects.filter(child=paul, household=martin).exists()
        logged = ActionLogEntry.objects.get(action="child.link_household")
        assert logged.changes == {"foyer": [None, "MARTIN"]}
    (sent,) = mail.outbox
    assert sent.to == ["francois@example.org"]
    assert "Paul" in sent.subject
    for foreign in ("MARTIN", "Claire", "Platanes"):
        assert foreign not in sent.body and foreign not in sent.subject
    # Linking twice is refused with a message, nothing written.
    regie.client.post(url + "rattacher/", {"foyer": martin.pk})
    with municipality_scope(town):
        assert ChildHousehold.objects.filter(child=paul).count() == 1
        restaurant = load_catalog(town)[0]
        bookings_record_history(
            bookings=[
                Booking(
                    municipality=town,
                    household=martin,
                    child=paul,
                    product=Product.objects.get(service=restaurant, name="REPAS"),
                    date=date(2026, 10, 5),
                    status="validated",
                )
            ]
        )
    # The second household's page reaches the shared child too.
    assert (
        regie.client.get(f"/agents/foyers/{martin.pk}/enfants/{paul.pk}/foyers/").status_code == 200
    )
    regie.client.post(url + "detacher/", {"foyer": martin.pk})
    with municipality_scope(town):
        link = ChildHousehold.objects.get(child=paul)
        assert link.ended_at is not None
        assert Booking.objects.get().household_id == martin.pk  # history stays
        assert ActionLogEntry.objects.filter(action="child.unlink_household").exists()
    assert (
        regie.client.get(f"/agents/foyers/{martin.pk}/enfants/{paul.pk}/foyers/").status_code == 404
    )


def test_custody_pattern_form(regie: Agent, town: Municipality) -> None:
    dupont = make_family(town, email="francois@example.org")
    with municipality_scope(town):
        paul = ChildFactory(household=dupont.household, first_name="Paul")
    url = f"/agents/foyers/{dupont.household.pk}/enfants/{paul.pk}/foyers/"
    refused = regie.client.post(url, {"kind": CustodyKind.ALTERNATE_WEEKS})
    assert refused.status_code == 200 and "semaine A" in refused.content.decode()
    regie.client.post(url, {"kind": CustodyKind.ALTERNATE_WEEKS, "start_date": "07/12/2026"})
    regie.client.post(url, {"kind": CustodyKind.WEEKDAYS, "home_weekdays": ["0", "1"]})
    with municipality_scope(town):
        pattern = CustodyPattern.objects.get(child=paul)
        assert (pattern.kind, pattern.home_weekdays) == (CustodyKind.WEEKDAYS, "0,1")
        assert ActionLogEntry.objects.filter(action="child.custody_update").count() == 2


def test_the_journal_of_the_first_household_shows_the_other_as_lautre_foyer(
    regie: Agent, town: Municipality
) -> None:
    from espacefamille.households.child_links import child_link_household
    from espacefamille.households.services import child_update

    dupont = make_family(town, email="francois@example.org")
    martin = make_family(town, email="claire@example.org")
    with municipality_scope(town):
        paul = ChildFactory(household=dupont.household, first_name="Paul")
        child_link_household(child=paul, household=martin.household, actor=None)
        child_update(
            child=paul, data={"first_name": "Paulo"}, diets=[], consents={}, actor=martin.user
        )
    page = regie.client.get(f"/agents/foyers/{dupont.household.pk}/").content.decode()
    assert "l&#x27;autre foyer" in page or "l'autre foyer" in page
    assert "claire@example.org" not in page
    theirs = regie.client.get(f"/agents/foyers/{martin.household.pk}/").content.decode()
    assert "claire@example.org" in theirs
