"""Issue 16, items 1–3 on the agents' screens: a price typed "3,60" is 3,60 € (and one far
from the current price is shown back in words before it is saved), a month is invoiced for
good only once it is over, and "Finaliser" says what it will do and asks once more. "Today"
is 6 December 2026, as when the traps were found."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from espacefamille.billing.models import Invoice, InvoiceRun, ProductPrice, RunState
from espacefamille.billing.runs import invoice_run_draft
from espacefamille.core.tenancy import municipality_scope

from ..billing.conftest import OCTOBER, Billing, billing  # noqa: F401  (billing: the fixture)
from .helpers import Agent, page_text

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def sunday_6_december() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 12, 6, 10, 0, tzinfo=PARIS), tick=False):
        yield


def _price(unit: str, **extra: str) -> dict[str, str]:
    return {
        "price-effective_from": "01/01/2027",
        "price-quotient_max": "",
        "price-unit_price": unit,
        "price-price_unbooked_presence": "",
        "price-price_unjustified_absence": "",
        "add_price": "1",
        **extra,
    }


def _prices_url(billing: Billing) -> str:  # noqa: F811
    return f"/agents/configuration/prestations/{billing.p('REPAS').pk}/tarifs/"


def _stored(billing: Billing) -> list[Decimal]:  # noqa: F811
    with municipality_scope(billing.town):
        return [price.unit_price for price in ProductPrice.objects.all()]


def test_a_price_typed_3_comma_60_is_3_euros_60(billing: Billing, administrator: Agent) -> None:  # noqa: F811
    url = _prices_url(billing)
    page = page_text(administrator.client.get(url))
    for name in ("quotient_max", "unit_price", "price_unbooked_presence"):
        assert f'<input type="text" name="price-{name}" inputmode="decimal"' in page
    response = administrator.client.post(url, _price("3,60"))
    assert response.status_code == 302
    assert _stored(billing) == [Decimal("3.60")]


@pytest.mark.parametrize(
    ("typed", "message"),
    [("3,605", "au centime près"), ("abc", "Saisissez un montant"), ("-3", "négatif")],
)
def test_a_price_that_is_no_amount_writes_nothing(
    billing: Billing,  # noqa: F811
    administrator: Agent,
    typed: str,
    message: str,
) -> None:
    response = administrator.client.post(_prices_url(billing), _price(typed))
    assert response.status_code == 200
    assert message in page_text(response)
    assert _stored(billing) == []


def test_a_price_ten_times_the_current_one_is_shown_in_words_first(
    billing: Billing,  # noqa: F811
    administrator: Agent,
) -> None:
    """REPAS costs 3,50 €: 360 is shown back in words and saved only once confirmed."""
    url = _prices_url(billing)
    asked = administrator.client.post(url, _price("360"))
    assert asked.status_code == 200
    page = page_text(asked)
    assert "trois cent soixante euros" in page
    assert "Je confirme ce montant" in page
    assert _stored(billing) == []
    unchecked = administrator.client.post(url, _price("360"))
    assert "trois cent soixante euros" in page_text(unchecked)
    assert _stored(billing) == []
    confirmed = administrator.client.post(
        url, _price("360", **{"price-confirm_large_change": "on"})
    )
    assert confirmed.status_code == 302
    assert _stored(billing) == [Decimal("360.00")]


def test_a_small_price_change_needs_no_confirmation(
    billing: Billing,  # noqa: F811
    administrator: Agent,
) -> None:
    down = administrator.client.post(_prices_url(billing), _price("0,30"))
    assert "trente centimes" in page_text(down)  # below a tenth of 3,50 €
    assert _stored(billing) == []
    response = administrator.client.post(_prices_url(billing), _price("0,35"))
    assert response.status_code == 302  # a tenth of 3,50 €: not below it
    assert _stored(billing) == [Decimal("0.35")]


def _start(agent: Agent, billing: Billing, month: str, mode: str) -> Any:  # noqa: F811
    return agent.client.post(
        "/agents/facturation/", {"service": billing.restaurant.pk, "month": month, "mode": mode}
    )


def test_the_current_month_is_not_invoiced_for_good(billing: Billing, regie: Agent) -> None:  # noqa: F811
    response = _start(regie, billing, "12/2026", "final")
    assert response.status_code == 200
    assert "12/2026 n'est pas terminé" in page_text(response)
    assert not InvoiceRun.objects.exists()
    future = _start(regie, billing, "01/2027", "draft")
    assert "01/2027 n'a pas commencé" in page_text(future)
    assert not InvoiceRun.objects.exists()


def test_a_draft_of_the_current_month_says_so_and_offers_no_finaliser(
    billing: Billing,  # noqa: F811
    regie: Agent,
) -> None:
    billing.book(billing.paul, "REPAS", 1, 3, month=12)
    with municipality_scope(billing.town):
        run = invoice_run_draft(service=billing.restaurant, month=date(2026, 12, 1))
    page = page_text(regie.client.get(f"/agents/facturation/{run.pk}/"))
    assert "Brouillon d'un mois qui n'est pas terminé" in page
    assert "/finaliser/" not in page
    regie.client.post(f"/agents/facturation/{run.pk}/finaliser/", {"confirm": "1"})
    run.refresh_from_db()
    assert run.state == RunState.DRAFT


def test_finaliser_asks_once_more_saying_what_will_happen(
    billing: Billing,  # noqa: F811
    regie: Agent,
) -> None:
    billing.book(billing.paul, "REPAS", 1, 2, 5)
    with municipality_scope(billing.town):
        run = invoice_run_draft(service=billing.restaurant, month=OCTOBER)
    url = f"/agents/facturation/{run.pk}/finaliser/"
    assert url in page_text(regie.client.get(f"/agents/facturation/{run.pk}/"))
    one_click = regie.client.post(url)  # the old form's button: no confirmation
    run.refresh_from_db()
    assert run.state == RunState.DRAFT
    assert "1 facture sera numérotée et envoyée, total 10,50\u00a0€." in page_text(one_click)
    confirmed = regie.client.post(url, {"confirm": "1"}, follow=True)
    run.refresh_from_db()
    assert run.state == RunState.FINAL
    assert "1 facture numérotée et envoyée" in page_text(confirmed)
    with municipality_scope(billing.town):
        assert Invoice.objects.get(run=run).number


def test_an_empty_draft_has_no_finaliser(billing: Billing, regie: Agent) -> None:  # noqa: F811
    with municipality_scope(billing.town):
        run = invoice_run_draft(service=billing.restaurant, month=date(2026, 9, 1))
    page = page_text(regie.client.get(f"/agents/facturation/{run.pk}/"))
    assert "aucune facture" in page and "/finaliser/" not in page
    response = regie.client.post(f"/agents/facturation/{run.pk}/finaliser/", {"confirm": "1"})
    run.refresh_from_db()
    assert run.state == RunState.DRAFT
    assert response.status_code == 302
