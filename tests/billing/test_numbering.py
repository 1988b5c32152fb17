"""Numbers per régie, year and kind: the default code, the format, and no gap or duplicate
when many transactions take numbers at once (PostgreSQL; SQLite serializes writers)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from espacefamille.billing.errors import BillingError
from espacefamille.billing.models import Invoice, InvoiceRun, NumberSequence
from espacefamille.billing.numbering import default_code, format_number, numbers_take
from espacefamille.billing.runs import invoice_run_draft, invoice_run_finalize
from espacefamille.catalog.models import Service
from espacefamille.core.tenancy import municipality_scope

from .conftest import OCTOBER, Billing, make_other_family


def test_default_codes(billing: Billing) -> None:
    assert default_code(billing.restaurant) == "RS"
    assert default_code(Service(name="Accueil du mercredi")) == "AM"
    assert default_code(billing.daycare) == "GA"


def test_two_regies_never_share_a_code(billing: Billing) -> None:
    twin = Service.objects.create(municipality=billing.town, name="Restauration scolaire")
    numbers_take(service=billing.restaurant, year=2026, kind="invoice", count=1)
    assert numbers_take(service=twin, year=2026, kind="invoice", count=1) == ["2026-RS2-000001"]


def test_format() -> None:
    assert format_number(year=2026, code="RS", kind="invoice", number=123) == "2026-RS-000123"
    assert format_number(year=2026, code="RS", kind="credit_note", number=7) == "2026-RS-AV-000007"


def test_each_year_starts_again_with_the_same_code(billing: Billing) -> None:
    assert numbers_take(service=billing.restaurant, year=2026, kind="invoice", count=2) == [
        "2026-RS-000001",
        "2026-RS-000002",
    ]
    NumberSequence.objects.filter(year=2026).update(code="CANT")
    assert numbers_take(service=billing.restaurant, year=2027, kind="invoice", count=1) == [
        "2027-CANT-000001"
    ]


def test_a_rolled_back_transaction_leaves_no_gap(billing: Billing) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        numbers_take(service=billing.restaurant, year=2026, kind="invoice", count=5)
        raise RuntimeError
    assert numbers_take(service=billing.restaurant, year=2026, kind="invoice", count=1) == [
        "2026-RS-000001"
    ]


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_concurrent_numbering_has_no_gap(billing: Billing) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("threads share nothing but a file lock on SQLite: run on PostgreSQL")
    threads_count, rounds, per_take = 12, 5, 3
    barrier = threading.Barrier(threads_count)
    taken: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    service_id = billing.restaurant.pk

    def worker() -> None:
        try:
            with municipality_scope(billing.town):
                service = Service.objects.get(pk=service_id)
                for _round in range(rounds):
                    barrier.wait(timeout=30)
                    with transaction.atomic():
                        numbers = numbers_take(
                            service=service, year=2026, kind="invoice", count=per_take
                        )
                    with lock:
                        taken.extend(numbers)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    expected = threads_count * rounds * per_take
    assert sorted(taken) == [f"2026-RS-{n:06d}" for n in range(1, expected + 1)]


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_concurrent_finalizations_of_one_month_issue_once(billing: Billing) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks between threads")
    for index in range(5):
        _family, child = make_other_family(billing, f"course{index}@example.org")
        billing.book(child, "REPAS", 1, 2)
    run = invoice_run_draft(service=billing.restaurant, month=OCTOBER)
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            with municipality_scope(billing.town):
                barrier.wait(timeout=30)
                try:
                    invoice_run_finalize(run=InvoiceRun.objects.get(pk=run.pk), notify=False)
                    outcome = "issued"
                except BillingError:
                    outcome = "refused"
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["issued"] + ["refused"] * (threads_count - 1)
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"{numbers[0][:4]}-RS-{n:06d}" for n in range(1, 6)]
