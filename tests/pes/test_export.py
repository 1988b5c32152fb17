"""PES export of a final month: a file that validates against PES_Aller.xsd, whose bordereau
holds one title per invoice and the month's total, the guardian as debtor, each invoice's
PDF attached; never twice the same invoice unless the file is cancelled; an invalid file is
never written and its errors are listed; no schema set, no file."""

from __future__ import annotations

import base64
import dataclasses
import gzip
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from espacefamille.audit.models import ActionLogEntry
from espacefamille.core.tenancy import municipality_scope
from espacefamille.pes.builder import NS
from espacefamille.pes.checks import check_pes_file
from espacefamille.pes.debit_data import DebitData
from espacefamille.pes.export import PesExportError, pes_export, pes_storage_dir
from espacefamille.pes.history import pes_file_cancel
from espacefamille.pes.models import PesFile, PesFileInvoice, PesFileState, ProductImputation
from espacefamille.pes.titles import Title

from ..billing.conftest import OCTOBER
from .conftest import PesTown

pytestmark = pytest.mark.django_db


def _tree(path: Path) -> etree._ElementTree:
    return etree.parse(str(path), etree.XMLParser(huge_tree=True))


def _validates(path: Path, xsd: Path) -> None:
    schema = etree.XMLSchema(etree.parse(str(xsd / "PES_V2" / "Rev0" / "PES_Aller.xsd")))
    assert schema.validate(_tree(path)), schema.error_log


def test_export_writes_a_valid_file_of_the_month(pes_town: PesTown, pes_xsd: Path) -> None:
    town = pes_town.billing.town
    with municipality_scope(town):
        export = pes_export(service=pes_town.billing.restaurant, month=OCTOBER)
    _validates(export.path, pes_xsd)
    root = _tree(export.path).getroot()
    assert root.tag == f"{{{NS}}}PES_Aller"
    bloc = root.find("PES_RecetteAller/Bordereau/BlocBordereau")
    expected = sum((invoice.total for invoice in pes_town.invoices), Decimal("0.00"))
    assert bloc.find("MtBordHt").get("V") == f"{expected:.2f}"
    assert bloc.find("NbrPce").get("V") == str(len(pes_town.invoices)) == "2"
    assert bloc.find("IdBord").get("V") == "1"
    assert bloc.find("TypBord").get("V") == "06"
    pieces = root.findall("PES_RecetteAller/Bordereau/Piece")
    numbers = [p.find("BlocPiece/NumeroFacture").get("V") for p in pieces]
    assert numbers == [invoice.number for invoice in pes_town.invoices]
    names = {tiers.get("V") for tiers in root.iter("Nom")}
    first_names = {tiers.get("V") for tiers in root.iter("Prenom")}
    assert names == {"DUPONT", "MARTIN"}
    assert first_names == {"Camille"}  # the guardians, never Paul, Julie or Zoé
    for line in root.iter("InfoLignePiece"):
        assert line.find("Nature").get("V") == "7067"
        assert line.find("CodProdLoc").get("V") == "RS"
    attachments = root.findall("PES_PJ/PJ")
    assert len(attachments) == 2
    pdf = gzip.decompress(base64.b64decode(attachments[0].find("Contenu/Fichier").text))
    assert pdf[:4] == b"%PDF"
    with municipality_scope(town):
        pes_file = PesFile.objects.get()
        assert pes_file.invoice_count == 2 and pes_file.total == expected
        assert ActionLogEntry.objects.filter(action="pes_file.create").count() == 1


def test_command_writes_the_file(pes_town: PesTown, pes_xsd: Path, tmp_path: Path) -> None:
    output = tmp_path / "titres.xml"
    call_command("pes_export", "test", "restaurant-scolaire", "2026-10", "--output", str(output))
    _validates(output, pes_xsd)
    with pytest.raises(CommandError, match="déjà été transmises"):
        call_command("pes_export", "test", "restaurant-scolaire", "2026-10", "--output", "x.xml")


def test_same_invoice_never_twice_until_the_file_is_cancelled(pes_town: PesTown) -> None:
    town, restaurant = pes_town.billing.town, pes_town.billing.restaurant
    with municipality_scope(town):
        first = pes_export(service=restaurant, month=OCTOBER)
        with pytest.raises(PesExportError, match="déjà été transmises"):
            pes_export(service=restaurant, month=OCTOBER)
        with pytest.raises(PesExportError, match="déjà été transmises"):
            pes_export(service=restaurant, invoice_ids=[pes_town.invoices[0].pk])
        pes_file_cancel(pes_file=first.pes_file, user=None, reason="Erreur d'imputation")
        second = pes_export(service=restaurant, month=OCTOBER)
        assert second.pes_file.bordereau == first.pes_file.bordereau + 1
        assert PesFile.objects.get(pk=first.pes_file.pk).state == PesFileState.CANCELLED
        assert PesFileInvoice.objects.filter(active=True).count() == 2


def test_an_invalid_file_is_never_written(pes_town: PesTown) -> None:
    town, restaurant = pes_town.billing.town, pes_town.billing.restaurant

    def broken(title: Title) -> Title:
        line = dataclasses.replace(title.lines[0], cod_prod_loc="R S!", amount=Decimal("1.00"))
        return dataclasses.replace(title, lines=[line])

    with municipality_scope(town):
        with pytest.raises(PesExportError) as refused:
            pes_export(service=restaurant, month=OCTOBER, tamper=broken)
        assert refused.value.errors
        text = "\n".join(refused.value.errors)
        assert "CodProdLoc" in text
        assert not PesFile.objects.exists() and not PesFileInvoice.objects.exists()
        assert list(pes_storage_dir(town.pk).iterdir()) == []
        # the number was given back: the next file is bordereau 1
        assert pes_export(service=restaurant, month=OCTOBER).pes_file.bordereau == 1


