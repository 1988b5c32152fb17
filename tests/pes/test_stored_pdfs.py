"""A PES export attaches the PDFs stored when the run became final, without drawing them."""

from __future__ import annotations

import base64
import gzip
from pathlib import Path
from unittest import mock

from lxml import etree

from espacefamille.billing import issued_pdfs
from espacefamille.billing.issued_pdfs import run_pdfs_store
from espacefamille.billing.models import IssuedInvoicePdf
from espacefamille.core.tenancy import municipality_scope
from espacefamille.pes.export import pes_export

from ..billing.conftest import OCTOBER
from .conftest import PesTown


def test_the_export_reads_the_stored_pdfs(pes_town: PesTown, pes_xsd: Path) -> None:
    with municipality_scope(pes_town.billing.town):
        assert run_pdfs_store(run_id=pes_town.run.pk) == len(pes_town.invoices) == 2
        first = pes_town.invoices[0]
        IssuedInvoicePdf.objects.filter(invoice_id=first.pk).update(content=b"%PDF-stored")
        with mock.patch.object(issued_pdfs, "invoice_pdf", side_effect=AssertionError("drawn")):
            export = pes_export(service=pes_town.billing.restaurant, month=OCTOBER)
    attachments = etree.parse(str(export.path)).getroot().findall("PES_PJ/PJ")
    contents = [
        gzip.decompress(base64.b64decode(pj.find("Contenu/Fichier").text)) for pj in attachments
    ]
    assert len(contents) == 2 and b"%PDF-stored" in contents
