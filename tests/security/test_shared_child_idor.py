"""The IDOR sweep as each household of a shared child: the shared child's pages answer to
both, and every id of one household (guardians, contacts, pickups, its own children, its
invoices) answers 404 to the other. Pages show nothing of the other household."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse

from espacefamille.billing.models import Invoice
from espacefamille.billing.runs import invoice_run_draft
from espacefamille.bookings.history import bookings_record_history
from espacefamille.bookings.models import Booking
from espacefamille.catalog.models import Product
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.catalog import enroll_all, load_catalog
from espacefamille.households.child_links import child_link_household
from espacefamille.households.models import Child

from ..conftest import Family, make_family
from ..factories import AuthorizedPickupFactory, ChildFactory, EmergencyContactFactory

pytestmark = pytest.mark.django_db


@dataclass
class Side:
    family: Family
    own_child: Child
    urls: list[str]
    marks: list[str]  # what the other household must never read


@dataclass
class Shared:
    paul: Child
    dupont: Side
    martin: Side


def _side(town: Municipality, family: Family, child_name: str, address: str) -> Side:
    family.guardian.address = address
    family.guardian.save()
    child = ChildFactory(household=family.household, first_name=child_name)
    pickup = AuthorizedPickupFactory(household=family.household, last_name="PICKUP" + child_name)
    contact = EmergencyContactFactory(household=family.household)
    invoice = Invoice.objects.get(household=family.household)
    urls = [
        reverse("portal:guardian_edit", kwargs={"pk": family.guardian.pk}),
        reverse("portal:child_edit", kwargs={"pk": child.pk}),
        reverse("portal:calendar_feed_new", kwargs={"child_id": child.pk}),
        reverse("portal:person_edit", kwargs={"kind": "urgence", "pk": contact.pk}),
        reverse("portal:person_edit", kwargs={"kind": "personnes-autorisees", "pk": pickup.pk}),
        reverse("portal:person_delete", kwargs={"kind": "urgence", "pk": contact.pk}),
        reverse("portal:invoice_detail", kwargs={"invoice_id": invoice.pk}),
        reverse("portal:invoice_pdf", kwargs={"invoice_id": invoice.pk}),
        reverse("portal:invoice_pay", kwargs={"invoice_id": invoice.pk}),
    ]
    return Side(family, child, urls, [address, child_name, family.guardian.email])


@pytest.fixture
def shared(town: Municipality) -> Iterator[Shared]:
    dupont = make_family(town, email="francois@example.org")
    martin = make_family(town, email="claire@example.org")
    with municipality_scope(town):
        martin.household.name = "MARTIN"
        martin.household.save()
        paul = ChildFactory(household=dupont.household, first_name="Paul")
        child_link_household(child=paul, household=martin.household, actor=None)
        services = load_catalog(town)
        enroll_all([paul], list(services))
        meal = Product.objects.get(service=services[0], name="REPAS")
        bookings_record_history(
            bookings=[
                Booking(
                    municipality=town,
                    household=family.household,
                    child=paul,
                    product=meal,
                    date=date(2026, 10, day),
                    status="validated",
                )
                for family, day in ((dupont, 1), (martin, 5))
            ]
        )
        invoice_run_draft(service=services[0], month=date(2026, 10, 1))
        Invoice.objects.update(status="issued")
        yield Shared(
            paul,
            _side(town, dupont, "Julie", "12 rue des Écoles"),
            _side(town, martin, "Hector", "8 avenue des Platanes"),
        )


def test_each_sides_ids_answer_404_to_the_other(shared: Shared) -> None:
    checked = 0
    for me, other in ((shared.dupont, shared.martin), (shared.martin, shared.dupont)):
        for url in other.urls:
            answers = {
                me.family.client.get(url).status_code,
                me.family.client.post(url, {"last_name": "X"}).status_code,
            }
            assert 404 in answers and answers <= {404, 405}, (url, answers)
            checked += 1
        # The shared child is both households' child.
        for name in ("portal:child_edit",):
            page = me.family.client.get(reverse(name, kwargs={"pk": shared.paul.pk}))
            assert page.status_code == 200
    assert checked == 18


def test_the_pages_of_one_household_show_nothing_of_the_other(shared: Shared) -> None:
    for me, other in ((shared.dupont, shared.martin), (shared.martin, shared.dupont)):
        for name in (
            "portal:household",
            "portal:children",
            "portal:enrollments",
            "portal:invoices",
            "portal:agenda",
        ):
            page = me.family.client.get(reverse(name))
            assert page.status_code == 200, name
            text = page.content.decode()
            for mark in other.marks:
                assert mark not in text, (name, mark)
        children = me.family.client.get(reverse("portal:children")).content.decode()
        assert "Paul" in children
