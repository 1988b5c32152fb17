"""Acceptance on the demo (issue 18): Restaurant scolaire is configured for PES and its latest
final month is left unexported; ``pes_export`` writes a file that validates against
PES_Aller.xsd whose bordereau total is the run's; a second export of the month is refused
until the first file is cancelled; no file and no debit batch is made by the demo; once
DUPONT signs a Restaurant scolaire mandate, its debit data travel in DUPONT's title."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from espacefamille.billing.models import Invoice, InvoiceRun, RunState
from espacefamille.catalog.models import Service
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo import load_demo
from espacefamille.directdebit.demo import DEMO_IBAN
from espacefamille.directdebit.models import DebitBatch
from espacefamille.directdebit.services import mandate_create
from espacefamille.households.models import Household
from espacefamille.pes.history import pes_file_cancel
from espacefamille.pes.models import PesFile

pytestmark = pytest.mark.django_db


def test_demo_month_exported_once_until_cancelled(pes_xsd: Path, tmp_path: Path) -> None:
    load_demo(base_url="http://testserver")
    town = Municipality.objects.get(slug="demo")
    with municipality_scope(town):
        restaurant = Service.objects.get(name="Restaurant scolaire")
        run = InvoiceRun.objects.filter(service=restaurant, state=RunState.FINAL).latest("month")
        assert not PesFile.objects.exists()  # left for a new user to export
    month = f"{run.month:%Y-%m}"
    output = tmp_path / "demo.xml"
    call_command("pes_export", "demo", "restaurant-scolaire", month, "--output", str(output))
    schema = etree.XMLSchema(etree.parse(str(pes_xsd / "PES_V2" / "Rev0" / "PES_Aller.xsd")))
    tree = etree.parse(str(output), etree.XMLParser(huge_tree=True))
    assert schema.validate(tree), schema.error_log
    bloc = tree.getroot().find("PES_RecetteAller/Bordereau/BlocBordereau")
    assert Decimal(bloc.find("MtBordHt").get("V")) == run.total > 0
    assert int(bloc.find("NbrPce").get("V")) == run.invoice_count
    with pytest.raises(CommandError, match="déjà été transmises"):
        call_command("pes_export", "demo", "restaurant-scolaire", month, "--output", str(output))
    with municipality_scope(town):
        pes_file_cancel(pes_file=PesFile.objects.get(), user=None, reason="Essai")
    call_command("pes_export", "demo", "restaurant-scolaire", month, "--output", str(output))
    with municipality_scope(town):
        assert sorted(PesFile.objects.values_list("bordereau", flat=True)) == [1, 2]


def test_demo_dupont_mandate_travels_in_the_title(pes_xsd: Path, tmp_path: Path) -> None:
    """Once DUPONT signs a Restaurant scolaire mandate (the régie collecting through the
    treasury), ``pes_export`` on the demo carries it in DUPONT's title, and only there."""
    load_demo(base_url="http://testserver")
    town = Municipality.objects.get(slug="demo")
    with municipality_scope(town):
        assert not PesFile.objects.exists() and not DebitBatch.objects.exists()
        restaurant = Service.objects.get(name="Restaurant scolaire")
        run = InvoiceRun.objects.filter(service=restaurant, state=RunState.FINAL).latest("month")
        dupont = Household.objects.get(external_ref="DEMO-001")
        number = Invoice.objects.get(run=run, household=dupont).number
        mandate = mandate_create(
            household=dupont,
            service=restaurant,
            holder="François DUPONT",
            iban=DEMO_IBAN,
            channel="paper",
            user=None,
            signed_on=date(2026, 9, 1),
        )
    output = tmp_path / "demo.xml"
    call_command(
        "pes_export", "demo", "restaurant-scolaire", f"{run.month:%Y-%m}", "--output", str(output)
    )
    schema = etree.XMLSchema(etree.parse(str(pes_xsd / "PES_V2" / "Rev0" / "PES_Aller.xsd")))
    tree = etree.parse(str(output), etree.XMLParser(huge_tree=True))
    assert schema.validate(tree), schema.error_log
    (debit,) = tree.getroot().findall(".//InfoPrelevementSEPA")
    assert debit.find("RefUniMdt").get("V") == mandate.rum
    assert tree.getroot().find(".//CpteBancaire/TitCpte").get("V") == "François DUPONT"
    piece = next(
        p for p in tree.getroot().iter("Piece") if p.find(".//InfoPrelevementSEPA") is not None
    )
    assert number in etree.tostring(piece).decode()
