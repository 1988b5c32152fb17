"""Demo data modelled on the seed guides, used by ``make demo`` and the browser tests.
Loading twice changes nothing: every row is keyed on a stable reference."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from espacefamille.accounts.models import User
from espacefamille.core.models import Municipality, PickupRule
from espacefamille.core.tenancy import municipality_scope
from espacefamille.directdebit.demo import load_direct_debit_demo
from espacefamille.households.models import (
    AuthorizedPickup,
    Child,
    EmergencyContact,
    Guardian,
    Household,
)
from espacefamille.households.setup import municipality_setup
from espacefamille.onboarding.invitations import household_is_activated, invitation_link_issue
from espacefamille.onboarding.join_codes import join_code_for
from espacefamille.pes.demo import load_pes_demo
from espacefamille.quotient.demo import load_quotient_demo

from .agents import DemoAgentLine, demo_device, load_agents
from .billing import load_billing_demo
from .catalog import enroll_all, load_catalog, load_sites
from .inquiries import load_inquiry_categories
from .news import load_news
from .payments import load_payments_demo
from .separated import load_separated_demo

DEMO_EMAIL = "francois.dupont@example.org"
DEMO_PASSWORD = "Demo-Famille-2026!"  # noqa: S105 - published demo login (README)
ADMIN_EMAIL = "admin@example.org"
ADMIN_PASSWORD = "Demo-Admin-2026!"  # noqa: S105 - published demo login (README)
ADMIN_TOTP_SECRET = "MVZXAYLDMUWWMYLNNFWGYZJNMFSG23RB"  # noqa: S105 - published (README)


@dataclass
class DemoReport:
    join_codes: list[tuple[str, str, str]] = field(default_factory=list)
    activation_links: list[tuple[str, str]] = field(default_factory=list)
    agents: list[DemoAgentLine] = field(default_factory=list)


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


SCHOOL = "École du Centre"
DUPONT_GUARDIAN = {
    "civility": "M",
    "first_name": "François",
    "last_name": "DUPONT",
    "mobile_phone": "+33612345678",
    "email": DEMO_EMAIL,
    "address": "12 rue des Écoles",
    "postcode": "84000",
    "city": "Démo-sur-Sorgue",
    "birth_date": date(1985, 3, 14),
}
# Households of "Commune de Démo": (ref, name, guardian 1, children (first name, civility,
# birth date, class)). DUPONT is activated; FAMILLE X gets a join code; TESTMP an invitation.
DEMO_HOUSEHOLDS: list[tuple[str, str, dict[str, Any], list[tuple[str, str, date, str]]]] = [
    (
        "DEMO-001",
        "DUPONT",
        DUPONT_GUARDIAN,
        [("Paul", "G", date(2018, 1, 1), "CP"), ("Julie", "F", date(2016, 11, 30), "CE2")],
    ),
    (
        "DEMO-002",
        "FAMILLE X",
        {
            "civility": "MME",
            "first_name": "Sophie",
            "last_name": "X",
            "email": "famille.x@example.org",
            "mobile_phone": "+33611111111",
            "birth_date": date(1988, 6, 2),
            "address": "3 place de l'Église",
            "postcode": "84000",
            "city": "Démo-sur-Sorgue",
        },
        [
            ("Léa", "F", date(2017, 11, 28), "CE1"),
            ("Hugo", "G", date(2019, 5, 2), "Grande section"),
        ],
    ),
    (
        "DEMO-003",
        "TESTMP",
        {
            "civility": "M",
            "first_name": "Marc",
            "last_name": "TESTMP",
            "email": "marc.testmp@example.org",
            "mobile_phone": "+33622222222",
            "birth_date": date(1980, 10, 17),
            "address": "5 chemin des Vignes",
            "postcode": "84000",
            "city": "Démo-sur-Sorgue",
        },
        [("Clara", "F", date(2015, 6, 9), "CM1"), ("Guilhem", "G", date(2018, 9, 21), "CP")],
    ),
]


# The enrolments' sites ("École du Centre" by default): the demo facilitator sees that one
# only, so TESTMP's children, at another site, show the restriction.
DEMO_SITES = {"DEMO-003": "École des Tilleuls"}
SITE_NAMES = [SCHOOL, "École des Tilleuls", "Accueil de loisirs du Parc"]


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
        # Authorised pickups by request with an identity document (seed guides); the
        # household page then links to the request instead of editing them.
        pickup_rule=PickupRule.REQUEST,
    )
    with municipality_scope(town):
        services = load_catalog(town)
        sites = load_sites(town, SITE_NAMES)
        load_news(town)
        load_inquiry_categories(town)
        for ref, name, guardian_fields, children in DEMO_HOUSEHOLDS:
            household = _household(town, ref, name)
            linked = {"user": user} if guardian_fields["email"] == DEMO_EMAIL else {}
            guardian = _guardian(household, 1, **guardian_fields, **linked)
            kids = [
                _child(
                    household,
                    first_name,
                    last_name=guardian_fields["last_name"],
                    civility=civility,
                    birth_date=born,
                    school=SCHOOL,
                    school_class=klass,
                )
                for first_name, civility, born, klass in children
            ]
            enroll_all(kids, services, site=sites[DEMO_SITES.get(ref, SCHOOL)])
            if household_is_activated(household):
                continue
            if ref == "DEMO-002":
                code = join_code_for(household=household)
                report.join_codes.append((town.name, household.name, code.code))
            else:
                link = invitation_link_issue(guardian=guardian, base_url=base_url)
                report.activation_links.append((guardian.email, link))
        dupont = Household.objects.get(external_ref="DEMO-001")
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
            defaults={"phone": "+33607070707", "relationship": "Tante"},
        )
        load_separated_demo(town)
        load_billing_demo(town, services)
        load_payments_demo(town)
        load_quotient_demo(town)
        load_direct_debit_demo(town)
        load_pes_demo(town, services)


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
        _guardian(dupont, 1, user=user, **DUPONT_GUARDIAN)
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
    superuser = User.objects.filter(email=ADMIN_EMAIL).first()
    if superuser is None:
        superuser = User.objects.create_superuser(ADMIN_EMAIL, ADMIN_PASSWORD, first_name="Admin")
    demo_device(user=superuser, secret=ADMIN_TOTP_SECRET)  # /admin/ asks for a code too
    _load_demo_town(report, user, base_url.rstrip("/"))
    _load_neighbour_town(user)
    report.agents = load_agents()
    return report
