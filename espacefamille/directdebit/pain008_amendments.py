"""Amendment information in a pain.008.001.02 batch (``AmdmntInd``/``AmdmntInfDtls``): the
first debit after a mandate's RUM or account changed tells the debtor's bank what they were.
sepaxml 2.7 does not write these elements (its schema has them), so they are added to its
output before the schema validates the file.

- a new RUM: ``OrgnlMndtId``, the previous reference;
- a new account at the same bank: ``OrgnlDbtrAcct``, the previous IBAN;
- a new account at another bank: ``OrgnlDbtrAgt`` "SMNDA" (same mandate, new debtor agent),
  as the EPC rulebook asks (the previous IBAN is not sent then)."""

from __future__ import annotations

from datetime import datetime

from lxml import etree
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from .debit_data import DebitData
from .models import Mandate
from .selectors import debit_data_after

NS = "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"
SAME_MANDATE_NEW_AGENT = "SMNDA"


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _bank(iban: str) -> tuple[str, str]:
    try:
        parsed = IBAN(iban)
    except SchwiftyException:
        return (iban[:2], iban[4:9])
    return (parsed.country_code, parsed.bank_code)


def amendment_since(mandate: Mandate, last_sent: datetime | None) -> DebitData | None:
    """What the mandate was before its first amendment made after its last debit was sent
    (``last_sent``, the creation of its latest batch), when its RUM or IBAN differ now; None
    before a first debit (FRST: the bank learns the mandate as it is). Reads the mandate's
    prefetched ``amendments``."""
    if last_sent is None:
        return None
    later = [a for a in mandate.amendments.all() if a.amended_at > last_sent]
    if not later:
        return None
    data = debit_data_after(mandate, later[0])
    return data if data.previous_rum or data.previous_iban else None


def _details(data: DebitData) -> etree._Element:
    details = etree.Element(_q("AmdmntInfDtls"))
    if data.previous_rum:
        etree.SubElement(details, _q("OrgnlMndtId")).text = data.previous_rum
    if data.previous_iban:
        if _bank(data.previous_iban) == _bank(data.iban):
            account = etree.SubElement(details, _q("OrgnlDbtrAcct"))
            etree.SubElement(
                etree.SubElement(account, _q("Id")), _q("IBAN")
            ).text = data.previous_iban
        else:
            agent = etree.SubElement(details, _q("OrgnlDbtrAgt"))
            other = etree.SubElement(etree.SubElement(agent, _q("FinInstnId")), _q("Othr"))
            etree.SubElement(other, _q("Id")).text = SAME_MANDATE_NEW_AGENT
    return details


def with_amendments(xml: bytes, amended: dict[str, DebitData]) -> bytes:
    """The batch with amendment information on the transactions whose end-to-end id is a key
    of ``amended`` (placed after ``DtOfSgntr``, where the schema wants them)."""
    if not amended:
        return xml
    root = etree.fromstring(xml)
    for transaction in root.iter(_q("DrctDbtTxInf")):
        end_to_end = transaction.findtext(f"{_q('PmtId')}/{_q('EndToEndId')}")
        data = amended.get(end_to_end or "")
        if data is None:
            continue
        related = transaction.find(f"{_q('DrctDbtTx')}/{_q('MndtRltdInf')}")
        if related is None:
            continue
        signed = related.find(_q("DtOfSgntr"))
        position = list(related).index(signed) + 1 if signed is not None else len(related)
        indicator = etree.Element(_q("AmdmntInd"))
        indicator.text = "true"
        related.insert(position, indicator)
        related.insert(position + 1, _details(data))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
