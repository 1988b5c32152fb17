"""The demo's separated parents: MARTIN, Paul DUPONT's other parent, has a household of its
own in "Commune de Démo"; Paul is shared by DUPONT and MARTIN (alternate weeks from the next
Monday, week A with DUPONT), Julie is not."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from espacefamille.accounts.models import User
from espacefamille.core.models import Municipality
from espacefamille.households.models import (
    Child,
    ChildHousehold,
    CustodyKind,
    CustodyPattern,
    Guardian,
    Household,
)

MARTIN_EMAIL = "claire.martin@example.org"
MARTIN_PASSWORD = "Demo-Martin-2026!"  # noqa: S105 - published demo login (README)


def next_monday(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def load_separated_demo(town: Municipality) -> None:
    user = User.objects.filter(email=MARTIN_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            MARTIN_EMAIL, MARTIN_PASSWORD, first_name="Claire", last_name="MARTIN"
        )
    martin, _created = Household.objects.update_or_create(
        municipality=town, external_ref="DEMO-004", defaults={"name": "MARTIN"}
    )
    Guardian.objects.update_or_create(
        municipality=town,
        household=martin,
        rank=1,
        defaults={
            "user": user,
            "civility": "MME",
            "first_name": "Claire",
            "last_name": "MARTIN",
            "email": MARTIN_EMAIL,
            "mobile_phone": "+33633333333",
            "birth_date": date(1986, 9, 5),
            "address": "8 avenue des Platanes",
            "postcode": "84000",
            "city": "Démo-sur-Sorgue",
        },
    )
    paul = Child.objects.get(household__external_ref="DEMO-001", first_name="Paul")
    if not ChildHousehold.objects.filter(child=paul, household=martin, ended_at=None).exists():
        ChildHousehold.objects.create(municipality=town, child=paul, household=martin)
    CustodyPattern.objects.update_or_create(
        municipality=town,
        child=paul,
        defaults={
            "kind": CustodyKind.ALTERNATE_WEEKS,
            "start_date": next_monday(timezone.localdate()),
            "home_weekdays": "",
        },
    )
