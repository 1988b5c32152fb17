"""The invoicing screens: a run started as a task with its progress on the run, review and
finalize, counter payments typed the French way, resend, the treasury statement's downloads
and the refunds to make. Every decision writes its action-log entry; a bad input, an
overpayment or a second final run writes nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook

from espacefamille.audit.models import ActionLogEntry
from espacefamille.billing import drafting
from espacefamille.billing.models import (
    Invoice,
    InvoiceRun,
    InvoiceStatus,
    RunState,
    Settlement,
    SettlementMethod,
)
from espacefamille.billing.runs import invoice_run_draft, invoice_run_finalize
from espacefamille.bookings.models import Booking
from espacefamille.core.errors import DomainError
from espacefamille.core.models import Municipality
from espacefamille.core.money import parse_amount
from espacefamille.core.tenancy import municipality_scope
from espacefamille.payments.models import RefundDue

from ..billing.conftest import (  # noqa: F401  (billing: the fixture)
    OCTOBER,
    Billing,
    billing,
    make_other_family,
)
from ..factories import MunicipalityFactory
from .helpers import Agent, make_agent, page_text
from .screens import invoicing_objects


def actions(name: str) -> int:
    return ActionLogEntry.objects.filter(action=name).count()


@pytest.fixture
def october(billing: Billing) -> Billing:  # noqa: F811
    """Paul booked 3 canteen days of October 2026 (3,50 each), present on two, the third without
    attendance (an anomaly)."""
    billing.book(billing.paul, "REPAS", 1, 2, 5)
    billing.attend(billing.paul, "REPAS", "present", 1, 2)
    return billing


@pytest.fixture
def final_invoice(october: Billing) -> Invoice:
    run = invoice_run_draft(service=october.restaurant, month=OCTOBER)
    invoice_run_finalize(run=run, notify=False)
    return Invoice.objects.get(run=run)


def start(agent: Agent, month_data: Billing, mode: str = "draft", month: str = "10/2026") -> Any:
    return agent.client.post(
        "/agents/facturation/",
        {"service": month_data.restaurant.pk, "month": month, "mode": mode},
    )


def test_a_draft_run_runs_as_a_task_and_its_progress_stays_on_the_run(
    october: Billing, regie: Agent, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = start(regie, october)
    run = InvoiceRun.objects.get(service=october.restaurant, month=OCTOBER)
    assert response["Location"] == f"/agents/facturation/{run.pk}/"
    assert run.state == RunState.DRAFT
    assert (run.households_done, run.household_count, run.invoice_count) == (1, 1, 1)
    assert run.total == Decimal("10.50") and run.anomaly_count == 1
    assert run.started_by == regie.user and not run.finalize_when_drafted
    entry = ActionLogEntry.objects.get(action="invoice_run.start")
    assert entry.actor == regie.user and entry.changes == {"mode": "brouillon"}
    page = page_text(regie.client.get(f"/agents/facturation/{run.pk}/"))
    assert '<progress id="run-progress" max="1" value="1">' in page
    assert "1 / 1 foyer (100 %)" in page
    assert "Finaliser" in page and "DUPONT" in page and "10,50" in page
    assert "Anomalies" in page and "05/10/2026" in page


def test_a_final_run_numbers_sends_and_logs_both_decisions(
    october: Billing, regie: Agent, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        start(regie, october, mode="final")
    run = InvoiceRun.objects.get(service=october.restaurant, month=OCTOBER)
    assert run.state == RunState.FINAL and run.finalized_by == regie.user
    assert Invoice.objects.get(run=run).number
    assert actions("invoice_run.start") == 1 and actions("invoice_run.finalize") == 1
    assert len(mail.outbox) == 1


def test_a_run_in_progress_or_final_cannot_be_started_again(october: Billing, regie: Agent) -> None:
    run = InvoiceRun.objects.create(
        municipality=october.town,
        service=october.restaurant,
        month=OCTOBER,
        state=RunState.RUNNING,
        started_at=timezone.now(),
        households_done=3,
        household_count=10,
    )
    page = page_text(start(regie, october))
    assert "déjà en cours de calcul" in page
    run.refresh_from_db()
    assert (run.state, run.households_done) == (RunState.RUNNING, 3)
    assert actions("invoice_run.start") == 0
    progress = regie.client.get(f"/agents/facturation/{run.pk}/avancement/", HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in page_text(progress)
    assert 'max="10" value="3"' in page_text(progress)
    assert "HX-Refresh" not in progress

    run.state = RunState.FINAL
    run.save()
    assert "déjà définitive" in page_text(start(regie, october))
    assert actions("invoice_run.start") == 0


def test_a_stale_run_may_be_started_again(
    october: Billing, regie: Agent, django_capture_on_commit_callbacks: Any
) -> None:
    InvoiceRun.objects.create(
        municipality=october.town,
        service=october.restaurant,
        month=OCTOBER,
        state=RunState.RUNNING,
        started_at=timezone.now() - timedelta(hours=3),
    )
    with django_capture_on_commit_callbacks(execute=True):
        start(regie, october)
    assert InvoiceRun.objects.get(month=OCTOBER).state == RunState.DRAFT


def test_the_progress_fragment_reloads_the_page_once_the_run_is_over(
    october: Billing, regie: Agent
) -> None:
    run = invoice_run_draft(service=october.restaurant, month=OCTOBER)
    response = regie.client.get(f"/agents/facturation/{run.pk}/avancement/", HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"
    assert "hx-trigger" not in page_text(response)


@pytest.mark.parametrize("month", ["13/2026", "2026-10", "", "10/26"])
def test_a_bad_month_starts_nothing(october: Billing, regie: Agent, month: str) -> None:
    response = start(regie, october, month=month)
    assert response.status_code == 200
    assert not InvoiceRun.objects.exists()
    assert actions("invoice_run.start") == 0


def test_finalize_once_with_its_log_entry(october: Billing, administrator: Agent) -> None:
    run = invoice_run_draft(service=october.restaurant, month=OCTOBER)
    url = f"/agents/facturation/{run.pk}/finaliser/"
    administrator.client.post(url, {"confirm": "1"})
    run.refresh_from_db()
    assert run.state == RunState.FINAL
    again = administrator.client.post(url, {"confirm": "1"}, follow=True)
    assert "déjà définitive" in page_text(again)
    assert actions("invoice_run.finalize") == 1


def test_a_cheque_pays_part_of_an_invoice(final_invoice: Invoice, regie: Agent) -> None:
    url = f"/agents/facturation/factures/{final_invoice.pk}/"
    response = regie.client.post(
        url,
        {
            "method": "cheque",
            "amount": "4,50",
            "received_on": "03/11/2026",
            "cheque_number": "1234567",
            "bank": "Crédit Mutuel",
        },
        follow=True,
    )
    settlement = Settlement.objects.get()
    assert (settlement.method, settlement.amount) == (SettlementMethod.CHEQUE, Decimal("4.50"))
    assert settlement.reference == "chèque n° 1234567 — Crédit Mutuel"
    assert settlement.recorded_by == regie.user
    assert timezone.localtime(settlement.received_at).date().isoformat() == "2026-11-03"
    entry = ActionLogEntry.objects.get(action="settlement.record")
    assert entry.changes["amount"] == "4.50" and entry.changes["invoice"] == final_invoice.number
    page = page_text(response)
    assert "Paiement de 4,50" in page
    assert "6,00" in page  # 10,50 − 4,50 left to pay


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"method": "cash", "amount": "10,51"}, "dépasse le reste à payer"),
        ({"method": "cash", "amount": "12.505"}, "au centime près"),
        ({"method": "cash", "amount": "douze"}, "Saisissez un montant en euros"),
        ({"method": "cash", "amount": "-3"}, "ne peut pas être négatif"),
        ({"method": "cash", "amount": "0,00"}, "Le montant doit être positif"),
        ({"method": "cheque", "amount": "2,00"}, "Indiquez le numéro du chèque"),
        ({"method": "online", "amount": "2,00"}, "Sélectionnez un choix valide"),
        ({"method": "credit", "amount": "2,00"}, "Sélectionnez un choix valide"),
        ({"method": "cash", "amount": "2,00", "received_on": "31/02/2026"}, "date valide"),
    ],
)
def test_a_bad_payment_writes_nothing(
    final_invoice: Invoice, regie: Agent, fields: dict[str, str], message: str
) -> None:
    data = {"received_on": "03/11/2026", **fields}
    response = regie.client.post(f"/agents/facturation/factures/{final_invoice.pk}/", data)
    assert response.status_code == 200
    assert message in page_text(response)
    assert not Settlement.objects.exists()
    assert actions("settlement.record") == 0


def test_no_payment_on_a_paid_or_cancelled_invoice(final_invoice: Invoice, regie: Agent) -> None:
    url = f"/agents/facturation/factures/{final_invoice.pk}/"
    data = {"method": "cesu", "amount": "10,50", "received_on": "03/11/2026", "reference": "C1"}
    regie.client.post(url, data)
    assert Settlement.objects.count() == 1
    paid = page_text(regie.client.post(url, {**data, "amount": "1,00"}))
    assert "déjà entièrement réglée" in paid
    Invoice.objects.filter(pk=final_invoice.pk).update(status=InvoiceStatus.CANCELLED)
    cancelled = page_text(regie.client.post(url, {**data, "amount": "1,00"}))
    assert "facture est annulée" in cancelled
    assert Settlement.objects.count() == 1 and actions("settlement.record") == 1


def test_resend_an_invoice_with_its_log_entry(
    final_invoice: Invoice, regie: Agent, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = regie.client.post(
            f"/agents/facturation/factures/{final_invoice.pk}/renvoyer/", follow=True
        )
    assert "La facture est renvoyée à famille@example.org" in page_text(response)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["famille@example.org"]
    assert actions("invoice.resend") == 1


def test_a_draft_invoice_is_not_resent(october: Billing, regie: Agent) -> None:
    run = invoice_run_draft(service=october.restaurant, month=OCTOBER)
    draft = Invoice.objects.get(run=run)
    response = regie.client.post(f"/agents/facturation/factures/{draft.pk}/renvoyer/", follow=True)
    assert "Seule une facture émise" in page_text(response)
    assert actions("invoice.resend") == 0 and not mail.outbox


def test_invoice_search(final_invoice: Invoice, regie: Agent) -> None:
    found = page_text(regie.client.get("/agents/facturation/factures/?q=dupont"))
    assert final_invoice.number in found and "10,50" in found
    missing = page_text(regie.client.get("/agents/facturation/factures/?q=martin"))
    assert final_invoice.number not in missing


def test_treasury_statement_downloads(final_invoice: Invoice, regie: Agent) -> None:
    # The invoice is issued today (whatever today is), the cash received today.
    today = f"{timezone.localdate():%d/%m/%Y}"
    regie.client.post(
        f"/agents/facturation/factures/{final_invoice.pk}/",
        {"method": "cash", "amount": "4,00", "received_on": today},
    )
    query = f"service={final_invoice.service_id}&start=01/11/2026&end={today}"
    page = page_text(regie.client.get(f"/agents/facturation/etat-encaissement/?{query}"))
    assert "espèces" in page and "4,00" in page and "1 facture impayée" in page
    csv = regie.client.get(f"/agents/facturation/etat-encaissement/?{query}&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "Total encaissé;4,00" in text and final_invoice.number in text
    xlsx = regie.client.get(f"/agents/facturation/etat-encaissement/?{query}&format=xlsx")
    book = load_workbook(BytesIO(xlsx.content))
    assert book.sheetnames == ["Encaissements", "Par jour", "Impayés"]


def test_a_bad_period_downloads_nothing(final_invoice: Invoice, regie: Agent) -> None:
    query = f"service={final_invoice.service_id}&start=30/11/2026&end=01/11/2026&format=csv"
    response = regie.client.get(f"/agents/facturation/etat-encaissement/?{query}")
    assert response["Content-Type"].startswith("text/html")
    assert "La fin de la période précède son début" in page_text(response)


def test_a_refund_is_marked_made_once(october: Billing, regie: Agent) -> None:
    _run, _invoice, refund = invoicing_objects(october.p("REPAS"), october.paul)
    url = f"/agents/facturation/remboursements/{refund.pk}/effectue/"
    assert "4,20" in page_text(regie.client.get("/agents/facturation/remboursements/"))
    empty = regie.client.post(url, {"reference": "  "}, follow=True)
    assert "Indiquez la référence" in page_text(empty)
    refund.refresh_from_db()
    assert refund.refunded_at is None and actions("refund.made") == 0
    regie.client.post(url, {"reference": "Mandat 2026-118"})
    refund.refresh_from_db()
    assert refund.refunded_at and refund.reference == "Mandat 2026-118"
    assert refund.refunded_by == regie.user
    again = regie.client.post(url, {"reference": "Mandat 2026-119"}, follow=True)
    assert "déjà marqué comme effectué" in page_text(again)
    refund.refresh_from_db()
    assert refund.reference == "Mandat 2026-118" and actions("refund.made") == 1


def test_a_facilitator_cannot_open_the_invoicing_screens(
    final_invoice: Invoice, town: Municipality
) -> None:
    facilitator = make_agent(town, "facilitator", sites=["École Jules Ferry"])
    for url in (
        "/agents/facturation/",
        f"/agents/facturation/{final_invoice.run_id}/",
        "/agents/facturation/factures/",
        f"/agents/facturation/factures/{final_invoice.pk}/",
        "/agents/facturation/etat-encaissement/",
        "/agents/facturation/remboursements/",
    ):
        assert facilitator.client.get(url).status_code == 403, url
    payment = {"method": "cash", "amount": "1,00", "received_on": "03/11/2026"}
    response = facilitator.client.post(f"/agents/facturation/factures/{final_invoice.pk}/", payment)
    assert response.status_code == 403
    assert not Settlement.objects.exists()
    assert "Facturation" not in page_text(facilitator.client.get("/agents/accueil/"))


def test_another_towns_invoice_and_run_are_404(final_invoice: Invoice) -> None:
    neighbour = make_agent(MunicipalityFactory(name="Voisine", slug="voisine"), "administrator")
    with municipality_scope(final_invoice.municipality_id):
        run_id = final_invoice.run_id
    for url in (
        f"/agents/facturation/{run_id}/",
        f"/agents/facturation/factures/{final_invoice.pk}/",
    ):
        assert neighbour.client.get(url).status_code == 404
    payment = {"method": "cash", "amount": "1,00", "received_on": "03/11/2026"}
    assert (
        neighbour.client.post(f"/agents/facturation/factures/{final_invoice.pk}/", payment)
    ).status_code == 404
    assert neighbour.client.post(f"/agents/facturation/{run_id}/finaliser/").status_code == 404
    assert not Settlement.objects.exists()


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("12,50", "12.50"),
        ("12,5", "12.50"),
        ("12", "12.00"),
        ("12.50", "12.50"),
        (" 1 234,56 ", "1234.56"),
        ("1\u202f234,56", "1234.56"),
        ("12,50 €", "12.50"),
    ],
)
def test_french_amounts(text: str, amount: str) -> None:
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize(
    "text", ["12,505", "12,", ",50", "1 23,00", "€", "1e3", "12,5,0", "", "NaN", "1.234,5"]
)
def test_french_amounts_refused(text: str) -> None:
    with pytest.raises(DomainError):
        parse_amount(text)


def test_refund_fixture_does_not_count_a_place(october: Billing) -> None:
    """The cancelled booking of ``invoicing_objects`` keeps the ledger right (autouse check)."""
    _run, _invoice, refund = invoicing_objects(october.p("REPAS"), october.paul)
    assert Booking.objects.get(pk=refund.booking_id).status == "cancelled"
    assert RefundDue.objects.count() == 1


def test_progress_is_written_after_every_chunk(
    october: Billing, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the bar reads while the run computes: households done before each chunk."""
    _other, nina = make_other_family(october)
    october.book(nina, "REPAS", 1)
    seen: list[tuple[int, int]] = []
    draft_households = drafting.draft_households

    def spy(setup: Any, household_ids: list[int]) -> Any:
        run = InvoiceRun.objects.get(pk=setup.run.pk)
        seen.append((run.households_done, run.household_count))
        return draft_households(setup, household_ids)

    monkeypatch.setattr(drafting, "draft_households", spy)
    run = invoice_run_draft(service=october.restaurant, month=OCTOBER, chunk_size=1)
    assert seen == [(0, 2), (1, 2)]
    assert (run.households_done, run.household_count) == (2, 2)
