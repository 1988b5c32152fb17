"""The billing town (demo catalog, the DUPONT family with Paul and Julie), Garderie set up to
collect its own debits, and helpers to issue final invoices."""

from __future__ import annotations

from datetime import date

import pytest

from espacefamille.billing.models import Invoice
from espacefamille.billing.runs import invoice_run_draft, invoice_run_finalize
from espacefamille.directdebit.models import CollectionMode, DirectDebitSettings, Mandate
from espacefamille.directdebit.services import mandate_create

from ..backoffice.conftest import administrator, agent_factory, regie  # noqa: F401
from ..billing.conftest import Billing, billing  # noqa: F401  (fixture)
from ..e2e.conftest import smtp  # noqa: F401  (fixture: a real local SMTP server)

IBAN = "FR7630006000011234567890189"
OTHER_IBAN = "DE89370400440532013000"


def regie_settings(bill: Billing, mode: str = CollectionMode.REGIE) -> DirectDebitSettings:
    return DirectDebitSettings.objects.create(
        municipality=bill.town,
        service=bill.daycare,
        creditor_name="Commune de Test",
        creditor_id="FR72ZZZ123456",
        creditor_iban="FR7610011000201234567890188",
        creditor_bic="PSSTFRPPXXX",
        collection_mode=mode,
        notice_days=5,
    )


def daycare_invoice(bill: Billing, *days: int, month: int = 10) -> Invoice:
    bill.book(bill.paul, "GARDERIE 16H30 A 18H30", *days, month=month)
    run = invoice_run_draft(service=bill.daycare, month=date(2026, month, 1))
    invoice_run_finalize(run=run, issued_on=date(2026, month + 1, 2))
    return Invoice.objects.get(run=run)


def sign(bill: Billing, iban: str = IBAN) -> Mandate:
    return mandate_create(
        household=bill.family.household,
        service=bill.daycare,
        holder="François DUPONT",
        iban=iban,
        channel="online",
        user=bill.family.user,
    )


@pytest.fixture
def debit_town(billing: Billing) -> Billing:  # noqa: F811
    regie_settings(billing)
    return billing
