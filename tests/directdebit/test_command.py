"""``sepa_batch <commune> <régie> <AAAA-MM-JJ> --output FILE.xml``."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ..billing.conftest import Billing
from .conftest import daycare_invoice, sign


def test_sepa_batch_writes_the_file_once(debit_town: Billing, tmp_path: Path) -> None:
    sign(debit_town)
    invoice = daycare_invoice(debit_town, 1)
    output = tmp_path / "lot.xml"
    call_command("sepa_batch", "test", "garderie", f"{invoice.due_on}", "--output", str(output))
    assert "<NbOfTxs>1</NbOfTxs>" in output.read_text()
    with pytest.raises(CommandError, match="Aucune facture à prélever"):
        call_command("sepa_batch", "test", "garderie", f"{invoice.due_on}", "--output", str(output))
    with pytest.raises(CommandError, match="ne propose pas"):
        call_command("sepa_batch", "test", "restaurant-scolaire", f"{invoice.due_on}")
