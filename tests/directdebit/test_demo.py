"""The demo: Garderie collects itself, Restaurant scolaire through the treasury, DUPONT has an
active Garderie mandate; ``sepa_batch demo garderie <due date>`` of DUPONT's latest Garderie
invoice gives one debit; loading again creates nothing twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from espacefamille.billing.models import Invoice
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo import load_demo
from espacefamille.directdebit.models import CollectionMode, DirectDebitSettings, Mandate
from espacefamille.directdebit.selectors import debit_data_for_invoices


@pytest.mark.django_db
def test_demo_sepa_batch_gives_one_debit(tmp_path: Path, settings: object) -> None:
    load_demo(base_url="http://testserver")
    load_demo(base_url="http://testserver")
    town = Municipality.objects.get(slug="demo")
    with municipality_scope(town):
        modes = dict(DirectDebitSettings.objects.values_list("service__name", "collection_mode"))
        assert modes == {
            "Garderie": CollectionMode.REGIE,
            "Restaurant scolaire": CollectionMode.TREASURY,
        }
        (mandate,) = Mandate.objects.filter(household__external_ref="DEMO-001")
        assert mandate.service.name == "Garderie" and mandate.is_active
        latest = (
            Invoice.objects.filter(household__external_ref="DEMO-001", service__name="Garderie")
            .order_by("-issued_on")
            .first()
        )
        assert latest is not None
        # Garderie is not collected by the treasury: no debit data in a PES title.
        assert debit_data_for_invoices([latest]) == {}
    output = tmp_path / "garderie.xml"
    call_command("sepa_batch", "demo", "garderie", f"{latest.due_on}", "--output", str(output))
    xml = output.read_text()
    assert "<NbOfTxs>1</NbOfTxs>" in xml and "<SeqTp>FRST</SeqTp>" in xml
    assert latest.number in xml
