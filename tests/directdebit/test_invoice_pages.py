"""An invoice of a household with an active mandate announces "Prélèvement le JJ/MM/AAAA"
(page, PDF, e-mail) and offers no "Payer en ligne", which the server refuses too; after a
returned debit "Payer en ligne" comes back with the return on the invoice's history."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import Any

from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from espacefamille.billing.emails import send_invoice_email
from espacefamille.directdebit.batches import debit_batch_create
from espacefamille.directdebit.models import Debit
from espacefamille.directdebit.rejections import debit_reject
from espacefamille.directdebit.selectors import debit_day

from ..billing.conftest import Billing
from .conftest import daycare_invoice, sign


def test_mandate_replaces_payer_en_ligne_by_the_prenotification(debit_town: Billing) -> None:
    client = debit_town.family.client
    invoice = daycare_invoice(debit_town, 1, 2)
    detail = reverse("portal:invoice_detail", args=[invoice.pk])
    assert "Payer en ligne" in client.get(detail).content.decode()
    sign(debit_town)
    day = debit_day(invoice=invoice, notice_days=5)
    assert day >= invoice.issued_on + timedelta(days=5)
    announced = f"Prélèvement le {day:%d/%m/%Y}"
    page = client.get(detail).content.decode()
    assert announced in page and "Payer en ligne" not in page
    listing = client.get(reverse("portal:invoices")).content.decode()
    assert announced in listing and "Payer en ligne" not in listing
    pdf = client.get(reverse("portal:invoice_pdf", args=[invoice.pk])).content
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert announced in text and "Comment régler" not in text
    # The server refuses too: no payment is started.
    response = client.post(reverse("portal:invoice_pay", args=[invoice.pk]))
    assert response.status_code == 302 and response["Location"] == detail


def test_invoice_email_carries_the_prenotification(
    debit_town: Billing, django_capture_on_commit_callbacks: Any
) -> None:
    invoice = daycare_invoice(debit_town, 1)
    sign(debit_town)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_invoice_email.call(municipality_id=debit_town.town.pk, invoice_id=invoice.pk)
    day = debit_day(invoice=invoice, notice_days=5)
    assert f"Prélèvement le {day:%d/%m/%Y}." in mail.outbox[-1].body
    assert "À régler avant le" not in mail.outbox[-1].body


def test_after_a_return_payer_en_ligne_comes_back(debit_town: Billing) -> None:
    client = debit_town.family.client
    sign(debit_town)
    invoice = daycare_invoice(debit_town, 1)
    debit_batch_create(service=debit_town.daycare, collection_date=invoice.due_on, user=None)
    debit_reject(debit=Debit.objects.get(), reason_code="AC04", user=None)
    page = client.get(reverse("portal:invoice_detail", args=[invoice.pk])).content.decode()
    assert "Payer en ligne" in page
    assert "rejeté le" in page and "AC04 — compte clôturé" in page
