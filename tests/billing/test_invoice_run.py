"""The monthly run: draft per household (re-run replaces), review, final with gapless numbers,
refused twice; totals equal the sum of the lines to the cent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.utils import timezone

from espacefamille.audit.models import ActionLogEntry
from espacefamille.billing.drafting import LINE_COLUMNS
from espacefamille.billing.errors import BillingError
from espacefamille.billing.models import (
    HouseholdQuotient,
    Invoice,
    InvoiceLine,
    InvoiceRun,
    LineKind,
    ProductPrice,
    RunState,
)
from espacefamille.billing.runs import invoice_run_draft, invoice_run_finalize

from .conftest import OCTOBER, Billing, make_other_family


def lines_of(invoice: Invoice) -> list[tuple[str, str, int, str, Decimal]]:
    return [
        (line.child_name.split()[0], line.product_name, line.date.day, line.kind, line.amount)
        for line in invoice.lines.order_by("child_name", "product_name", "date")
    ]


def test_line_columns_match_the_model() -> None:
    assert set(LINE_COLUMNS) | {"id"} == {f.column for f in InvoiceLine._meta.concrete_fields}


def test_draft_of_a_month_with_every_rule(billing: Billing) -> None:
    # Paul, REPAS (3,50 ; non prévu 5,00 ; 1 jour de carence) in October 2026.
    billing.book(billing.paul, "REPAS", 1, 2, 5, 6, 8, 9, 12)
    billing.attend(billing.paul, "REPAS", "present", 1)
    billing.attend(billing.paul, "REPAS", "absent", 2)  # unjustified: 3,50
    billing.attend(billing.paul, "REPAS", "justified", 5, 6, 8)  # waiting day 5 only
    billing.attend(billing.paul, "REPAS", "present", 9)
    # 12: no attendance recorded → billed, anomaly
    billing.attend(billing.paul, "REPAS", "present_unbooked", 13)  # 5,00
    billing.book(billing.paul, "REPAS", 15, status="cancelled")  # nothing
    # Julie: the monthly flat rate (30,00) and one morning daycare present (1,00).
    billing.book(billing.julie, "FORFAIT GARDERIE DU SOIR", 1)
    billing.book(billing.julie, "GARDERIE AVANT REPAS", 7)
    billing.attend(billing.julie, "GARDERIE AVANT REPAS", "present", 7)

    run = invoice_run_draft(service=billing.restaurant, month=OCTOBER)
    assert run.state == RunState.DRAFT
    (invoice,) = Invoice.objects.filter(run=run)
    assert lines_of(invoice) == [
        ("Paul", "REPAS", 1, LineKind.BOOKED_PRESENT, Decimal("3.50")),
        ("Paul", "REPAS", 2, LineKind.UNJUSTIFIED_ABSENCE, Decimal("3.50")),
        ("Paul", "REPAS", 5, LineKind.WAITING_DAY, Decimal("3.50")),
        ("Paul", "REPAS", 9, LineKind.BOOKED_PRESENT, Decimal("3.50")),
        ("Paul", "REPAS", 12, LineKind.BOOKED_PRESENT, Decimal("3.50")),
        ("Paul", "REPAS", 13, LineKind.UNBOOKED_PRESENCE, Decimal("5.00")),
    ]
    assert invoice.total == Decimal("22.50")
    assert invoice.anomaly_count == 1 == run.anomaly_count
    assert invoice.recipient == billing.family.guardian
    assert invoice.number == ""

    daycare = invoice_run_draft(service=billing.daycare, month=OCTOBER)
    (invoice,) = Invoice.objects.filter(run=daycare)
    assert lines_of(invoice) == [
        ("Julie", "FORFAIT GARDERIE DU SOIR", 1, LineKind.FLAT_RATE, Decimal("30.00")),
        ("Julie", "GARDERIE AVANT REPAS", 7, LineKind.BOOKED_PRESENT, Decimal("1.00")),
    ]
    assert invoice.total == Decimal("31.00") == daycare.total


def test_mid_month_price_change_and_quotient_brackets(billing: Billing) -> None:
    meal = billing.p("REPAS")
    for start, bound, price, default in [
        (date(2026, 9, 1), Decimal("600"), "2.00", False),
        (date(2026, 9, 1), None, "3.50", True),
        (date(2026, 10, 15), Decimal("600"), "2.20", False),
        (date(2026, 10, 15), None, "3.80", True),
    ]:
        ProductPrice.objects.create(
            municipality=billing.town,
            product=meal,
            effective_from=start,
            quotient_max=bound,
            is_default_bracket=default,
            unit_price=Decimal(price),
        )
    other, zoe = make_other_family(billing)
    HouseholdQuotient.objects.create(
        municipality=billing.town,
        household=billing.family.household,
        value=Decimal("540"),
        valid_from=date(2026, 1, 1),
        source="caf",
    )
    billing.book(billing.paul, "REPAS", 13, 15)
    billing.attend(billing.paul, "REPAS", "present", 13, 15)
    billing.book(zoe, "REPAS", 13, 15)  # quotient unknown → the default bracket
    billing.attend(zoe, "REPAS", "present", 13, 15)
    run = invoice_run_draft(service=billing.restaurant, month=OCTOBER)
    totals = {i.household_id: i.total for i in Invoice.objects.filter(run=run)}
    assert totals == {
        billing.family.household.pk: Decimal("4.20"),
        other.household.pk: Decimal("7.30"),
    }


def test_totals_are_the_sum_of_the_lines(billing: Billing) -> None:
    billing.book(billing.paul, "REPAS", *range(1, 31))
    billing.book(billing.julie, "PAI", *range(1, 31))
    run = invoice_run_draft(service=billing.restaurant, month=OCTOBER)
    for invoice in Invoice.objects.filter(run=run):
        assert invoice.total == invoice.lines.aggregate(total=Sum("amount"))["total"]
    assert run.total == Decimal("3.50") * 30 + Decimal("1.20") * 30


def test_redraft_replaces_the_draft(billing: Billing) -> None:
    billing.book(billing.paul, "REPAS", 1)
    first = invoice_run_draft(service=billing.restaurant, month=OCTOBER)
    billing.book(billing.paul, "REPAS", 2)
    second = invoice_run_draft(service=billing.restaurant, month=OCTOBER)
    assert first.pk == second.pk
    (invoice,) = Invoice.objects.filter(run=second)
    assert invoice.lines.count() == 2
    assert InvoiceLine.objects.count() == 2


def test_final_numbers_without_gaps_and_refuses_twice(billing: Billing) -> None:
    others = [make_other_family(billing, f"autre{i}@example.org") for i in range(3)]
    billing.book(billing.paul, "REPAS", 1)
    for _family, child in others:
        billing.book(child, "REPAS", 1)
    run = invoice_run_draft(service=billing.restaurant, month=OCTOBER)
    mail.outbox.clear()
    run = invoice_run_finalize(run=run, issued_on=date(2026, 11, 2))
    numbers = sorted(Invoice.objects.filter(run=run).values_list("number", flat=True))
    assert numbers == [f"2026-RS-00000{n}" for n in range(1, 5)]
    with pytest.raises(BillingError):
        invoice_run_finalize(run=run)
    with pytest.raises(BillingError):
        invoice_run_draft(service=billing.restaurant, month=OCTOBER)
    # The next month continues the sequence.
    billing.book(billing.paul, "REPAS", 3, month=11)
    november = invoice_run_draft(service=billing.restaurant, month=date(2026, 11, 1))
    invoice_run_finalize(run=november, issued_on=date(2026, 12, 1))
    assert Invoice.objects.get(run=november).number == "2026-RS-000005"


def test_finalize_emails_the_invoice_recipient(
    billing: Billing, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    billing.book(billing.paul, "REPAS", 1)
    run = invoice_run_draft(service=billing.restaurant, month=OCTOBER)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invoice_run_finalize(run=run, issued_on=date(2026, 11, 2))
    (message,) = mail.outbox
    assert message.to == [billing.family.user.email]
    assert "2026-RS-000001" in message.subject
    assert "3,50" in message.body


def test_command_draft_then_final(billing: Billing, capsys) -> None:  # type: ignore[no-untyped-def]
    billing.book(billing.paul, "REPAS", 1, 2)
    call_command("invoice_run", billing.town.slug, "restaurant-scolaire", "2026-10")
    assert "1 facture, 2 lignes" in capsys.readouterr().out
    call_command("invoice_run", billing.town.slug, "restaurant-scolaire", "2026-10", "--final")
    assert Invoice.objects.get().number.endswith("-RS-000001")
    with pytest.raises(CommandError, match="déjà définitive"):
        call_command("invoice_run", billing.town.slug, "restaurant-scolaire", "2026-10", "--final")
    with pytest.raises(CommandError, match="Aucun service"):
        call_command("invoice_run", billing.town.slug, "piscine", "2026-10")


def test_a_run_finalised_from_the_command_line_is_in_the_action_log(billing: Billing) -> None:
    billing.book(billing.paul, "REPAS", 1, 2)
    call_command("invoice_run", billing.town.slug, "restaurant-scolaire", "2026-10", "--final")
    run = InvoiceRun.objects.get()
    entry = ActionLogEntry.objects.get(action="invoice_run.finalize")
    assert entry.object_id == run.pk and entry.actor is None
    assert entry.changes["via"] == "commande invoice_run"
    assert entry.changes["invoice_count"] == 1
    assert ActionLogEntry.objects.filter(action="invoice_run.start").count() == 1


def test_the_command_line_waits_for_a_run_the_back_office_is_computing(billing: Billing) -> None:
    billing.book(billing.paul, "REPAS", 1, 2)
    InvoiceRun.objects.create(
        municipality=billing.town,
        service=billing.restaurant,
        month=OCTOBER,
        state=RunState.RUNNING,
        started_at=timezone.now(),
    )
    with pytest.raises(CommandError, match="déjà en cours de calcul"):
        call_command("invoice_run", billing.town.slug, "restaurant-scolaire", "2026-10", "--final")
    assert not Invoice.objects.exists()


def test_a_justified_absence_continuing_from_last_month_has_no_new_waiting_day(
    billing: Billing,
) -> None:
    billing.book(billing.julie, "REPAS", 29, 30)
    billing.attend(billing.julie, "REPAS", "present", 29)
    billing.attend(billing.julie, "REPAS", "justified", 30)  # October's waiting day
    billing.book(billing.julie, "REPAS", 2, 3, month=11)
    billing.attend(billing.julie, "REPAS", "justified", 2, 3, month=11)
    billing.book(billing.julie, "REPAS", 5, month=11)
    billing.attend(billing.julie, "REPAS", "present", 5, month=11)
    run = invoice_run_draft(service=billing.restaurant, month=date(2026, 11, 1))
    (invoice,) = Invoice.objects.filter(run=run)
    assert lines_of(invoice) == [("Julie", "REPAS", 5, LineKind.BOOKED_PRESENT, Decimal("3.50"))]
