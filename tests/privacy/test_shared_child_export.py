"""The data export of each household of a shared child holds the child's shared data and
only its own bookings, attendance and money: nothing of the other household."""

from __future__ import annotations

import json
from datetime import date

import pytest

from espacefamille.billing.runs import invoice_run_draft
from espacefamille.bookings.attendance import attendance_record
from espacefamille.bookings.history import bookings_record_history
from espacefamille.bookings.models import Booking
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.child_links import child_link_household
from espacefamille.households.models import ConsentPurpose
from espacefamille.households.services import child_set_consents
from espacefamille.privacy.data_export import household_data

from ..billing.conftest import OCTOBER, Billing, billing  # noqa: F401 - the fixture
from ..conftest import make_family

pytestmark = pytest.mark.django_db


def test_each_household_exports_only_its_own_days_and_money(
    billing: Billing,  # noqa: F811 - the fixture imported above
) -> None:
    town = billing.town
    martin = make_family(town, email="claire.martin@example.org")
    with municipality_scope(town):
        martin.guardian.first_name, martin.guardian.last_name = "Claire", "MARTIN"
        martin.guardian.address = "8 avenue des Platanes"
        martin.guardian.save()
        billing.family.guardian.address = "12 rue des Écoles"
        billing.family.guardian.save()
        child_link_household(child=billing.paul, household=martin.household, actor=None)
        purpose = ConsentPurpose.objects.create(
            municipality=town, label="Site", wording="J'autorise"
        )
        child_set_consents(child=billing.paul, consents={purpose.pk: True}, actor=martin.user)
        billing.book(billing.paul, "REPAS", 1)  # DUPONT's day
        bookings_record_history(
            bookings=[
                Booking(
                    municipality=town,
                    household=martin.household,
                    child=billing.paul,
                    product=billing.p("REPAS"),
                    date=date(2026, 10, 6),
                    status="validated",
                )
            ]
        )
        for day in (1, 6):
            attendance_record(
                child=billing.paul,
                product=billing.p("REPAS"),
                day=date(2026, 10, day),
                state="present",
                user=None,
            )
        invoice_run_draft(service=billing.restaurant, month=OCTOBER)
        theirs = household_data(martin.household)
        ours = household_data(billing.family.household)

    assert {c["prenom"] for c in theirs["enfants"]} == {"Paul"}  # not Julie
    assert {c["prenom"] for c in ours["enfants"]} == {"Paul", "Julie"}
    assert [b["date"] for b in theirs["reservations"]] == ["2026-10-06"]
    assert [b["date"] for b in ours["reservations"]] == ["2026-10-01"]
    assert [a["date"] for a in theirs["presences"]] == ["2026-10-06"]
    assert [a["date"] for a in ours["presences"]] == ["2026-10-01"]
    assert [line["date"] for line in theirs["lignes_de_factures"]] == ["2026-10-06"]
    assert [line["date"] for line in ours["lignes_de_factures"]] == ["2026-10-01"]
    # The consent MARTIN recorded shows in DUPONT's export as made by "l'autre foyer".
    assert [c["enregistre_par"] for c in ours["consentements"]] == ["l'autre foyer"]
    ours_text = json.dumps(ours, ensure_ascii=False, default=str)
    theirs_text = json.dumps(theirs, ensure_ascii=False, default=str)
    for foreign in ("Claire", "claire.martin@example.org", "8 avenue des Platanes"):
        assert foreign not in ours_text, foreign
    for foreign in ("François", "famille@example.org", "12 rue des Écoles", "Julie"):
        assert foreign not in theirs_text, foreign
