"""A returned debit: the invoice is unpaid again with the return on its history, the family
gets a real e-mail, "Payer en ligne" comes back, and the next debit is FRST again."""

from __future__ import annotations

from decimal import Decimal
from email.header import decode_header, make_header
from typing import Any

import pytest

from espacefamille.billing.balances import invoice_balance
from espacefamille.billing.models import Settlement
from espacefamille.directdebit.batches import debit_batch_create
from espacefamille.directdebit.models import Debit, DebitStatus, Mandate
from espacefamille.directdebit.rejections import debit_reject
from espacefamille.directdebit.selectors import invoice_debit
from espacefamille.directdebit.services import DirectDebitError

from ..billing.conftest import Billing
from ..e2e.conftest import Inbox, text_of
from .conftest import daycare_invoice, sign


def test_rejection_unpays_the_invoice_and_emails_the_family(
    debit_town: Billing, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    mandate = sign(debit_town)
    october = daycare_invoice(debit_town, 1, 2)
    debit_batch_create(service=debit_town.daycare, collection_date=october.due_on, user=None)
    assert invoice_debit(invoice=october).hides_online_payment
    debit = Debit.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        debit_reject(debit=debit, reason_code="AM04", user=None)
    assert invoice_balance(invoice=october) == Decimal("4.00")
    assert not Settlement.objects.exists()
    state = invoice_debit(invoice=october)
    assert not state.hides_online_payment  # "Payer en ligne" comes back
    assert [d.reason_code for d in state.rejected] == ["AM04"]
    assert Mandate.objects.get(pk=mandate.pk).sequence == "FRST"
    message = smtp.wait_for(lambda m: m["To"] == debit_town.family.user.email)
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject.startswith(f"Prélèvement rejeté : facture {october.number}")
    assert "provision insuffisante" in text_of(message)
    # Recording it again changes nothing and sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        debit_reject(debit=debit, reason_code="AM04", user=None)
    assert Debit.objects.get().status == DebitStatus.REJECTED


def test_unknown_reason_is_refused(debit_town: Billing) -> None:
    sign(debit_town)
    october = daycare_invoice(debit_town, 1)
    debit_batch_create(service=debit_town.daycare, collection_date=october.due_on, user=None)
    with pytest.raises(DirectDebitError):
        debit_reject(debit=Debit.objects.get(), reason_code="ZZ99", user=None)
    assert invoice_balance(invoice=october) == Decimal("0.00")
