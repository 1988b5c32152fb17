"""Demo data modelled on the seed guides, used by ``make demo`` and the browser tests.
Loading twice changes nothing: every row is keyed on a stable reference."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from espacefamille.accounts.invitations import household_is_activated, invitation_send
from espacefamille.accounts.join_codes import join_code_for
from espacefamille.accounts.models import User
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import (
    AuthorizedPickup,
    Child,
    EmergencyContact,
    Guardian,
    Household,
)
from espacefamille.households.setup import municipality_setup

from .catalog import enroll_all, load_catalog

DEMO_EMAIL = "francois.dupont@example.org"
DEMO_PASSWORD = "Demo-Famille-2026!"  # noqa: S105 - published demo login (README)
ADMIN_EMAIL = "admin@example.org"
ADMIN_PASSWORD = "Demo-Admin-2026!"  # noqa: S105 - published demo login (README)


@dataclass
class DemoReport:
    join_codes: list[tuple[str, str, str]] = field(default_factory=list)
    activation_links: list[tuple[str, str]] = field(default_factory=list)


def _household(town: Municipality, ref: str, name: str) -> Household:
    household, _ = Household.objects.update_or_create(
        municipality=town, external_ref=ref, defaults={"name": name}
    )
    return household


def _guardian(household: Household, rank: int, **fields: Any) -> Guardian:
    guardian, _ = Guardian.objects.update_or_create(
        municipality_id=household.municipality_id, household=household, rank=rank, defaults=fields
    )
    return guardian


def _child(household: Household, first_name: str, **fields: Any) -> Child:
    child, _ = Child.objects.update_or_create(
        municipality_id=household.municipality_id,
        household=household,
        first_name=first_name,
        defaults=fields,
    )
    return child


def _demo_user() -> User:
    user = User.objects.filter(email=DEMO_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            DEMO_EMAIL, DEMO_PASSWORD, first_name="François", last_name="DUPONT"
        )
    return user


def _load_demo_town(report: DemoReport, user: User, base_url: str) -> None:
    town = municipality_setup(
        name="Commune de Démo",
        slug="demo",
        address="1 place de la Mairie",
        postcode="84000",
        city="Démo-sur-Sorgue",
        opening_hours="Du lundi au vendredi de 8h30 à 12h00 et de "
        "13h30 à 17h00\nLe samedi de 9h00 à 12h00",
        phone="+33490000000",
        email="enfance@demo.example.org",
        holiday_zone="C",
    )
    with municipality_scope(town):
        dupont = _household(town, "DEMO-001", "DUPONT")
        _guardian(
            dupont,
            1,
            user=user,
            civility="M",
            first_name="François",
            last_name="DUPONT",
            birth_date=date(1985, 3, 14),
            address="12 rue des Écoles",
            postcode="84000",
            city="Démo-sur-Sorgue",
            mobile_phone="+33612345678",
            email=DEMO_EMAIL,
        )
        _child(
            dupont,
            "Paul",
            last_name="DUPONT",
            civility="G",
            birth_date=date(2018, 1, 1),
            school="École du Centre",
            school_class="CP",
        )
        _child(
            dupont,
            "Julie",
            last_name="DUPONT",
            civility="F",
            birth_date=date(2016, 11, 30),
            school="École du Centre",
            school_class="CE2",
        )
        AuthorizedPickup.objects.get_or_create(
            municipality=town,
            household=dupont,
            last_name="DUPONT",
            first_name="Pierre",
            defaults={"phone": "+33606060606", "relationship": "Grand-père"},
        )
        EmergencyContact.objects.get_or_create(
            municipality=town,
            household=dupont,
            last_name="DUPONT",
            first_name="Marie",
            defaults={"phone": "+33707070707", "relationship": "Tante"},
        )

        famille_x = _household(town, "DEMO-002", "FAMILLE X")
        _guardian(
            famille_x,
            1,
            civility="MME",
            first_name="Sophie",
            last_name="X",
            email="famille.x@example.org",
            mobile_phone="+33611111111",
        )
        _child(
            famille_x,
            "Léa",
            last_name="X",
            civility="F",
            birth_date=date(2017, 11, 28),
            school="École du Centre",
            school_class="CE1",
        )
        _child(
            famille_x,
            "Hugo",
            last_name="X",
            civility="G",
            birth_date=date(2019, 5, 2),
            school="École du Centre",
            school_class="Grande section",
        )
        if not household_is_activated(famille_x):
            code = join_code_for(household=famille_x)
            report.join_codes.append((town.name, famille_x.name, code.code))

        services = load_catalog(town)
        enroll_all(list(Child.objects.filter(household__in=[dupont, famille_x])), services)

        testmp = _household(town, "DEMO-003", "TESTMP")
        guardian = _guardian(
            testmp,
            1,
            civility="M",
            first_name="Marc",
            last_name="TESTMP",
            email="marc.testmp@example.org",
            mobile_phone="+33622222222",
        )
        _child(
            testmp,
            "Clara",
            last_name="TESTMP",
            civility="F",
            birth_date=date(2015, 6, 9),
            school="École du Centre",
            school_class="CM1",
        )
        _child(
            testmp,
            "Guilhem",
            last_name="TESTMP",
            civility="G",
            birth_date=date(2018, 9, 21),
            school="École du Centre",
            school_class="CP",
        )
        enroll_all(list(Child.objects.filter(household=testmp)), services)
        if not household_is_activated(testmp):
            sent = invitation_send(guardian=guardian, base_url=base_url)
            report.activation_links.append((guardian.email, f"{base_url}/activation/{sent.token}/"))


def _load_neighbour_town(user: User) -> None:
    town = municipality_setup(
        name="Commune Voisine",
        slug="voisine",
        address="2 rue de la Poste",
        postcode="84100",
        city="Voisine",
        opening_hours="Du lundi au jeudi de 9h00 à 12h00",
        phone="+33490111111",
        email="mairie@voisine.example.org",
        holiday_zone="C",
    )
    with municipality_scope(town):
        dupont = _household(town, "VOIS-001", "DUPONT")
        _guardian(
            dupont,
            1,
            user=user,
            civility="M",
            first_name="François",
            last_name="DUPONT",
            mobile_phone="+33612345678",
            email=DEMO_EMAIL,
            address="12 rue des Écoles",
            postcode="84000",
            city="Démo-sur-Sorgue",
        )
        _child(
            dupont,
            "Paul",
            last_name="DUPONT",
            civility="G",
            birth_date=date(2018, 1, 1),
            school="Centre de loisirs de Voisine",
            school_class="",
        )


@transaction.atomic
def load_demo(*, base_url: str) -> DemoReport:
    report = DemoReport()
    user = _demo_user()
    if not User.objects.filter(email=ADMIN_EMAIL).exists():
        User.objects.create_superuser(ADMIN_EMAIL, ADMIN_PASSWORD, first_name="Admin")
    _load_demo_town(report, user, base_url.rstrip("/"))
    _load_neighbour_town(user)
    return report
