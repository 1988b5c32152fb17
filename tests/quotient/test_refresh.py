"""The yearly refresh: consenting households only, one call at a time with the configured
pause, counts reported; a refusal changes nothing; a 429 stops the run."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from espacefamille.billing.models import HouseholdQuotient
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Guardian, Household
from espacefamille.quotient.consents import quotient_consent_set
from espacefamille.quotient.models import GuardianIdentity

from ..factories import GuardianFactory, HouseholdFactory
from .conftest import Case, FakeTransport, Setup, load_case


def member(setup: Setup, name: str, case: Case, *, consent: bool) -> Household:
    household = HouseholdFactory(municipality=setup.town, name=name)
    guardian = GuardianFactory(household=household, rank=1, email=f"{name}@example.org")
    if consent:
        quotient_consent_set(household=household, granted=True, actor=None)
    keep(guardian, case)
    return household


def keep(guardian: Guardian, case: Case) -> None:
    identity = case.identity()
    GuardianIdentity.objects.create(
        municipality=guardian.municipality,
        guardian=guardian,
        birth_name=identity.birth_name,
        first_names=" ".join(identity.first_names),
        sex=identity.sex,
        birth_date=identity.birth_date,
        birth_country=identity.birth_country,
        birth_commune=identity.birth_commune,
    )


def quotients(household: Household) -> list[Decimal]:
    return list(
        HouseholdQuotient.objects.filter(household=household).values_list("value", flat=True)
    )


def test_the_refresh_fetches_consenting_households_with_a_pause(
    setup: Setup, transport: FakeTransport
) -> None:
    caf = load_case("200-seul-1_enfant-qf_caf_650.yaml")
    msa = load_case("200-couple-2_enfants-qf_msa_150_sept2024.yaml")
    missing = load_case("404-identite-cas-nominal-trop-peu-de-donnee-prenom.yaml")
    with municipality_scope(setup.town):
        keep(setup.family.guardian, caf)  # DUPONT consents (the fixture)
        roux = member(setup, "ROUX", msa, consent=True)
        lost = member(setup, "PERDU", missing, consent=True)
        refused = member(setup, "NON", caf, consent=False)
        HouseholdFactory(municipality=setup.town, name="SANS")  # never asked
        quotient_consent_set(  # consents, but no identity kept yet
            household=HouseholdFactory(municipality=setup.town, name="NOUVEAU"),
            granted=True,
            actor=None,
        )
        setup.config.refresh_pause = Decimal("2.5")
        setup.config.save()
    transport.by_birth_name = {"BERNARD": caf, "Martin": msa, "DUPONT": missing}
    out = StringIO()
    with mock.patch("espacefamille.quotient.refresh.time.sleep") as sleep:
        call_command("refresh_family_quotients", "test", stdout=out)
    assert [call.args for call in sleep.call_args_list] == [(2.5,), (2.5,)]
    assert len(transport.requests) == 3
    text = out.getvalue()
    assert "Foyers ayant donné leur accord : 4" in text
    assert "Quotients renouvelés : 2" in text
    assert "Sans identité enregistrée (à consulter une première fois) : 1" in text
    assert "not_found : 1" in text
    with municipality_scope(setup.town):
        assert quotients(setup.family.household) == [Decimal("650.00")]
        assert quotients(roux) == [Decimal("200.00")]
        assert quotients(lost) == []
        assert quotients(refused) == []


def test_a_429_stops_the_refresh_and_the_pause_is_an_option(
    setup: Setup, transport: FakeTransport
) -> None:
    caf = load_case("200-seul-1_enfant-qf_caf_650.yaml")
    with municipality_scope(setup.town):
        keep(setup.family.guardian, caf)
        member(setup, "ROUX", caf, consent=True)
    transport.answer(load_case("429.yaml"))
    out = StringIO()
    with mock.patch("espacefamille.quotient.refresh.time.sleep") as sleep:
        call_command("refresh_family_quotients", "test", "--pause", "0", stdout=out)
    assert len(transport.requests) == 1
    assert sleep.call_count == 0
    assert "Arrêté avant la fin : rate_limited" in out.getvalue()


def test_an_unknown_town_or_a_town_without_the_service_is_refused(
    setup: Setup, transport: FakeTransport
) -> None:
    with pytest.raises(CommandError):
        call_command("refresh_family_quotients", "nulle-part", stdout=StringIO())
    with municipality_scope(setup.town):
        setup.config.is_enabled = False
        setup.config.save()
    with pytest.raises(CommandError, match="n'a pas activé"):
        call_command("refresh_family_quotients", "test", stdout=StringIO())
    assert transport.requests == []


def test_the_refreshed_quotient_starts_next_month(setup: Setup, transport: FakeTransport) -> None:
    from espacefamille.quotient.refresh import quotients_refresh

    caf = load_case("200-seul-1_enfant-qf_caf_650.yaml")
    transport.answer(caf)
    with municipality_scope(setup.town):
        keep(setup.family.guardian, caf)
        report = quotients_refresh(municipality=setup.town, pause=0, today=date(2027, 1, 10))
        assert report.fetched == 1
        row = HouseholdQuotient.objects.get(household=setup.family.household)
    assert row.valid_from == date(2027, 2, 1)
