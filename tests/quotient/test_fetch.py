"""Fetching a guardian's quotient: each staging 200 is stored (value, provider, months, who,
from the next invoicing on); every other answer leaves the household as it was."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import time_machine

from espacefamille.billing.models import HouseholdQuotient, QuotientSource
from espacefamille.households.models import HouseholdChange
from espacefamille.quotient.consents import quotient_consent_set
from espacefamille.quotient.errors import QuotientError
from espacefamille.quotient.models import GuardianIdentity, QuotientConsent, QuotientEntry
from espacefamille.quotient.services import next_invoicing_start, quotient_fetch

from .conftest import SIRET, TOKEN, FakeTransport, Setup, body_of, case_names, load_case


def household_state(setup: Setup) -> tuple[list[tuple], int, int, int]:
    household = setup.family.household
    return (
        list(HouseholdQuotient.objects.filter(household=household).values_list()),
        QuotientEntry.objects.filter(household=household).count(),
        GuardianIdentity.objects.count(),
        HouseholdChange.objects.filter(household=household).count(),
    )


def fetch(setup: Setup, identity, **kwargs):  # type: ignore[no-untyped-def]
    return quotient_fetch(
        household=setup.family.household,
        guardian=setup.family.guardian,
        identity=identity,
        actor=setup.family.user,
        channel="family",
        **kwargs,
    )


@pytest.mark.parametrize("name", case_names("200-"))
def test_every_staging_quotient_is_stored_from_the_next_month(
    setup: Setup, transport: FakeTransport, name: str
) -> None:
    case = load_case(name)
    transport.answer(case)
    expected = body_of(case)["data"]["quotient_familial"]
    with time_machine.travel(date(2026, 12, 7), tick=False):
        entry = fetch(setup, case.identity())
    row = HouseholdQuotient.objects.get(household=setup.family.household)
    assert row.value == Decimal(expected["valeur"])
    assert row.valid_from == date(2027, 1, 1)
    provider = expected["fournisseur"]
    assert row.source == {"CNAF": QuotientSource.API_CNAF, "MSA": QuotientSource.API_MSA}[provider]
    assert entry.provider == provider
    assert entry.computed_month == date(expected["annee_calcul"], expected["mois_calcul"], 1)
    assert entry.reference_month == date(expected["annee"], expected["mois"], 1)
    assert entry.recorded_by == setup.family.user
    assert entry.method == "api"
    assert entry.quotient_id == row.pk
    identity = GuardianIdentity.objects.get(guardian=setup.family.guardian)
    assert identity.birth_name == case.params["nomNaissance"]


def test_a_cnaf_and_an_msa_answer_are_told_apart(setup: Setup, transport: FakeTransport) -> None:
    transport.answer(load_case("200-seul-1_enfant-qf_caf_650.yaml"))
    fetch(setup, load_case("200-seul-1_enfant-qf_caf_650.yaml").identity())
    msa = load_case("200-couple-2_enfants-qf_msa_150_mai23.yaml")
    transport.answer(msa)
    fetch(setup, msa.identity())
    assert sorted(
        HouseholdQuotient.objects.filter(household=setup.family.household).values_list(
            "source", "value"
        )
    ) == [(QuotientSource.API_CNAF, Decimal("650.00")), (QuotientSource.API_MSA, Decimal("150.00"))]


@pytest.mark.parametrize("name", [*case_names("404"), *case_names("429"), *case_names("50")])
def test_every_staging_error_leaves_the_household_unchanged(
    setup: Setup, transport: FakeTransport, name: str
) -> None:
    case = load_case(name)
    transport.answer(case)
    before = household_state(setup)
    with pytest.raises(QuotientError) as refused:
        fetch(setup, case.identity())
    assert household_state(setup) == before
    expected = {404: "not_found", 429: "rate_limited", 502: "api_down", 504: "api_down"}
    assert refused.value.reason == expected[case.status]
    assert refused.value.message  # French, for the person
    assert "API" in refused.value.message or "CAF" in refused.value.message


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (requests.ConnectTimeout("slow"), "timeout"),
        (requests.ReadTimeout("slow"), "timeout"),
        (requests.ConnectionError("refused"), "api_down"),
    ],
)
def test_a_server_down_or_slow_changes_nothing(
    setup: Setup, transport: FakeTransport, error: Exception, reason: str
) -> None:
    transport.error = error
    before = household_state(setup)
    with pytest.raises(QuotientError) as refused:
        fetch(setup, load_case("200-seul-1_enfant-qf_caf_650.yaml").identity())
    assert refused.value.reason == reason
    assert household_state(setup) == before


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (200, b"<html>maintenance</html>", "malformed"),
        (
            200,
            b'{"data": {"quotient_familial": {"fournisseur": "CNAF", "valeur": null}}}',
            "malformed",
        ),
        (
            200,
            b'{"data": {"quotient_familial": {"fournisseur": "CAF", "valeur": 10, "annee": '
            b'2024, "mois": 1, "annee_calcul": 2024, "mois_calcul": 1}}}',
            "malformed",
        ),
        (200, b"{}", "malformed"),
        (409, b"{}", "several_matches"),
        (422, b"{}", "bad_identity"),
        (401, b"{}", "token_refused"),
        (503, b"", "api_down"),
        (302, b"", "unexpected"),
    ],
)
def test_every_other_answer_changes_nothing(
    setup: Setup, transport: FakeTransport, status: int, body: bytes, reason: str
) -> None:
    transport.status, transport.body = status, body
    before = household_state(setup)
    with pytest.raises(QuotientError) as refused:
        fetch(setup, load_case("200-seul-1_enfant-qf_caf_650.yaml").identity())
    assert refused.value.reason == reason
    assert household_state(setup) == before


def test_the_token_goes_in_a_header_only_and_never_in_the_logs(
    setup: Setup, transport: FakeTransport, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    case = load_case("200-couple-2_enfants-qf_msa_150_mai23.yaml")
    transport.answer(case)
    fetch(setup, case.identity())
    transport.answer(load_case("404.yaml"))
    with pytest.raises(QuotientError):
        fetch(setup, case.identity())
    first = transport.requests[0]
    assert first.headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in (first.url or "")
    assert first.body is None
    assert first.method == "GET"
    address = urlsplit(first.url or "")
    assert address.scheme == "https"
    assert address.path == "/v3/dss/quotient_familial/identite"
    query = parse_qs(address.query)
    assert query["recipient"] == [SIRET]
    assert query["nomNaissance"] == ["ROUX"]
    assert query["prenoms[]"] == ["JEANNE", "STEPHANIE"]
    assert query["codeCogInseeCommuneNaissance"] == ["08480"]
    assert query["sexeEtatCivil"] == ["F"]
    assert TOKEN not in caplog.text
    assert "test-token" not in caplog.text
    assert "not_found" in caplog.text


def test_no_fetch_without_consent(setup: Setup, transport: FakeTransport) -> None:
    quotient_consent_set(household=setup.family.household, granted=False, actor=setup.family.user)
    case = load_case("200-seul-1_enfant-qf_caf_650.yaml")
    transport.answer(case)
    before = household_state(setup)
    with pytest.raises(QuotientError) as refused:
        fetch(setup, case.identity())
    assert refused.value.reason == "no_consent"
    assert transport.requests == []  # not even asked
    assert household_state(setup) == before


def test_withdrawing_consent_forgets_the_identity_and_keeps_the_quotient(
    setup: Setup, transport: FakeTransport
) -> None:
    case = load_case("200-seul-1_enfant-qf_caf_650.yaml")
    transport.answer(case)
    fetch(setup, case.identity())
    assert GuardianIdentity.objects.count() == 1
    assert quotient_consent_set(
        household=setup.family.household, granted=False, actor=setup.family.user
    )
    assert GuardianIdentity.objects.count() == 0
    assert HouseholdQuotient.objects.filter(household=setup.family.household).count() == 1
    consents = list(QuotientConsent.objects.filter(household=setup.family.household))
    assert [c.granted for c in consents] == [False, True]
    assert all(c.wording and c.version and c.recorded_by == setup.family.user for c in consents)
    # Answering the same again records nothing.
    assert not quotient_consent_set(
        household=setup.family.household, granted=False, actor=setup.family.user
    )


def test_a_town_without_the_service_is_not_called(setup: Setup, transport: FakeTransport) -> None:
    setup.config.is_enabled = False
    setup.config.save()
    with pytest.raises(QuotientError) as refused:
        fetch(setup, load_case("200-seul-1_enfant-qf_caf_650.yaml").identity())
    assert refused.value.reason == "service_off"
    assert transport.requests == []


def test_the_next_invoicing_starts_the_first_of_next_month() -> None:
    assert next_invoicing_start(date(2026, 12, 7)) == date(2027, 1, 1)
    assert next_invoicing_start(date(2026, 1, 31)) == date(2026, 2, 1)
    assert next_invoicing_start(date(2026, 6, 1)) == date(2026, 7, 1)


def test_the_fetched_bracket_prices_the_next_invoicing_not_the_current_month(
    transport: FakeTransport,
    billing,  # type: ignore[no-untyped-def]
) -> None:
    from espacefamille.billing.models import Invoice, InvoiceLine, ProductPrice
    from espacefamille.billing.runs import invoice_run_draft
    from espacefamille.quotient.models import QuotientSettings

    from ..billing.conftest import OCTOBER

    meal = billing.p("REPAS")
    for bound, price, default in [(Decimal("700"), "1.10", False), (None, "3.50", True)]:
        ProductPrice.objects.create(
            municipality=billing.town,
            product=meal,
            effective_from=date(2026, 9, 1),
            quotient_max=bound,
            is_default_bracket=default,
            unit_price=Decimal(price),
        )
    QuotientSettings.objects.create(
        municipality=billing.town, is_enabled=True, token=TOKEN, recipient=SIRET
    )
    household = billing.family.household
    quotient_consent_set(household=household, granted=True, actor=billing.family.user)
    case = load_case("200-seul-1_enfant-qf_caf_650.yaml")
    transport.answer(case)
    with time_machine.travel(date(2026, 9, 20), tick=False):
        quotient_fetch(
            household=household,
            guardian=billing.family.guardian,
            identity=case.identity(),
            actor=billing.family.user,
            channel="family",
        )
    billing.book(billing.paul, "REPAS", 28, month=9)
    billing.attend(billing.paul, "REPAS", "present", 28, month=9)
    billing.book(billing.paul, "REPAS", 5)
    billing.attend(billing.paul, "REPAS", "present", 5)

    def price_of(month: date) -> Decimal:
        run = invoice_run_draft(service=billing.restaurant, month=month)
        (line,) = InvoiceLine.objects.filter(invoice__in=Invoice.objects.filter(run=run))
        return line.unit_price

    assert price_of(date(2026, 9, 1)) == Decimal("3.50")  # the month under way: unchanged
    assert price_of(OCTOBER) == Decimal("1.10")  # the next invoicing: the 650 bracket
