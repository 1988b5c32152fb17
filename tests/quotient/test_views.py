"""The quotient screens: the family ("Gestion du foyer") and an agent (the household page)
give consent and fetch; a refusal is a French message and changes nothing; the agent copies
a paper certificate; an administrator sets the token, never shown back in full nor logged."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from espacefamille.audit.models import ActionLogEntry
from espacefamille.billing.models import HouseholdQuotient, QuotientSource
from espacefamille.core.tenancy import municipality_scope
from espacefamille.quotient.consents import quotient_consent_set
from espacefamille.quotient.models import QuotientConsent, QuotientEntry, QuotientSettings

from ..backoffice.helpers import make_agent, page_text
from .conftest import SIRET, TOKEN, FakeTransport, Setup, load_case

PORTAL = "/foyer/quotient-familial/"


def identity_post(setup: Setup, **changes: str) -> dict[str, str]:
    data = {
        "action": "fetch",
        "guardian": str(setup.family.guardian.pk),
        "birth_name": "BERNARD",
        "first_names": "ELODIE",
        "sex": "F",
        "birth_date": "18/03/1990",
        "birth_country": "99100",
        "birth_commune": "08480",
    }
    data.update(changes)
    return data


def quotients(setup: Setup) -> list[tuple[Decimal, str]]:
    with municipality_scope(setup.town):
        return list(
            HouseholdQuotient.objects.filter(household=setup.family.household).values_list(
                "value", "source"
            )
        )


@pytest.fixture(autouse=True)
def fast_hashing(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


def test_the_family_fetches_its_quotient(setup: Setup, transport: FakeTransport) -> None:
    client = setup.family.client
    page = page_text(client.get(PORTAL))
    assert "Consulter le quotient" in page and "Retirer l'accord" in page
    transport.answer(load_case("200-seul-1_enfant-qf_caf_650.yaml"))
    response = client.post(PORTAL, identity_post(setup), follow=True)
    assert "Quotient familial 650 (CAF) enregistré" in page_text(response)
    assert quotients(setup) == [(Decimal("650.00"), QuotientSource.API_CNAF)]
    with municipality_scope(setup.town):
        entry = QuotientEntry.objects.get()
    assert entry.channel == "family" and entry.recorded_by == setup.family.user


@pytest.mark.parametrize("name", ["404.yaml", "429.yaml", "502.yaml", "504.yaml"])
def test_a_refusal_is_a_french_message_and_changes_nothing(
    setup: Setup, transport: FakeTransport, name: str
) -> None:
    transport.answer(load_case(name))
    response = setup.family.client.post(PORTAL, identity_post(setup))
    assert response.status_code == 400
    page = page_text(response)
    assert "réessayez" in page or "Aucun dossier" in page
    assert quotients(setup) == []


def test_the_family_gives_and_withdraws_consent(setup: Setup, transport: FakeTransport) -> None:
    client = setup.family.client
    client.post(PORTAL, {"action": "withdraw"})
    page = page_text(client.get(PORTAL))
    assert "Donner l'accord" in page and "API Particulier" in page
    # Without the box ticked: refused, nothing recorded.
    response = client.post(PORTAL, {"action": "consent"})
    assert response.status_code == 400
    assert "Cochez la case" in page_text(response)
    # A fetch without consent is refused on the server too.
    transport.answer(load_case("200-seul-1_enfant-qf_caf_650.yaml"))
    response = client.post(PORTAL, identity_post(setup))
    assert transport.requests == [] and quotients(setup) == []
    assert client.post(PORTAL, {"action": "consent", "consent": "on"}).status_code == 302
    with municipality_scope(setup.town):
        latest = QuotientConsent.objects.filter(household=setup.family.household).first()
    assert latest is not None and latest.granted and latest.recorded_by == setup.family.user


def test_another_households_guardian_cannot_be_chosen(
    setup: Setup, transport: FakeTransport
) -> None:
    from ..conftest import make_family

    other = make_family(setup.town, email="autre@example.org")
    transport.answer(load_case("200-seul-1_enfant-qf_caf_650.yaml"))
    response = setup.family.client.post(
        PORTAL, identity_post(setup, guardian=str(other.guardian.pk))
    )
    assert response.status_code == 400
    assert transport.requests == [] and quotients(setup) == []


def test_an_agent_fetches_and_copies_a_paper_certificate(
    setup: Setup, transport: FakeTransport
) -> None:
    agent = make_agent(setup.town, "regie")
    url = f"/agents/foyers/{setup.family.household.pk}/quotient-familial/"
    assert page_text(agent.client.get(f"/agents/foyers/{setup.family.household.pk}/")).count(url)
    transport.answer(load_case("200-couple-2_enfants-qf_msa_150_sept2024.yaml"))
    assert agent.client.post(url, identity_post(setup)).status_code == 302
    data = {"action": "paper", "value": "812,50", "source": "caf", "valid_from": "01/02/2027"}
    assert agent.client.post(url, data).status_code == 302
    assert sorted(quotients(setup)) == [
        (Decimal("200.00"), QuotientSource.API_MSA),
        (Decimal("812.50"), QuotientSource.CAF),
    ]
    with municipality_scope(setup.town):
        paper = QuotientEntry.objects.get(method="paper")
    assert paper.recorded_by == agent.user
    page = page_text(agent.client.get(url))
    assert "attestation CAF (papier)" in page and "API Particulier (MSA)" in page
    assert agent.user.email in page
    # A bad paper value: a French field error, nothing written.
    response = agent.client.post(url, {**data, "value": "beaucoup"})
    assert response.status_code == 400 and len(quotients(setup)) == 2


def test_settings_keep_the_token_masked_and_out_of_the_log(setup: Setup) -> None:
    admin = make_agent(setup.town, "administrator")
    regie = make_agent(setup.town, "regie", email="regie@example.org")
    url = "/agents/configuration/api-particulier/"
    assert regie.client.get(url).status_code == 403
    page = page_text(admin.client.get(url))
    assert TOKEN not in page and "••••1234" in page
    data = {"is_enabled": "on", "token": "", "recipient": SIRET, "refresh_pause": "1,5"}
    assert admin.client.post(url, data).status_code == 302
    with municipality_scope(setup.town):
        config = QuotientSettings.objects.get()
        assert config.token == TOKEN  # an empty field keeps the stored token
        assert config.refresh_pause == Decimal("1.5")
        new = "eyJnew-token-value-9876"
        assert admin.client.post(url, {**data, "token": new}).status_code == 302
        config.refresh_from_db()
        assert config.token == new
        logged = json.dumps(
            [e.changes for e in ActionLogEntry.objects.filter(object_type="quotientsettings")],
            ensure_ascii=False,
        )
    assert new not in logged and TOKEN not in logged and "••••9876" in logged
    assert TOKEN not in repr(config) and new not in repr(config)
    response = admin.client.post(url, {**data, "recipient": "12345678901234"})
    assert response.status_code == 200 and "clé de contrôle" in page_text(response)
    response = admin.client.post(url, {**data, "recipient": "123"})
    assert "14 chiffres" in page_text(response)


def test_a_town_without_the_service_says_so(setup: Setup) -> None:
    with municipality_scope(setup.town):
        QuotientSettings.objects.update(is_enabled=False)
        quotient_consent_set(household=setup.family.household, granted=False, actor=None)
    page = page_text(setup.family.client.get(PORTAL))
    assert "ne propose pas la consultation" in page


def test_an_agent_records_the_familys_consent_as_the_agent(setup: Setup) -> None:
    agent = make_agent(setup.town, "regie")
    url = f"/agents/foyers/{setup.family.household.pk}/quotient-familial/"
    assert agent.client.post(url, {"action": "withdraw"}).status_code == 302
    assert "La famille a donné son accord" in page_text(agent.client.get(url))
    assert agent.client.post(url, {"action": "consent", "consent": "on"}).status_code == 302
    with municipality_scope(setup.town):
        latest, withdrawn, *_ = QuotientConsent.objects.filter(household=setup.family.household)
    assert latest.granted and latest.recorded_by == agent.user
    assert not withdrawn.granted and withdrawn.recorded_by == agent.user
