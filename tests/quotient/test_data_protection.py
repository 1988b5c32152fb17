"""The quotient's personal data: in "Mes données" (quotients, consents with their text, the
identity sent), and gone when the file is anonymised (the quotient values stay: they priced
invoices)."""

from __future__ import annotations

from espacefamille.billing.models import HouseholdQuotient
from espacefamille.core.tenancy import municipality_scope
from espacefamille.privacy.data_export import household_data
from espacefamille.privacy.retention import household_anonymise
from espacefamille.quotient.models import GuardianIdentity, QuotientConsent
from espacefamille.quotient.services import quotient_fetch

from .conftest import FakeTransport, Setup, load_case


def fetched(setup: Setup, transport: FakeTransport) -> None:
    case = load_case("200-seul-1_enfant-qf_caf_650.yaml")
    transport.answer(case)
    quotient_fetch(
        household=setup.family.household,
        guardian=setup.family.guardian,
        identity=case.identity(),
        actor=setup.family.user,
        channel="family",
    )


def test_my_data_holds_the_quotient_the_consent_and_the_identity(
    setup: Setup, transport: FakeTransport
) -> None:
    with municipality_scope(setup.town):
        fetched(setup, transport)
        data = household_data(setup.family.household)
    (quotient,) = data["quotient_familial"]
    assert quotient["quotient"] == "650.00" and quotient["organisme"] == "CNAF"
    assert quotient["mois_de_calcul"] == "2024-12-01"
    (consent,) = data["quotient_familial_accords"]
    assert consent["accord"] is True and "API Particulier" in consent["texte_presente"]
    (identity,) = data["quotient_familial_identites"]
    assert identity["nom_de_naissance"] == "BERNARD"


def test_anonymising_forgets_the_identity_and_the_consents(
    setup: Setup, transport: FakeTransport
) -> None:
    with municipality_scope(setup.town):
        fetched(setup, transport)
        household_anonymise(setup.family.household)
        assert not GuardianIdentity.objects.exists()
        assert not QuotientConsent.objects.exists()
        assert HouseholdQuotient.objects.filter(household=setup.family.household).count() == 1
