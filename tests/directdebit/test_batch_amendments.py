"""Amendment information in pain.008 (issue 18): the first debit after a mandate's RUM or
account changed says what they were (``AmdmntInd``, ``AmdmntInfDtls``), the file still
validates against sepaxml's schema, and the debit after that carries none."""

from __future__ import annotations

from pathlib import Path

import sepaxml
import xmlschema
from lxml import etree

from espacefamille.directdebit.batches import debit_batch_create
from espacefamille.directdebit.services import mandate_amend

from ..billing.conftest import Billing
from .conftest import IBAN, OTHER_IBAN, daycare_invoice, sign

SCHEMA = Path(sepaxml.__file__).parent / "schemas" / "pain.008.001.02.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}
SAME_BANK_IBAN = "FR7630006000019876543210949"  # the demo IBAN's bank (30006), another account


def mandate_info(xml: str) -> etree._Element:
    (info,) = etree.fromstring(xml.encode()).xpath("//p:MndtRltdInf", namespaces=NS)
    return info


def collect(bill: Billing, *days: int, month: int) -> str:
    invoice = daycare_invoice(bill, *days, month=month)
    batch = debit_batch_create(service=bill.daycare, collection_date=invoice.due_on, user=None)
    xmlschema.XMLSchema(str(SCHEMA)).validate(batch.xml)
    return batch.xml


def test_new_account_at_the_same_bank_and_new_rum_are_announced_once(
    debit_town: Billing,
) -> None:
    mandate = sign(debit_town)
    first = collect(debit_town, 1, 2, month=9)
    assert mandate_info(first).find("p:AmdmntInd", NS) is None
    old_rum = mandate.rum
    mandate_amend(mandate=mandate, user=None, iban=SAME_BANK_IBAN, rum="EF-NOUVELLE-RUM-1")
    amended = mandate_info(collect(debit_town, 2, 3, month=10))
    assert amended.findtext("p:AmdmntInd", namespaces=NS) == "true"
    details = amended.find("p:AmdmntInfDtls", NS)
    assert details.findtext("p:OrgnlMndtId", namespaces=NS) == old_rum
    assert details.findtext("p:OrgnlDbtrAcct/p:Id/p:IBAN", namespaces=NS) == IBAN
    assert details.find("p:OrgnlDbtrAgt", NS) is None
    assert amended.findtext("p:MndtId", namespaces=NS) == "EF-NOUVELLE-RUM-1"
    after = mandate_info(collect(debit_town, 3, 4, month=11))
    assert after.find("p:AmdmntInd", NS) is None


def test_an_account_at_another_bank_is_announced_as_smnda(debit_town: Billing) -> None:
    mandate = sign(debit_town)
    collect(debit_town, 1, 2, month=9)
    mandate_amend(mandate=mandate, user=None, iban=OTHER_IBAN)
    amended = mandate_info(collect(debit_town, 2, 3, month=10))
    details = amended.find("p:AmdmntInfDtls", NS)
    assert details.findtext("p:OrgnlDbtrAgt/p:FinInstnId/p:Othr/p:Id", namespaces=NS) == "SMNDA"
    assert details.find("p:OrgnlDbtrAcct", NS) is None and details.find("p:OrgnlMndtId", NS) is None
    assert IBAN not in etree.tostring(amended).decode()


def test_an_amendment_before_the_first_debit_needs_no_announcement(debit_town: Billing) -> None:
    mandate = sign(debit_town)
    mandate_amend(mandate=mandate, user=None, iban=SAME_BANK_IBAN)
    first = mandate_info(collect(debit_town, 1, 2, month=9))
    assert first.find("p:AmdmntInd", NS) is None
