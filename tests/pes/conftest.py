"""PES tests: the DGFiP's schema set (PES_XSD_PATH, or ../shared/pes-xsd/v5.17 beside the
repository), a town with a final canteen month of two families, and its treasury settings.

Without a schema set the tests that need it are skipped with a message, except under CI
(``CI`` set), where they fail: CI must run them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from espacefamille.billing.models import Invoice, InvoiceRun
from espacefamille.billing.runs import invoice_run_draft, invoice_run_finalize
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Guardian
from espacefamille.pes.models import RegieImputation, TreasurySettings

from ..billing.conftest import OCTOBER, Billing, make_other_family
from ..billing.conftest import billing as billing

REPO = Path(__file__).resolve().parents[2]
SHARED_XSD = REPO.parent / "shared" / "pes-xsd" / "v5.17"
DEMO_SIRET = "21840001200017"


def xsd_folder() -> Path | None:
    configured = os.environ.get("PES_XSD_PATH")
    if configured:
        return Path(configured)
    if SHARED_XSD.is_dir():
        return SHARED_XSD
    return None


@pytest.fixture
def pes_xsd(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    folder = xsd_folder()
    message = "Schémas PES absents : PES_XSD_PATH non défini et ../shared/pes-xsd/v5.17 absent."
    if folder is None or not (folder / "PES_V2" / "Rev0" / "PES_Aller.xsd").is_file():
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    settings.PES_XSD_PATH = str(folder)  # type: ignore[attr-defined]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"  # type: ignore[attr-defined]
    return folder


@dataclass
class PesTown:
    billing: Billing
    invoices: list[Invoice]
    run: InvoiceRun


def _address(guardian: Guardian, street: str) -> None:
    guardian.address = street
    guardian.postcode = "84000"
    guardian.city = "Démo-sur-Sorgue"
    guardian.save()


def configure(town_id: int, restaurant_id: int) -> None:
    TreasurySettings.objects.update_or_create(
        municipality_id=town_id,
        defaults={
            "id_coll": DEMO_SIRET,
            "cod_col": "012",
            "cod_bud": "00",
            "id_post": "084000",
            "exer": 2026,
        },
    )
    RegieImputation.objects.update_or_create(
        municipality_id=town_id,
        service_id=restaurant_id,
        defaults={"nature": "7067", "fonction": "251", "cod_prod_loc": "RS"},
    )


@pytest.fixture
def pes_town(billing: Billing, pes_xsd: Path) -> Iterator[PesTown]:
    """October 2026 of the canteen invoiced for good: DUPONT (Paul, Julie) and MARTIN (Zoé)."""
    with municipality_scope(billing.town):
        other, zoe = make_other_family(billing)
        _address(billing.family.guardian, "12 rue des Lilas")
        other.guardian.last_name = "MARTIN"
        _address(other.guardian, "3 chemin des Vignes")
        billing.book(billing.paul, "REPAS", 5, 6, 7)
        billing.book(billing.julie, "REPAS", 5, 6)
        billing.book(zoe, "REPAS", 8, 9)
        for child, days in ((billing.paul, (5, 6, 7)), (billing.julie, (5, 6)), (zoe, (8, 9))):
            billing.attend(child, "REPAS", "present", *days)
        run = invoice_run_draft(service=billing.restaurant, month=OCTOBER)
        run = invoice_run_finalize(run=run, issued_on=date(2026, 11, 2), notify=False)
        configure(billing.town.pk, billing.restaurant.pk)
        invoices = list(Invoice.objects.filter(run=run).order_by("number"))
        yield PesTown(billing, invoices, run)
