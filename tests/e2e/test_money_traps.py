"""Issue 16, items 1–3, in a French-locale Chromium, typing as an agent would: a price typed
"3,60" is saved as 3,60 € (and "360" is read back in words before it is saved), the current
month is drafted but never made final, and an empty draft offers no "Finaliser". Every page
passes axe at 1280 px and 768 px. The dates are computed from today: nothing depends on
the calendar."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from espacefamille.billing.models import InvoiceRun, ProductPrice
from espacefamille.catalog.models import Product
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope

from .agents import check_backoffice_page, menu, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _demo() -> Municipality:
    return Municipality.objects.get(slug="demo")


def _add_price(page: Page, start: date, typed: str) -> None:
    """Type the date and the price key by key, as an agent at the keyboard."""
    date_field = page.get_by_label("Applicable à partir du")
    date_field.fill("")
    date_field.press_sequentially(f"{start:%d/%m/%Y}")
    price = page.get_by_label("Prix à l'unité")
    price.fill("")
    price.press_sequentially(typed)
    page.get_by_role("button", name="Ajouter le tarif").click()


def test_a_price_typed_3_comma_60_is_saved_as_3_euros_60(agent_page: Page) -> None:
    page = agent_page
    with municipality_scope(_demo()):
        meal = Product.objects.get(name="REPAS")
    sign_in(page)
    page.goto(f"/agents/configuration/prestations/{meal.pk}/tarifs/")
    price = page.get_by_label("Prix à l'unité")
    expect(price).to_have_attribute("type", "text")
    expect(price).to_have_attribute("inputmode", "decimal")
    check_backoffice_page(page)

    start = timezone.localdate() + timedelta(days=40)
    _add_price(page, start, "3,60")
    expect(page.get_by_text("Le nouveau tarif est enregistré.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=f"{start:%d/%m/%Y}")
    expect(row).to_contain_text("3,60")
    with municipality_scope(_demo()):
        assert ProductPrice.objects.get(product=meal, effective_from=start).unit_price == (
            ProductPrice._meta.get_field("unit_price").to_python("3.60")
        )

    later = start + timedelta(days=30)
    _add_price(page, later, "360")  # the comma forgotten: a hundred times the price
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("trois cent soixante euros")
    expect(alert).to_contain_text("au lieu de 3,60")
    check_backoffice_page(page)
    with municipality_scope(_demo()):
        assert not ProductPrice.objects.filter(product=meal, effective_from=later).exists()
    price = page.get_by_label("Prix à l'unité")
    price.fill("")
    price.press_sequentially("3,8 €")
    page.get_by_role("button", name="Ajouter le tarif").click()
    expect(page.get_by_text("Le nouveau tarif est enregistré.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=f"{later:%d/%m/%Y}")).to_contain_text("3,80")

    _add_price(page, later + timedelta(days=30), "3,605")
    expect(page.get_by_text("deux chiffres au plus après la virgule")).to_be_visible()


def _start(page: Page, month: date, mode: str) -> None:
    page.get_by_label("Régie", exact=True).select_option(label="Restaurant scolaire")
    page.get_by_label("Mois facturé").fill(f"{month:%m/%Y}")
    page.get_by_role("radio", name=re.compile(f"^{mode}")).check()
    page.get_by_role("button", name="Lancer la facturation").click()


def test_the_current_month_is_only_a_draft_and_an_empty_one_has_no_finaliser(
    agent_page: Page,
) -> None:
    page = agent_page
    this_month = timezone.localdate().replace(day=1)
    sign_in(page, role="regie")
    menu(page, "Facturation")

    _start(page, this_month, "définitive")
    expect(page.get_by_role("alert")).to_contain_text(f"{this_month:%m/%Y} n'est pas terminé")
    check_backoffice_page(page)
    next_month = (this_month + timedelta(days=32)).replace(day=1)
    _start(page, next_month, "brouillon")
    expect(page.get_by_role("alert")).to_contain_text("on ne facture pas un mois à venir")

    _start(page, this_month, "brouillon")
    expect(page.get_by_text("Calcul terminé.")).to_be_visible()
    expect(page.get_by_text("Brouillon d'un mois qui n'est pas terminé")).to_be_visible()
    expect(page.get_by_role("link", name="Finaliser…")).to_have_count(0)
    check_backoffice_page(page)

    with municipality_scope(_demo()):
        oldest = InvoiceRun.objects.order_by("month").first()
    empty = ((oldest.month if oldest else this_month) - timedelta(days=400)).replace(day=1)
    menu(page, "Facturation")
    _start(page, empty, "brouillon")
    expect(page.get_by_text("Calcul terminé.")).to_be_visible()
    expect(page.get_by_text("Ce brouillon ne contient aucune facture")).to_be_visible()
    expect(page.get_by_role("link", name="Finaliser…")).to_have_count(0)
    check_backoffice_page(page)
    page.goto(page.url + "finaliser/")
    expect(page.get_by_role("alert")).to_contain_text("rien à finaliser ni à envoyer")
    expect(page.get_by_role("button", name=re.compile("Confirmer"))).to_have_count(0)
    check_backoffice_page(page)
