"""Mandate rules: IBAN checked (French messages), RUM format and uniqueness, masked display,
one active mandate per régie, amendments kept, and the IBAN never in the action log."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from espacefamille.audit.models import ActionLogEntry
from espacefamille.directdebit.errors import IbanError
from espacefamille.directdebit.ibans import clean_iban, derive_bic, mask_iban
from espacefamille.directdebit.models import Mandate, MandateAmendment, MandateStatus
from espacefamille.directdebit.rum import new_rum, rum_error
from espacefamille.directdebit.services import (
    MANDATE_TEXT_VERSION,
    DirectDebitError,
    mandate_amend,
    mandate_create,
    mandate_revoke,
)

from ..billing.conftest import Billing
from .conftest import IBAN, OTHER_IBAN, sign


def test_iban_is_refused_in_french() -> None:
    with pytest.raises(IbanError, match="IBAN n'est pas valide"):
        clean_iban("FR7630006000011234567890188")  # wrong key
    with pytest.raises(IbanError, match="zone SEPA"):
        clean_iban("BR1800360305000010009795493C1")
    assert clean_iban("fr76 3000 6000 0112 3456 7890 189") == IBAN


def test_bic_is_derived_and_iban_masked() -> None:
    assert derive_bic(IBAN).startswith("AGRIFRPP")
    assert mask_iban(IBAN) == "FR76 •••• •••• 0189"


def test_rum_format() -> None:
    assert rum_error("EF-1-2-ABCD") == ""
    assert rum_error("x" * 36)
    assert rum_error("RUM AVEC ESPACE")
    assert rum_error("Référence")
    assert rum_error("/ABC")
    assert rum_error("A//B")
    rum = new_rum(municipality_id=123456, household_id=99999999)
    assert len(rum) <= 35 and rum_error(rum) == ""


def test_online_signature_keeps_text_version_and_signer(debit_town: Billing) -> None:
    mandate = sign(debit_town)
    assert mandate.status == MandateStatus.ACTIVE
    assert mandate.sequence == "FRST"
    assert mandate.signed_on == timezone.localdate()
    assert mandate.signed_by == debit_town.family.user
    assert mandate.text_version == MANDATE_TEXT_VERSION
    assert "FR72ZZZ123456" in mandate.text
    assert mandate.bic.startswith("AGRIFRPP")
    assert str(mandate.masked_iban) == "FR76 •••• •••• 0189"


def test_invalid_iban_writes_nothing(debit_town: Billing) -> None:
    with pytest.raises(DirectDebitError) as error:
        sign(debit_town, iban="FR7630006000011234567890188")
    assert error.value.reason == "iban_invalid"
    assert not Mandate.objects.exists()


def test_one_active_mandate_per_regie(debit_town: Billing) -> None:
    sign(debit_town)
    with pytest.raises(DirectDebitError, match="déjà actif"):
        sign(debit_town, iban=OTHER_IBAN)


def test_regie_without_settings_refuses(debit_town: Billing) -> None:
    with pytest.raises(DirectDebitError) as error:
        mandate_create(
            household=debit_town.family.household,
            service=debit_town.restaurant,
            holder="X",
            iban=IBAN,
            channel="online",
            user=None,
        )
    assert error.value.reason == "not_offered"


def test_paper_mandate_keeps_its_date_and_rum_and_refuses_a_taken_rum(
    debit_town: Billing,
) -> None:
    signed = date.today() - timedelta(days=30)
    mandate = mandate_create(
        household=debit_town.family.household,
        service=debit_town.daycare,
        holder="François DUPONT",
        iban=IBAN,
        channel="paper",
        user=None,
        signed_on=signed,
        rum="PAPIER-2026-001",
    )
    assert (mandate.signed_on, mandate.rum, mandate.channel) == (signed, "PAPIER-2026-001", "paper")
    mandate_revoke(mandate=mandate, user=None)
    with pytest.raises(DirectDebitError) as error:
        mandate_create(
            household=debit_town.family.household,
            service=debit_town.daycare,
            holder="François DUPONT",
            iban=IBAN,
            channel="paper",
            user=None,
            signed_on=signed,
            rum="PAPIER-2026-001",
        )
    assert error.value.reason == "rum_taken"
    with pytest.raises(DirectDebitError) as error:
        mandate_create(
            household=debit_town.family.household,
            service=debit_town.daycare,
            holder="François DUPONT",
            iban=IBAN,
            channel="paper",
            user=None,
            signed_on=date.today() + timedelta(days=1),
        )
    assert error.value.reason == "future"


def test_amendment_keeps_the_previous_account(debit_town: Billing) -> None:
    mandate = sign(debit_town)
    old_rum = mandate.rum
    mandate = mandate_amend(mandate=mandate, user=None, iban=OTHER_IBAN, rum="NOUVELLE-RUM")
    assert (mandate.iban, mandate.rum) == (OTHER_IBAN, "NOUVELLE-RUM")
    amendment = MandateAmendment.objects.get(mandate=mandate)
    assert (amendment.previous_iban, amendment.previous_rum) == (IBAN, old_rum)
    with pytest.raises(DirectDebitError):
        mandate_amend(mandate=mandate, user=None, iban="DE00 1234")
    assert Mandate.objects.get(pk=mandate.pk).iban == OTHER_IBAN


def test_revoked_mandate_cannot_be_amended(debit_town: Billing) -> None:
    mandate = mandate_revoke(mandate=sign(debit_town), user=None)
    assert mandate.status == MandateStatus.REVOKED
    with pytest.raises(DirectDebitError):
        mandate_amend(mandate=mandate, user=None, iban=OTHER_IBAN)


def test_the_full_iban_is_never_in_the_action_log(debit_town: Billing) -> None:
    mandate = sign(debit_town)
    mandate_amend(mandate=mandate, user=None, iban=OTHER_IBAN)
    entries = list(ActionLogEntry.objects.filter(action__startswith="mandate."))
    assert [entry.action for entry in entries].count("mandate.sign") == 1
    dump = repr([(entry.changes, entry.object_repr) for entry in entries])
    assert "0189" in dump  # the masked IBAN is there
    assert IBAN not in dump and OTHER_IBAN not in dump
    assert "30006000011234567890" not in dump


def test_a_holder_with_an_invisible_character_is_refused(debit_town: Billing) -> None:
    with pytest.raises(DirectDebitError) as error:
        mandate_create(
            household=debit_town.family.household,
            service=debit_town.daycare,
            holder="François\u200bDUPONT",
            iban=IBAN,
            channel="online",
            user=None,
        )
    assert error.value.reason == "holder_invalid"


def test_anonymising_the_household_drops_the_account(debit_town: Billing) -> None:
    from espacefamille.privacy.retention import household_anonymise

    mandate = sign(debit_town)
    mandate_amend(mandate=mandate, user=None, iban=OTHER_IBAN)
    household_anonymise(debit_town.family.household)
    mandate = Mandate.objects.get()
    assert (mandate.iban, mandate.holder, mandate.status) == ("", "anonymisé", "revoked")
    assert not MandateAmendment.objects.exists()
