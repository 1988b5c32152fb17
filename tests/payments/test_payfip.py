"""PayFiP (eopayment's ``payfip_ws``), its SOAP web service faked at the HTTP layer only (zeep's
transport ``post``, the way eopayment's own tests replay recorded exchanges): the whole of
eopayment's backend — request building, zeep's parsing, ``payment_status`` — runs for real.

One invoice per payment, numbered before the payment so that PayFiP receives its number as
the "référence de la dette"; a refusal cancels it by a credit note (no gap in the numbering,
nothing owed to the family). Pending payments are polled and the answer applied once."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
import requests
import zeep.transports
from django.core.management import call_command

from espacefamille.billing.balances import credit_balance, invoice_balance
from espacefamille.billing.models import CreditNote, Invoice, InvoiceStatus, Settlement
from espacefamille.billing.selectors import household_invoices
from espacefamille.bookings.models import Booking, PlaceHold
from espacefamille.payments.models import (
    NotificationChannel,
    NotificationOutcome,
    Payment,
    PaymentNotification,
    PaymentState,
    ProviderConfig,
)
from espacefamille.payments.notifications import polled_answer_apply
from espacefamille.payments.polling import pending_payments_poll
from espacefamille.payments.providers import answer_from, backend_for

from ..bookings.conftest import Setup
from .conftest import BASE_URL, TWENTY_FOUR, WED_18, checkout, fill_wednesdays

pytestmark = pytest.mark.django_db

SERVICE_NS = (
    "http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/"
    "contrat_paiement_securise/PaiementSecuriseService"
)


FAULT_IN_PROGRESS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault>'
    b"<faultcode>S:Server</faultcode>"
    b"<faultstring>fr.gouv.finances.cp.tpa.webservice.exceptions.FonctionnelleErreur</faultstring>"
    b'<detail><ns2:FonctionnelleErreur xmlns:ns2="http://securite.service.tpa.cp.finances.gouv.fr/'
    b'reponse"><code>P5</code><descriptif>Paiement en cours</descriptif>'
    b"<libelle>Paiement en cours</libelle></ns2:FonctionnelleErreur></detail>"
    b"</S:Fault></S:Body></S:Envelope>"
)


class FakePayFiP:
    """PayFiP's SOAP service as seen through HTTP: ``creerPaiementSecurise`` gives an idOp and
    remembers what it was asked; ``recupererDetailPaiementSecurise`` answers ``result`` (P paid,
    R refused, A cancelled) with the refdet and amount it was given, unless told otherwise."""

    def __init__(self) -> None:
        self.created: list[dict[str, str]] = []
        self.result = "P"
        self.amount_cents: str | None = None
        self.detail_calls = 0

    def post(self, _transport: object, address: str, message: bytes, headers: dict) -> object:
        text = message.decode() if isinstance(message, bytes) else str(message)
        response = requests.Response()
        response.status_code = 200
        response.headers["Content-Type"] = "text/xml; charset=utf-8"
        if "creerPaiementSecurise" in text:
            fields = dict(re.findall(r"<(refdet|montant|mel|objet)>([^<]*)</", text))
            self.created.append(fields)
            body = f"<idOp>IDOP{len(self.created)}</idOp>"
            response._content = self.envelope("creerPaiementSecurise", body)
            return response
        self.detail_calls += 1
        if self.result == "P5":  # PayFiP's fault while the family is still on its page
            response.status_code = 500
            response._content = FAULT_IN_PROGRESS
            return response
        idop = re.search(r"<idOp>([^<]*)</idOp>", text).group(1)  # type: ignore[union-attr]
        asked = self.created[int(idop.removeprefix("IDOP")) - 1]
        body = (
            "<dattrans>10112026</dattrans><heurtrans>0855</heurtrans>"
            f"<idOp>{idop}</idOp><montant>{self.amount_cents or asked['montant']}</montant>"
            f"<numauto>112233</numauto><refdet>{asked['refdet']}</refdet>"
            f"<resultrans>{self.result}</resultrans><saisie>T</saisie>"
        )
        response._content = self.envelope("recupererDetailPaiementSecurise", body)
        return response

    @staticmethod
    def envelope(operation: str, body: str) -> bytes:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>'
            f'<ns:{operation}Response xmlns:ns="{SERVICE_NS}"><return>{body}</return>'
            f"</ns:{operation}Response></S:Body></S:Envelope>"
        ).encode()


@pytest.fixture
def payfip(setup: Setup):  # type: ignore[no-untyped-def]
    fake = FakePayFiP()
    ProviderConfig.objects.create(
        municipality=setup.family.household.municipality,
        backend="payfip_ws",
        options={"numcli": "090909", "saisie": "T"},
    )

    def post(transport, address, message, headers):  # type: ignore[no-untyped-def]
        return fake.post(transport, address, message, headers)

    with mock.patch.object(zeep.transports.Transport, "post", post):
        yield fake


def started(setup: Setup) -> Payment:
    fill_wednesdays(setup)
    payment = checkout(setup).payment
    assert payment is not None and payment.state == PaymentState.PENDING
    return payment


def age(payment: Payment, minutes: int = 10) -> None:
    Payment.objects.filter(pk=payment.pk).update(
        created_at=payment.created_at - timedelta(minutes=minutes)
    )


def test_payfip_receives_the_invoice_number_as_its_reference(setup: Setup, payfip) -> None:  # type: ignore[no-untyped-def]
    payment = started(setup)
    invoice = payment.invoice
    assert invoice is not None and invoice.status == InvoiceStatus.FINAL
    assert invoice.total == TWENTY_FOUR and invoice.lines.count() == 2
    (sent,) = payfip.created
    assert sent["refdet"] == invoice.number.replace("-", "")
    assert sent["montant"] == "2400"
    assert payment.transaction_id == "IDOP1"


def test_a_paid_poll_books_and_settles_the_same_invoice_once(setup: Setup, payfip) -> None:  # type: ignore[no-untyped-def]
    payment = started(setup)
    age(payment)
    call_command("poll_pending_payments", stdout=mock.MagicMock())
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert Booking.objects.filter(child=setup.paul).count() == 2
    assert not PlaceHold.objects.exists()
    # One invoice per payment: the pre-numbered one, now paid.
    assert list(Invoice.objects.filter(household=setup.family.household)) == [payment.invoice]
    assert invoice_balance(invoice=payment.invoice) == Decimal("0.00")
    # A paid payment is no longer polled; the same answer applied again changes nothing.
    assert pending_payments_poll().asked == 0
    config = payment.provider
    status = backend_for(config, base_url=BASE_URL).payment_status(payment.transaction_id)
    answer = answer_from(config=config, response=status)
    polled_answer_apply(config=config, raw="again", answer=answer, base_url=BASE_URL)
    assert Settlement.objects.count() == 1 and not CreditNote.objects.exists()
    assert Booking.objects.filter(child=setup.paul).count() == 2
    notices = PaymentNotification.objects.filter(channel=NotificationChannel.POLL)
    assert [notice.outcome for notice in notices] == [
        NotificationOutcome.APPLIED,
        NotificationOutcome.REPEATED,
    ]


def test_a_refused_poll_releases_and_cancels_the_invoice_without_a_gap(
    setup: Setup, payfip
) -> None:  # type: ignore[no-untyped-def]
    payment = started(setup)
    payfip.result = "R"
    age(payment)
    report = pending_payments_poll()
    assert (report.asked, report.changed) == (1, 1)
    payment.refresh_from_db()
    assert payment.state == PaymentState.REFUSED
    assert not Booking.objects.exists() and not PlaceHold.objects.exists()
    invoice = Invoice.objects.get(pk=payment.invoice_id)
    assert invoice.status == InvoiceStatus.CANCELLED
    assert invoice_balance(invoice=invoice) == Decimal("0.00")
    (note,) = CreditNote.objects.filter(invoice=invoice)
    assert note.amount == TWENTY_FOUR
    # The family is owed nothing and no longer sees the invoice.
    assert credit_balance(household=setup.family.household) == Decimal("0.00")
    listed = [
        row
        for paid in (False, True)
        for row in household_invoices(household=setup.family.household, paid=paid)
    ]
    assert not listed
    # The next attempt takes the next number: the sequence has no gap.
    again = checkout(setup).payment
    assert again is not None and again.invoice is not None
    first, second = (
        int(number.rsplit("-", 1)[1]) for number in (invoice.number, again.invoice.number)
    )
    assert second == first + 1


def test_a_poll_with_another_amount_changes_nothing(setup: Setup, payfip) -> None:  # type: ignore[no-untyped-def]
    payment = started(setup)
    payfip.amount_cents = "100"
    age(payment)
    pending_payments_poll()
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING
    assert not Booking.objects.exists() and PlaceHold.objects.count() == 2
    notice = PaymentNotification.objects.get(channel=NotificationChannel.POLL)
    assert (notice.outcome, notice.detail) == (NotificationOutcome.REJECTED, "amount")


def test_a_recent_payment_is_not_polled(setup: Setup, payfip) -> None:  # type: ignore[no-untyped-def]
    started(setup)
    assert pending_payments_poll().asked == 0
    assert payfip.detail_calls == 0


def test_other_backends_are_invoiced_after_payment_and_never_polled(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    payment = started(setup)
    assert payment.invoice is None and not Invoice.objects.exists()
    age(payment)
    assert pending_payments_poll().asked == 0  # the dummy backend has no payment_status
    assert Booking.objects.filter(date=WED_18).count() == 0


def test_a_payment_still_in_progress_stays_pending(setup: Setup, payfip) -> None:  # type: ignore[no-untyped-def]
    payment = started(setup)
    payfip.result = "P5"
    age(payment)
    report = pending_payments_poll()
    assert (report.asked, report.changed, report.failed) == (1, 0, 0)
    assert payfip.detail_calls == 1
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING and PlaceHold.objects.count() == 2
    assert not PaymentNotification.objects.filter(channel=NotificationChannel.POLL).exists()
