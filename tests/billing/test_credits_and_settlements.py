"""Credits ("avoirs") are used first on the next invoice of the régie; counter payments pay
one or several invoices, partially or wholly; every balance adds up to the cent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from espacefamille.billing.balances import credit_balance, invoice_balance, invoice_paid_amount
from espacefamille.billing.credits import credit_note_issue
from espacefamille.billing.errors import BillingError
from espacefamille.billing.models import Invoice, Settlement, SettlementMethod
from espacefamille.billing.runs import invoice_run_draft, invoice_run_finalize
from espacefamille.billing.settlements import settlement_record

from .conftest import OCTOBER, Billing


def final_invoice(billing: Billing, *days: int, month: int = 10) -> Invoice:
    billing.book(billing.paul, "REPAS", *days, month=month)
    run = invoice_run_draft(service=billing.restaurant, month=date(2026, month, 1))
    invoice_run_finalize(run=run, issued_on=date(2026, month + 1, 2))
    return Invoice.objects.get(run=run)


def test_credit_is_used_first_on_the_next_invoice(billing: Billing) -> None:
    october = final_invoice(billing, 1, 2)  # 7,00
    note = credit_note_issue(
        household=billing.family.household,
        service=billing.restaurant,
        amount=Decimal("5.25"),
        reason="Repas non servis (grève)",
        invoice=october,
        issued_on=date(2026, 11, 3),
    )
    assert note.number == "2026-RS-AV-000001"
    household, restaurant = billing.family.household, billing.restaurant
    assert credit_balance(household=household, service=restaurant) == Decimal("5.25")
    november = final_invoice(billing, 2, month=11)  # 3,50: wholly paid by the credit
    assert invoice_balance(invoice=november) == Decimal("0.00")
    assert credit_balance(household=household, service=restaurant) == Decimal("1.75")
    used = Settlement.objects.filter(method=SettlementMethod.CREDIT)
    assert [s.amount for s in used] == [Decimal("3.50")]


def test_credit_cannot_exceed_the_invoice(billing: Billing) -> None:
    october = final_invoice(billing, 1)
    with pytest.raises(BillingError):
        credit_note_issue(
            household=billing.family.household,
            service=billing.restaurant,
            amount=Decimal("3.51"),
            reason="trop",
            invoice=october,
        )
    with pytest.raises(BillingError):
        credit_note_issue(
            household=billing.family.household,
            service=billing.restaurant,
            amount=Decimal("0"),
            reason="rien",
        )


def test_counter_payment_partial_then_whole(billing: Billing) -> None:
    invoice = final_invoice(billing, 1, 2, 5)  # 10,50
    household, restaurant = billing.family.household, billing.restaurant
    settlement_record(
        household=household,
        service=restaurant,
        method=SettlementMethod.CASH,
        amount=Decimal("4.00"),
        invoices=[invoice],
    )
    assert invoice_balance(invoice=invoice) == Decimal("6.50")
    settlement_record(
        household=household,
        service=restaurant,
        method=SettlementMethod.CHEQUE,
        amount=Decimal("6.50"),
        invoices=[invoice],
        reference="chèque 1234567",
    )
    assert invoice_paid_amount(invoice=invoice) == invoice.total
    with pytest.raises(BillingError):
        settlement_record(
            household=household,
            service=restaurant,
            method=SettlementMethod.CASH,
            amount=Decimal("0.01"),
            invoices=[invoice],
        )


def test_one_payment_for_several_invoices(billing: Billing) -> None:
    october = final_invoice(billing, 1, 2)  # 7,00
    november = final_invoice(billing, 2, 3, month=11)  # 7,00
    household, restaurant = billing.family.household, billing.restaurant
    settlement = settlement_record(
        household=household,
        service=restaurant,
        method=SettlementMethod.CESU,
        amount=Decimal("10.00"),
        invoices=[october, november],
    )
    assert [a.amount for a in settlement.allocations.order_by("invoice__period_start")] == [
        Decimal("7.00"),
        Decimal("3.00"),
    ]
    assert invoice_balance(invoice=november) == Decimal("4.00")
    settlement_record(
        household=household,
        service=restaurant,
        method=SettlementMethod.TRANSFER,
        amount=Decimal("4.00"),
        invoices=[november],
        parts=[Decimal("4.00")],
    )
    assert invoice_balance(invoice=november) == Decimal("0.00")


@pytest.mark.parametrize(
    ("method", "amount", "parts"),
    [
        ("bitcoin", "1.00", None),
        ("cash", "-1.00", None),
        ("cash", "7.01", None),  # more than owed
        ("cash", "5.00", ["4.00"]),  # parts do not add up
        ("cash", "8.00", ["8.00"]),  # part above the balance
    ],
)
def test_bad_payments_change_nothing(
    billing: Billing, method: str, amount: str, parts: list[str] | None
) -> None:
    invoice = final_invoice(billing, 1, 2)
    with pytest.raises(BillingError):
        settlement_record(
            household=billing.family.household,
            service=billing.restaurant,
            method=method,
            amount=Decimal(amount),
            invoices=[invoice],
            parts=[Decimal(p) for p in parts] if parts else None,
        )
    assert not Settlement.objects.exists()


def test_draft_invoices_cannot_be_paid(billing: Billing) -> None:
    billing.book(billing.paul, "REPAS", 1)
    run = invoice_run_draft(service=billing.restaurant, month=OCTOBER)
    with pytest.raises(BillingError):
        settlement_record(
            household=billing.family.household,
            service=billing.restaurant,
            method="cash",
            amount=Decimal("3.50"),
            invoices=list(Invoice.objects.filter(run=run)),
        )
