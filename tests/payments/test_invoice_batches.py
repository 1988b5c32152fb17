"""One payment for several invoices: the server decides what is payable (the household's own
open invoices of one régie; PayFiP takes one invoice per payment), computes the amount (each
invoice's remaining balance, the régie's credit first), and the confirmed payment settles each
invoice once, all or nothing — a replayed notification changes nothing, and an invoice paid
alone while the grouped payment was pending is not paid twice (the surplus becomes an avoir)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db.models import Sum
from django.urls import reverse

from espacefamille.billing.credits import credit_note_issue
from espacefamille.billing.models import (
    Allocation,
    CreditNote,
    Invoice,
    InvoiceStatus,
    Settlement,
    SettlementMethod,
)
from espacefamille.catalog.models import Service
from espacefamille.payments.checkout import invoice_checkout, invoices_checkout
from espacefamille.payments.errors import PaymentError, PaymentReason
from espacefamille.payments.models import (
    Payment,
    PaymentInvoice,
    PaymentKind,
    PaymentState,
    ProviderConfig,
)
from espacefamille.payments.notifications import notification_receive

from ..billing.invoice_helpers import pay_at_the_counter
from ..bookings.conftest import Setup
from .conftest import BASE_URL, bank_params, notification

pytestmark = pytest.mark.django_db

_numbers = iter(range(1, 1000))


def invoice(setup: Setup, total: str, *, service: Service | None = None, **fields) -> Invoice:  # type: ignore[no-untyped-def]
    values = {
        "municipality": setup.family.household.municipality,
        "service": service or setup.restaurant,
        "household": setup.family.household,
        "recipient_name": "M. DUPONT",
        "period_start": date(2026, 10, 1),
        "period_end": date(2026, 10, 31),
        "status": InvoiceStatus.FINAL,
        "number": f"2026-RS-{next(_numbers):06d}",
        "issued_on": date(2026, 11, 2),
        "due_on": date(2026, 11, 30),
        "total": Decimal(total),
        **fields,
    }
    return Invoice.objects.create(**values)


def pay_several(setup: Setup, *invoices: Invoice) -> Payment:
    checkout = invoices_checkout(
        household=setup.family.household,
        invoice_ids=[found.pk for found in invoices],
        user=setup.family.user,
        email=setup.family.user.email,
        base_url=BASE_URL,
    )
    assert checkout.payment is not None
    return checkout.payment


def deliver(provider: ProviderConfig, payment: Payment, **fields: str) -> bool:
    received = notification_receive(
        config=provider,
        query_string=notification(payment, **fields),
        channel="notification",
        base_url=BASE_URL,
    )
    return received.ok


def paid_on(found: Invoice) -> Decimal:
    return Allocation.objects.filter(invoice=found).aggregate(total=Sum("amount"))["total"] or 0


def counter_payment(found: Invoice, amount: str) -> None:
    pay_at_the_counter(found, amount, SettlementMethod.CHEQUE)


def test_two_invoices_in_one_payment_settle_each_once(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    first, second = invoice(setup, "41.30"), invoice(setup, "12.00")
    payment = pay_several(setup, first, second)
    assert payment.kind == PaymentKind.INVOICES and payment.state == PaymentState.PENDING
    assert payment.amount == Decimal("53.30") and payment.invoice is None
    assert deliver(provider, payment, ok="1")
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    (settlement,) = Settlement.objects.all()
    assert settlement.amount == Decimal("53.30") and settlement.method == SettlementMethod.ONLINE
    assert (paid_on(first), paid_on(second)) == (Decimal("41.30"), Decimal("12.00"))
    assert "vos 2 factures sont réglées" in payment.outcome


def test_a_replayed_notification_settles_nothing_more(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    first, second = invoice(setup, "41.30"), invoice(setup, "12.00")
    payment = pay_several(setup, first, second)
    assert deliver(provider, payment, ok="1")
    assert deliver(provider, payment, ok="1")  # answered OK, changes nothing
    assert deliver(provider, payment, ok="1")
    assert Settlement.objects.count() == 1 and Allocation.objects.count() == 2
    assert not CreditNote.objects.exists()
    assert payment.notifications.filter(outcome="repeated").count() == 2


def test_a_partly_paid_invoice_pays_its_remaining_balance(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    first, second = invoice(setup, "41.30"), invoice(setup, "12.00")
    counter_payment(first, "30.00")
    payment = pay_several(setup, first, second)
    assert payment.amount == Decimal("23.30")
    assert bank_params_amount(payment) == Decimal("23.30")
    deliver(provider, payment, ok="1")
    assert (paid_on(first), paid_on(second)) == (Decimal("41.30"), Decimal("12.00"))
    assert not CreditNote.objects.exists()


def bank_params_amount(payment: Payment) -> Decimal:
    rows = PaymentInvoice.objects.filter(payment=payment)
    return sum((row.balance for row in rows), Decimal("0.00"))


def test_the_regies_credit_is_used_first(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    first, second = invoice(setup, "41.30"), invoice(setup, "12.00")
    credit_note_issue(
        household=setup.family.household,
        service=setup.restaurant,
        amount=Decimal("10.00"),
        reason="Correction",
    )
    payment = pay_several(setup, first, second)
    assert (payment.total, payment.credit_used, payment.amount) == (
        Decimal("53.30"),
        Decimal("10.00"),
        Decimal("43.30"),
    )
    deliver(provider, payment, ok="1")
    assert (paid_on(first), paid_on(second)) == (Decimal("41.30"), Decimal("12.00"))
    online = Settlement.objects.get(method=SettlementMethod.ONLINE)
    assert online.amount == Decimal("43.30")


def test_an_invoice_paid_alone_meanwhile_is_not_paid_twice(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    first, second = invoice(setup, "41.30"), invoice(setup, "12.00")
    grouped = pay_several(setup, first, second)
    alone = invoice_checkout(
        household=setup.family.household,
        invoice=first,
        user=setup.family.user,
        email=setup.family.user.email,
        base_url=BASE_URL,
    ).payment
    assert alone is not None
    deliver(provider, alone, ok="1")
    assert paid_on(first) == Decimal("41.30")
    deliver(provider, grouped, ok="1")  # the bank took 53,30 € for both
    assert (paid_on(first), paid_on(second)) == (Decimal("41.30"), Decimal("12.00"))
    (surplus,) = CreditNote.objects.all()
    assert surplus.amount == Decimal("41.30") and surplus.service == setup.restaurant
    grouped.refresh_from_db()
    assert "portés en avoir" in grouped.outcome


def test_a_grouped_payment_paid_first_makes_the_single_one_a_credit(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    first, second = invoice(setup, "41.30"), invoice(setup, "12.00")
    alone = invoice_checkout(
        household=setup.family.household,
        invoice=first,
        user=setup.family.user,
        email=setup.family.user.email,
        base_url=BASE_URL,
    ).payment
    grouped = pay_several(setup, first, second)
    assert alone is not None
    deliver(provider, grouped, ok="1")
    deliver(provider, alone, ok="1")
    assert paid_on(first) == Decimal("41.30")
    assert CreditNote.objects.get().amount == Decimal("41.30")


def test_a_refused_payment_settles_nothing(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    first, second = invoice(setup, "41.30"), invoice(setup, "12.00")
    payment = pay_several(setup, first, second)
    deliver(provider, payment, reason="refused")
    payment.refresh_from_db()
    assert payment.state == PaymentState.REFUSED
    assert not Settlement.objects.exists() and "Rien n'a été payé" in payment.outcome


def test_an_altered_amount_is_refused(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    first, second = invoice(setup, "41.30"), invoice(setup, "12.00")
    payment = pay_several(setup, first, second)
    assert not deliver(provider, payment, ok="1", amount="41.30")
    assert not Settlement.objects.exists()


def test_invoices_of_two_regies_are_refused(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    first, other = invoice(setup, "41.30"), invoice(setup, "8.00", service=setup.daycare)
    with pytest.raises(PaymentError) as refused:
        pay_several(setup, first, other)
    assert refused.value.reason == PaymentReason.SEVERAL_REGIES
    assert "régies différentes" in refused.value.message
    assert not Payment.objects.exists()


def test_another_households_invoice_is_refused(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    from ..conftest import make_family

    other = make_family(setup.family.household.municipality, email="autre@example.org")
    mine, theirs = invoice(setup, "41.30"), invoice(setup, "9.00", household=other.household)
    with pytest.raises(PaymentError) as refused:
        pay_several(setup, mine, theirs)
    assert refused.value.reason == PaymentReason.NOT_YOUR_INVOICE
    assert not Payment.objects.exists()


@pytest.mark.parametrize("status", [InvoiceStatus.CANCELLED, InvoiceStatus.FINAL])
def test_an_invoice_with_nothing_to_pay_is_refused(setup: Setup, provider, status) -> None:  # type: ignore[no-untyped-def]
    first, done = invoice(setup, "41.30"), invoice(setup, "12.00", status=status)
    if status == InvoiceStatus.FINAL:
        counter_payment(done, "12.00")
    with pytest.raises(PaymentError) as refused:
        pay_several(setup, first, done)
    assert refused.value.reason == PaymentReason.NOTHING_TO_PAY
    assert not Payment.objects.exists()


def test_payfip_takes_one_invoice_per_payment(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    provider.backend = "payfip_ws"
    provider.save()
    first, second = invoice(setup, "41.30"), invoice(setup, "12.00")
    with pytest.raises(PaymentError) as refused:
        pay_several(setup, first, second)
    assert refused.value.reason == PaymentReason.ONE_INVOICE_PER_PAYMENT
    assert not Payment.objects.exists()


def test_a_credit_covering_everything_settles_at_once(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    first, second = invoice(setup, "4.00"), invoice(setup, "6.00")
    credit_note_issue(
        household=setup.family.household,
        service=setup.restaurant,
        amount=Decimal("20.00"),
        reason="Correction",
    )
    payment = pay_several(setup, first, second)
    assert payment.state == PaymentState.PAID and payment.amount == 0
    assert (paid_on(first), paid_on(second)) == (Decimal("4.00"), Decimal("6.00"))


# The portal's doors: the total shown before paying, then the demo bank.


def test_the_family_sees_the_total_then_pays_on_the_demo_bank(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    first, second = invoice(setup, "41.30"), invoice(setup, "12.00")
    client = setup.family.client
    listing = client.get(reverse("portal:invoices")).content.decode()
    assert "Payer la sélection" in listing and "Tout payer" in listing
    url = reverse("portal:invoices_pay")
    shown = client.get(url, {"facture": [first.pk, second.pk]}).content.decode()
    assert "53,30" in shown and first.number in shown and second.number in shown
    assert not Payment.objects.exists()  # looking is not paying
    bank = client.post(url, {"facture": [first.pk, second.pk], "montant": "1"})["Location"]
    assert bank_params(bank)["amount"] == "53.30"  # the server's amount, not the page's
    client.post(urlsplit(bank).path, {**bank_params(bank), "action": "pay"})
    assert (paid_on(first), paid_on(second)) == (Decimal("41.30"), Decimal("12.00"))
    status = client.get(reverse("portal:payment_status", args=[Payment.objects.get().reference]))
    assert "Paiement accepté" in status.content.decode()


@pytest.mark.parametrize("ids", [[], ["abc"], ["²"], ["99999999999999999999"]])
def test_bad_choices_get_a_message_and_change_nothing(setup: Setup, provider, ids) -> None:  # type: ignore[no-untyped-def]
    invoice(setup, "41.30")
    client = setup.family.client
    for method in (client.get, client.post):
        response = method(reverse("portal:invoices_pay"), {"facture": ids}, follow=True)
        assert response.status_code == 200
        assert "Choisissez au moins une facture" in response.content.decode()
    assert not Payment.objects.exists()


def test_two_regies_on_the_page_get_the_french_message(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    first, other = invoice(setup, "41.30"), invoice(setup, "8.00", service=setup.daycare)
    client = setup.family.client
    for method in (client.get, client.post):
        response = method(
            reverse("portal:invoices_pay"), {"facture": [first.pk, other.pk]}, follow=True
        )
        assert "régies différentes" in response.content.decode()
    assert not Payment.objects.exists()


def test_the_receipt_names_every_invoice_paid(  # type: ignore[no-untyped-def]
    setup: Setup, provider, django_capture_on_commit_callbacks
) -> None:
    first, second = invoice(setup, "41.30"), invoice(setup, "12.00")
    payment = pay_several(setup, first, second)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(provider, payment, ok="1")
    receipt = next(message for message in mail.outbox if payment.reference in message.subject)
    assert f"Factures : {first.number}, {second.number}" in receipt.body
    assert "53,30" in receipt.body
