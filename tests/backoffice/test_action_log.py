"""Every data-changing back-office action writes its entry in the town's action log, with the
acting agent; the table lists each action (POST URL, data) and the entry it must write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from espacefamille.audit.models import ActionLogEntry
from espacefamille.catalog.models import school_year_of
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope

from .helpers import Agent, make_agent
from .screens import Objects, town_objects

pytestmark = pytest.mark.django_db

Data = Callable[[Objects], tuple[str, dict[str, Any]]]

GUARDIAN = {"civility": "MME", "first_name": "Lou", "last_name": "NEUF", "email": "lou@example.org"}
CHILD = {"first_name": "Max", "last_name": "NEUF", "birth_date": "03/03/2019", "school": "Centre"}
PRODUCT = {
    "name": "GOUTER",
    "position": 5,
    "weekdays": ["0", "1"],
    "opens_in_school_periods": "on",
    "is_active": "on",
    "booking-kind": "days",
    "booking-days": "1",
    "booking-at": "18:00",
    "cancellation-kind": "prevweek",
    "cancellation-weekday": "2",
    "cancellation-at": "12:00",
}
YEAR = school_year_of(timezone.localdate())
CLOSURE = {"start_date": "05/07/2027", "end_date": "09/07/2027", "reason": "Travaux d'été"}
TABLE: list[tuple[str, Data]] = [
    (
        "household.create",
        lambda o: ("/agents/foyers/nouveau/", {"household_name": "NEUF", **GUARDIAN}),
    ),
    ("household.update", lambda o: (f"/agents/foyers/{o.household}/nom/", {"name": "RENOMMÉ"})),
    (
        "guardian.create",
        lambda o: (f"/agents/foyers/{o.household}/responsables/ajouter/", GUARDIAN),
    ),
    (
        "guardian.update",
        lambda o: (f"/agents/foyers/{o.household}/responsables/{o.guardian}/", GUARDIAN),
    ),
    ("child.create", lambda o: (f"/agents/foyers/{o.household}/enfants/ajouter/", CHILD)),
    ("child.update", lambda o: (f"/agents/foyers/{o.household}/enfants/{o.child}/", CHILD)),
    (
        "enrollment.create",
        lambda o: (
            f"/agents/foyers/{o.household}/enfants/{o.child}/inscription/",
            {"service": o.service, "school_year": YEAR, "site": o.site},
        ),
    ),
    ("join_code.create", lambda o: (f"/agents/foyers/{o.household}/code-adhesion/", {})),
    ("invitation.send", lambda o: (f"/agents/foyers/{o.household}/invitation/", {})),
    ("household.lock", lambda o: (f"/agents/foyers/{o.household}/acces/", {"lock": "1"})),
    (
        "municipality.update",
        lambda o: (
            "/agents/configuration/commune/",
            {"name": "Autre nom", "holiday_zone": "B", "max_guardians": 3},
        ),
    ),
    (
        "diet.create",
        lambda o: (
            "/agents/configuration/regimes/ajouter/",
            {"label": "Sans sésame", "is_active": "on", "position": 1},
        ),
    ),
    (
        "diet.update",
        lambda o: (
            f"/agents/configuration/regimes/{o.diet}/",
            {"label": "Renommé", "is_active": "on", "position": 1},
        ),
    ),
    (
        "site.create",
        lambda o: ("/agents/configuration/sites/ajouter/", {"name": "École des Tilleuls"}),
    ),
    (
        "site.update",
        lambda o: (f"/agents/configuration/sites/{o.site}/", {"name": "École du Centre-ville"}),
    ),
    (
        "service.create",
        lambda o: (
            "/agents/configuration/services/ajouter/",
            {"name": "Études", "billing_mode": "postpaid", "position": 1},
        ),
    ),
    (
        "service.update",
        lambda o: (
            f"/agents/configuration/services/{o.service}/",
            {"name": "Cantine", "billing_mode": "postpaid", "position": 1},
        ),
    ),
    (
        "product.create",
        lambda o: (f"/agents/configuration/services/{o.service}/prestations/ajouter/", PRODUCT),
    ),
    (
        "product.update",
        lambda o: (
            f"/agents/configuration/services/{o.service}/prestations/{o.product}/",
            {**PRODUCT, "name": "REPAS"},
        ),
    ),
    ("closure.create", lambda o: ("/agents/configuration/fermetures/ajouter/", CLOSURE)),
    ("closure.update", lambda o: (f"/agents/configuration/fermetures/{o.closure}/", CLOSURE)),
    ("closure.delete", lambda o: (f"/agents/configuration/fermetures/{o.closure}/supprimer/", {})),
    (
        "agent.create",
        lambda o: (
            "/agents/agents/ajouter/",
            {
                "email": "neuf@example.org",
                "last_name": "N",
                "first_name": "A",
                "role": "regie",
                "password": "Agent-Neuf-2026!",
            },
        ),
    ),
    (
        "agent.update",
        lambda o: (f"/agents/agents/{o.agent}/", {"role": "facilitator", "sites": [o.site]}),
    ),
    ("agent.disable", lambda o: (f"/agents/agents/{o.agent}/activation/", {})),
    ("agent.device_reset", lambda o: (f"/agents/agents/{o.agent}/reinitialiser-application/", {})),
]


@pytest.mark.parametrize(("action", "request_for"), TABLE, ids=[row[0] for row in TABLE])
def test_each_change_writes_its_entry(
    town: Municipality, administrator: Agent, action: str, request_for: Data
) -> None:
    colleague = make_agent(town, "regie", email="collegue@example.org")
    objects = town_objects(town, colleague.role)
    with municipality_scope(town):
        before = ActionLogEntry.objects.count()
    url, data = request_for(objects)
    response = administrator.client.post(url, data)
    assert response.status_code in (200, 302), response.context and [
        form.errors for form in [response.context.get("form")] if form
    ]
    with municipality_scope(town):
        entries = list(ActionLogEntry.objects.order_by("pk")[before:])
    assert action in [entry.action for entry in entries], (url, [e.action for e in entries])
    entry = next(entry for entry in entries if entry.action == action)
    assert entry.actor == administrator.user
    assert entry.municipality_id == town.pk


def test_linking_a_login_to_a_household_goes_through_the_change_logs(town: Municipality) -> None:
    from espacefamille.households.models import HouseholdChange
    from espacefamille.onboarding.join_codes import join_code_for, join_code_redeem

    from ..factories import GuardianFactory, HouseholdFactory, UserFactory

    household = HouseholdFactory(municipality=town)
    guardian = GuardianFactory(household=household, user=None)
    user = UserFactory()
    with municipality_scope(town):
        code = join_code_for(household=household)
    join_code_redeem(user=user, code=code.code, ip_address=None)
    with municipality_scope(town):
        entry = ActionLogEntry.objects.get(action="guardian.link_account")
        assert (entry.actor, entry.object_id) == (user, guardian.pk)
        assert HouseholdChange.objects.filter(household=household, changes__compte__1=user.email)