def test_totals_that_do_not_add_up_are_refused(pes_town: PesTown) -> None:
    town, restaurant = pes_town.billing.town, pes_town.billing.restaurant

    def cheaper(title: Title) -> Title:
        line = dataclasses.replace(title.lines[0], amount=title.lines[0].amount - 1)
        return dataclasses.replace(title, lines=[line, *title.lines[1:]])

    with municipality_scope(town), pytest.raises(PesExportError) as refused:
        pes_export(service=restaurant, month=OCTOBER, tamper=cheaper)
    assert any("somme de ses pièces" in error for error in refused.value.errors)
    assert list(pes_storage_dir(town.pk).iterdir()) == []


def test_without_the_schema_set_nothing_is_produced(pes_town: PesTown, settings) -> None:
    settings.PES_XSD_PATH = ""
    with municipality_scope(pes_town.billing.town):
        with pytest.raises(PesExportError, match="PES_XSD_PATH"):
            pes_export(service=pes_town.billing.restaurant, month=OCTOBER)
        assert not PesFile.objects.exists()


def test_a_debtor_without_address_is_named(pes_town: PesTown) -> None:
    guardian = pes_town.billing.family.guardian
    with municipality_scope(pes_town.billing.town):
        guardian.address = ""
        guardian.save()
        with pytest.raises(PesExportError) as refused:
            pes_export(service=pes_town.billing.restaurant, month=OCTOBER)
    assert refused.value.errors == [
        f"Facture {pes_town.invoices[0].number} (DUPONT) : l'adresse du responsable est vide."
    ]


def test_debit_data_travels_in_the_title(pes_town: PesTown, pes_xsd: Path) -> None:
    dupont = pes_town.invoices[0]
    debit = DebitData(
        rum="EF-DEMO-000001",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
        holder="Camille DUPONT",
        signed_on=date(2026, 9, 1),
        previous_rum="EF-DEMO-000000",
        previous_iban="FR7630004000031234567890143",
        previous_bic="BNPAFRPP",
    )
    with municipality_scope(pes_town.billing.town):
        export = pes_export(
            service=pes_town.billing.restaurant, month=OCTOBER, debits={dupont.pk: debit}
        )
        assert PesFileInvoice.objects.get(invoice=dupont).rum == "EF-DEMO-000001"
    _validates(export.path, pes_xsd)
    root = _tree(export.path).getroot()
    debits = root.findall(".//InfoPrelevementSEPA")
    assert len(debits) == len(
        [
            p
            for p in root.iter("Piece")
            if p.find("BlocPiece/NumeroFacture").get("V") == dupont.number
        ]
    )
    info = debits[0]
    assert info.find("NatPrel").get("V") == "01"
    assert info.find("RefUniMdt").get("V") == "EF-DEMO-000001"
    assert info.find("AncienRUM").get("V") == "EF-DEMO-000000"
    assert info.find("AncienIBAN").get("V") == "FR7630004000031234567890143"
    assert info.find("SequencePres").get("V") == "02"  # first debit of this mandate
    assert root.find(".//CpteBancaire/IBAN").get("V") == debit.iban


def test_the_checker_counts_pieces_and_amounts(pes_town: PesTown, tmp_path: Path) -> None:
    with municipality_scope(pes_town.billing.town):
        export = pes_export(service=pes_town.billing.restaurant, month=OCTOBER)
    assert check_pes_file(export.path).ok
    text = export.path.read_bytes()
    wrong_count = tmp_path / "count.xml"
    wrong_count.write_bytes(text.replace(b'<NbrPce V="2"/>', b'<NbrPce V="3"/>'))
    assert any("NbrPce" in error for error in check_pes_file(wrong_count).errors)
    total = f"{sum(i.total for i in pes_town.invoices):.2f}".encode()
    one_decimal = tmp_path / "decimal.xml"
    one_decimal.write_bytes(
        text.replace(b'<MtBordHt V="' + total + b'"/>', b'<MtBordHt V="' + total[:-1] + b'"/>')
    )
    assert any("deux décimales" in error for error in check_pes_file(one_decimal).errors)
    # an amount inside a piece (read as a stream, the piece dropped once checked)
    line_amount = tmp_path / "line.xml"
    line_amount.write_bytes(re.sub(rb'<MtHT V="([0-9]+)\.([0-9])0"/>', rb'<MtHT V="\1.\2"/>', text))
    assert line_amount.read_bytes() != text
    assert any("(MtHT)" in error for error in check_pes_file(line_amount).errors)
    triplet = tmp_path / "triplet.xml"
    triplet.write_bytes(text.replace(b'<TypPce V="15"/>', b'<TypPce V="01"/>', 1))
    assert any("triplet" in error for error in check_pes_file(triplet).errors)


def test_a_product_imputed_apart_gets_its_own_line_imputation(pes_town: PesTown) -> None:
    billing = pes_town.billing
    with municipality_scope(billing.town):
        ProductImputation.objects.create(
            municipality=billing.town,
            product=billing.p("REPAS"),
            nature="7066",
            fonction="",
            cod_prod_loc="RE",
        )
        export = pes_export(service=billing.restaurant, month=OCTOBER)
    lines = list(_tree(export.path).getroot().iter("InfoLignePiece"))
    assert {(line.find("Nature").get("V"), line.find("CodProdLoc").get("V")) for line in lines} == {
        ("7066", "RE")
    }
    assert all(line.find("Fonction") is None for line in lines)
