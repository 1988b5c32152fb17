"""Configuration › SMS (issue 20): the town's sender name (11 characters at most), provider and
API key (never shown back in full, kept when the field is left empty, masked in the action
log), and the SMS sent month by month with their cost, read from the deliveries. Only the
town's administrators."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from espacefamille.audit.models import ActionLogEntry
from espacefamille.backoffice.audit_labels import action_label, field_label
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Kind,
    SmsSettings,
)

from ..factories import HouseholdFactory, MunicipalityFactory
from .helpers import Agent, page_text

pytestmark = pytest.mark.django_db

URL = "/agents/configuration/sms/"
KEY = "xkeysib-0123456789abcdefWXYZ"
PARIS = ZoneInfo("Europe/Paris")


def _brevo(**changes: str) -> dict[str, str]:
    data = {
        "sender": "MAIRIE",
        "provider": "brevo",
        "api_key": KEY,
        "max_length": "320",
        "unit_cost": "0,045",
    }
    data.update(changes)
    return data


def _settings(town: Municipality) -> SmsSettings | None:
    with municipality_scope(town):
        return SmsSettings.objects.filter(municipality=town).first()


def _entries(town: Municipality) -> list[ActionLogEntry]:
    with municipality_scope(town):
        return list(ActionLogEntry.objects.filter(action="sms_settings.update").order_by("pk"))


def test_the_configuration_lists_the_sms_screen(administrator: Agent) -> None:
    page = page_text(administrator.client.get("/agents/configuration/"))
    assert URL in page and "SMS aux familles" in page


def test_only_administrators_open_it(regie: Agent, facilitator: Agent, town: Municipality) -> None:
    for agent in (regie, facilitator):
        assert agent.client.get(URL).status_code == 403
        assert agent.client.post(URL, _brevo()).status_code == 403
    assert _settings(town) is None


def test_the_key_is_kept_masked_on_screen_and_in_the_log(
    administrator: Agent, town: Municipality
) -> None:
    client = administrator.client
    response = client.post(URL, _brevo())
    assert response.status_code == 302, page_text(response)
    config = _settings(town)
    assert config is not None
    assert (config.sender, config.provider, config.api_key) == ("MAIRIE", "brevo", KEY)
    assert config.unit_cost == Decimal("0.045") and config.max_length == 320
    page = page_text(client.get(URL))
    assert KEY not in page and "••••WXYZ" in page
    assert 'value="0,045"' in page
    (entry,) = _entries(town)
    assert KEY not in json.dumps(entry.changes, ensure_ascii=False)
    assert entry.changes["api_key"] == [None, "••••WXYZ"]
    assert action_label("sms_settings.update") == "réglages des SMS modifiés"
    assert field_label("smssettings", "provider") == "fournisseur de SMS"
    assert field_label("smssettings", "sender") == "nom d'expéditeur"
    log = page_text(client.get("/agents/journal/"))
    assert "réglages des SMS modifiés" in log and KEY not in log


def test_an_empty_key_keeps_the_stored_one(administrator: Agent, town: Municipality) -> None:
    client = administrator.client
    client.post(URL, _brevo())
    assert client.post(URL, _brevo(api_key="", sender="VILLE 2")).status_code == 302
    config = _settings(town)
    assert config is not None and config.api_key == KEY and config.sender == "VILLE 2"
    assert _entries(town)[-1].changes == {"sender": ["MAIRIE", "VILLE 2"]}


def test_the_console_provider_forgets_the_key(administrator: Agent, town: Municipality) -> None:
    administrator.client.post(URL, _brevo())
    administrator.client.post(URL, _brevo(provider="console", api_key=""))
    config = _settings(town)
    assert config is not None and config.provider == "console" and config.api_key == ""


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"sender": "MAIRIE DE TEST"}, "sender", "11 caractères au plus"),
        ({"sender": "MAIRIÉ"}, "sender", "sans accent"),
        ({"sender": "12345"}, "sender", "au moins une lettre"),
        ({"sender": "   "}, "sender", "Ce champ est obligatoire"),
        ({"provider": "ovh"}, "provider", "Sélectionnez un choix valide"),
        ({"api_key": ""}, "api_key", "clé d'API de Brevo"),
        ({"api_key": "deux mots"}, "api_key", "ni espace"),
        ({"max_length": "100"}, "max_length", "entre 160 et 918"),
        ({"max_length": "beaucoup"}, "max_length", "nombre entier"),
        ({"unit_cost": "0,04567"}, "unit_cost", "4 décimales au plus"),
        ({"unit_cost": "-1"}, "unit_cost", "4 décimales au plus"),
        ({"unit_cost": "2"}, "unit_cost", "entre 0 et 1 €"),
    ],
)
def test_a_bad_value_says_why_in_french_and_writes_nothing(
    administrator: Agent, town: Municipality, changes: dict[str, str], field: str, words: str
) -> None:
    response = administrator.client.post(URL, _brevo(**changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert any(words in message for message in form.errors[field]), form.errors
    assert _settings(town) is None and _entries(town) == []


def test_the_month_count_and_cost_come_from_the_deliveries(
    administrator: Agent, town: Municipality
) -> None:
    administrator.client.post(URL, _brevo(unit_cost="0,05"))
    other = MunicipalityFactory(slug="ailleurs")
    with municipality_scope(town):
        household = HouseholdFactory(municipality=town)
    with municipality_scope(other):
        elsewhere = HouseholdFactory(municipality=other)

    def sms(where: Municipality, family: object, when: datetime, parts: int, status: str) -> None:
        with municipality_scope(where):
            Delivery.objects.create(
                municipality=where,
                household=family,
                kind=Kind.CLOSURE,
                channel=Channel.SMS,
                subject="Fermeture",
                body="…",
                status=status,
                sent_at=when,
                segments=parts,
            )

    sms(town, household, datetime(2026, 12, 1, 0, 30, tzinfo=PARIS), 2, DeliveryStatus.SENT)
    sms(town, household, datetime(2026, 12, 6, 9, 0, tzinfo=PARIS), 1, DeliveryStatus.SENT)
    sms(town, household, datetime(2026, 12, 6, 9, 0, tzinfo=PARIS), 1, DeliveryStatus.FAILED)
    sms(town, household, datetime(2026, 11, 30, 23, 30, tzinfo=PARIS), 3, DeliveryStatus.SENT)
    sms(other, elsewhere, datetime(2026, 12, 2, 9, 0, tzinfo=PARIS), 5, DeliveryStatus.SENT)
    with time_machine.travel(datetime(2026, 12, 7, 10, 0, tzinfo=PARIS), tick=False):
        response = administrator.client.get(URL)
    usage = response.context["usage"]
    assert [(row.month.month, row.messages, row.parts, row.cost) for row in usage[:2]] == [
        (12, 2, 3, Decimal("0.15")),
        (11, 1, 3, Decimal("0.15")),
    ]
    assert len(usage) == 6 and all(row.messages == 0 for row in usage[2:])
    page = page_text(response)
    assert "Décembre 2026" in page and "0,15 €" in page
