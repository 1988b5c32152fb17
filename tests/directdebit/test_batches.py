"""pain.008 batches: validated by sepaxml's schema, FRST then RCUR per mandate, an invoice
never debited twice, revocation stops future debits only, the invoice settled through
billing's services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
import xmlschema
from lxml import etree

from espacefamille.audit.models import ActionLogEntry
from espacefamille.billing.balances import invoice_balance
from espacefamille.billing.models import Settlement, SettlementMethod
from espacefamille.directdebit.batches import batch_candidates, debit_batch_create
from espacefamille.directdebit.models import CollectionMode, Debit, DirectDebitSettings
from espacefamille.directdebit.services import DirectDebitError, mandate_revoke

from ..billing.conftest import Billing
from .conftest import IBAN, daycare_invoice, sign

SCHEMA = Path(sepaxml.__file__).parent / "schemas" / "pain.008.001.02.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}


def sequences(xml: str) -> list[str]:
    return etree.fromstring(xml.encode()).xpath("//p:SeqTp/text()", namespaces=NS)


def test_batch_validates_and_goes_frst_then_rcur(debit_town: Billing) -> None:
    mandate = sign(debit_town)
    october = daycare_invoice(debit_town, 1, 2)
    assert october.total == Decimal("4.00")
    first = debit_batch_create(
        service=debit_town.daycare, collection_date=october.due_on, user=None
    )
    xmlschema.XMLSchema(str(SCHEMA)).validate(first.xml)
    assert sequences(first.xml) == ["FRST"]
    assert (
        IBAN in first.xml and mandate.rum in first.xml and '<InstdAmt Ccy="EUR">4.00' in first.xml
    )
    assert first.debit_count == 1 and first.total == Decimal("4.00")
    assert "<Nm>Francois DUPONT</Nm>" in first.xml
    assert invoice_balance(invoice=october) == Decimal("0.00")
    settlement = Settlement.objects.get()
    assert settlement.method == SettlementMethod.DIRECT_DEBIT
    assert ActionLogEntry.objects.filter(action="debit_batch.create").count() == 1

    november = daycare_invoice(debit_town, 2, 3, month=11)
    second = debit_batch_create(
        service=debit_town.daycare, collection_date=november.due_on, user=None
    )
    xmlschema.XMLSchema(str(SCHEMA)).validate(second.xml)
    assert sequences(second.xml) == ["RCUR"]
    assert [d.invoice_id for d in second.debits.all()] == [november.pk]


def test_an_invoice_is_never_debited_twice(debit_town: Billing) -> None:
    sign(debit_town)
    october = daycare_invoice(debit_town, 1)
    debit_batch_create(service=debit_town.daycare, collection_date=october.due_on, user=None)
    with pytest.raises(DirectDebitError) as error:
        debit_batch_create(service=debit_town.daycare, collection_date=october.due_on, user=None)
    assert error.value.reason == "empty"
    assert Debit.objects.filter(invoice=october).count() == 1


def test_not_before_the_announced_day(debit_town: Billing) -> None:
    sign(debit_town)
    october = daycare_invoice(debit_town, 1)
    assert october.due_on is not None
    assert (
        batch_candidates(service=debit_town.daycare, collection_date=october.due_on.replace(day=1))
        == []
        or october.due_on.day == 1
    )
    assert len(batch_candidates(service=debit_town.daycare, collection_date=october.due_on)) == 1


def test_revocation_stops_future_debits_not_one_in_a_batch(debit_town: Billing) -> None:
    mandate = sign(debit_town)
    october = daycare_invoice(debit_town, 1)
    batch = debit_batch_create(
        service=debit_town.daycare, collection_date=october.due_on, user=None
    )
    mandate_revoke(mandate=mandate, user=None)
    assert Debit.objects.get(batch=batch).status == "sent"  # the debit already sent stays
    assert invoice_balance(invoice=october) == Decimal("0.00")
    november = daycare_invoice(debit_town, 2, month=11)
    assert batch_candidates(service=debit_town.daycare, collection_date=november.due_on) == []


def test_a_treasury_regie_writes_no_pain008(debit_town: Billing) -> None:
    DirectDebitSettings.objects.update(collection_mode=CollectionMode.TREASURY)
    sign(debit_town)
    october = daycare_invoice(debit_town, 1)
    with pytest.raises(DirectDebitError) as error:
        debit_batch_create(service=debit_town.daycare, collection_date=october.due_on, user=None)
    assert error.value.reason == "treasury"


def test_partly_paid_invoice_is_debited_for_its_balance(debit_town: Billing) -> None:
    from espacefamille.billing.settlements import settlement_record

    sign(debit_town)
    october = daycare_invoice(debit_town, 1, 2)
    settlement_record(
        household=debit_town.family.household,
        service=debit_town.daycare,
        method="cash",
        amount=Decimal("1.50"),
        invoices=[october],
    )
    batch = debit_batch_create(
        service=debit_town.daycare, collection_date=october.due_on, user=None
    )
    assert batch.total == Decimal("2.50")
    assert invoice_balance(invoice=october) == Decimal("0.00")


def test_collection_date_is_any_day_after_due(debit_town: Billing) -> None:
    sign(debit_town)
    october = daycare_invoice(debit_town, 1)
    late = date(2027, 1, 15)
    batch = debit_batch_create(service=debit_town.daycare, collection_date=late, user=None)
    assert "<ReqdColltnDt>2027-01-15</ReqdColltnDt>" in batch.xml
    assert batch.debits.get().invoice == october
