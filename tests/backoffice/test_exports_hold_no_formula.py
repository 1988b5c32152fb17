"""Every CSV and XLSX the project writes, from data whose household, reference, product, diet,
child and site names start with ``=``, ``+``, ``-`` or ``@`` (design convention 14): the XLSX
holds no formula (its sheets' XML has no ``<f>`` element) and the hostile text is there as a
string with a leading quote; every CSV cell that starts with one of those characters does so
behind a quote.

The exports: the treasury statement (CSV, XLSX), the kitchen counts (CSV, XLSX) and the join
codes printed for a mail merge (CSV)."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.core.management import call_command

from espacefamille.billing.models import Invoice
from espacefamille.billing.runs import invoice_run_draft, invoice_run_finalize
from espacefamille.billing.settlements import settlement_record
from espacefamille.catalog.deadlines import PARIS
from espacefamille.catalog.models import Enrollment, Product
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Child, Diet

from ..billing.conftest import OCTOBER, Billing, billing  # noqa: F401  (billing: the fixture)
from ..bookings.conftest import THU_12, Setup, frozen, setup  # noqa: F401
from ..factories import HouseholdFactory, site_named
from ..kitchen.test_counts import _book, _child, canteen  # noqa: F401
from .helpers import Agent

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://x.example","y")',
    '+HYPERLINK("http://x.example","y")',
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def sheet_strings(xlsx: bytes) -> list[str]:
    """The text of every cell of every sheet, read from the XML; fails on any formula."""
    texts: list[str] = []
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        assert sheets
        for name in sheets:
            root = ElementTree.fromstring(archive.read(name))  # noqa: S314 — our own output
            formulas = root.findall(f".//{MAIN}f")
            assert formulas == [], f"{name}: {[f.text for f in formulas]}"
            for cell in root.iter(f"{MAIN}c"):
                if cell.get("t") in ("inlineStr", "s", "str"):
                    assert cell.get("t") == "inlineStr", ElementTree.tostring(cell)
                    texts.append("".join(t.text or "" for t in cell.iter(f"{MAIN}t")))
    return texts


def assert_safe_xlsx(xlsx: bytes, hostile: str, expected: int) -> None:
    texts = sheet_strings(xlsx)
    assert not [text for text in texts if text.startswith(TRIGGERS)]
    carrying = [text for text in texts if hostile in text]
    assert len(carrying) >= expected and all(text.startswith("'") for text in carrying)
    assert f"'{hostile}" in texts


def assert_safe_csv(text: str, hostile: str, expected: int) -> None:
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    assert not [cell for cell in cells if cell.startswith(TRIGGERS)]
    carrying = [cell for cell in cells if hostile in cell]
    assert len(carrying) >= expected and all(cell.startswith("'") for cell in carrying)
    assert f"'{hostile}" in cells


@pytest.mark.parametrize("hostile", HOSTILE)
def test_treasury_statement(
    billing: Billing,  # noqa: F811
    regie: Agent,
    hostile: str,
) -> None:
    """The household (renamed on "Gestion du foyer") and the counter-payment's reference."""
    household = billing.family.household
    household.name = hostile
    household.save()
    billing.book(billing.paul, "REPAS", 1, 2, 5)
    run = invoice_run_finalize(
        run=invoice_run_draft(service=billing.restaurant, month=OCTOBER),
        issued_on=date(2026, 11, 2),
        notify=False,
    )
    settlement_record(
        household=household,
        service=billing.restaurant,
        method="cheque",
        amount=Decimal("3.50"),
        invoices=list(Invoice.objects.filter(run=run)),
        reference=hostile,
        received_at=datetime(2026, 11, 10, 9, 30, tzinfo=PARIS),
    )
    query = f"service={billing.restaurant.pk}&start=01/11/2026&end=30/11/2026"
    url = f"/agents/facturation/etat-encaissement/?{query}"

    text = regie.client.get(f"{url}&format=csv").content.decode("utf-8-sig")
    assert_safe_csv(text, hostile, expected=3)  # the payment's household and reference, unpaid
    assert "Total encaissé;3,50" in text and "Total impayé;;;;;;7,00" in text
    xlsx = regie.client.get(f"{url}&format=xlsx").content
    assert_safe_xlsx(xlsx, hostile, expected=3)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_kitchen_counts(
    town: Municipality,
    setup: Setup,  # noqa: F811
    canteen: dict[str, Child],  # noqa: F811
    regie: Agent,
    hostile: str,
) -> None:
    """Product names, diet labels, the PAI child's name and a site."""
    Product.objects.filter(pk=setup.p("REPAS").pk).update(name=f"{hostile} repas")
    Product.objects.filter(pk=setup.p("PAI").pk).update(name=f"{hostile} PAI")
    Diet.objects.filter(municipality=town, label="Sans porc").update(label=hostile)
    Diet.objects.filter(municipality=town, label="Végétarien").update(label=f"{hostile} bis")
    Child.objects.filter(pk=canteen["lea"].pk).update(first_name=hostile)
    Enrollment.objects.filter(child=canteen["paul"]).update(site=site_named(town, hostile))
    query = f"start={THU_12.isoformat()}&end={THU_12.isoformat()}"

    response = regie.client.get(f"/agents/repas/telecharger/csv/?{query}")
    assert response.status_code == 200
    # Paul's site, the two products, the diets of both sites, the PAI line.
    assert_safe_csv(response.content.decode("utf-8-sig"), hostile, expected=6)
    response = regie.client.get(f"/agents/repas/telecharger/xlsx/?{query}")
    assert response.status_code == 200
    assert_safe_xlsx(response.content, hostile, expected=7)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_join_codes(town: Municipality, hostile: str) -> None:
    with municipality_scope(town):
        HouseholdFactory(municipality=town, name=hostile, external_ref=f"{hostile[0]}42")
    out = io.StringIO()
    call_command("create_join_codes", town.slug, stdout=out, stderr=io.StringIO())
    assert_safe_csv(out.getvalue(), hostile, expected=1)
    assert f"'{hostile[0]}42" in out.getvalue()
