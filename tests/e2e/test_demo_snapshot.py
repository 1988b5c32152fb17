"""Each journey starts from the demo as a fresh ``load_demo`` leaves it: what a journey changed
is gone after the flush and the restore, and every table holds the same rows, ids included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django_scopes import scopes_disabled

from espacefamille.bookings.models import Booking
from espacefamille.demo import load_demo
from espacefamille.households.models import Household

from .demo_snapshot import DemoSnapshot


@scopes_disabled()
def _every_row() -> dict[str, list[Any]]:
    return {
        model._meta.label: sorted(model._base_manager.values_list("pk", flat=True))
        for model in apps.get_models()
    }


def _flush() -> None:  # what pytest-django runs after each journey
    call_command("flush", verbosity=0, interactive=False, reset_sequences=False)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite journeys load the demo each time"
)
@scopes_disabled()
def test_a_restored_demo_is_a_fresh_demo_whatever_the_journey_before_did(
    transactional_db: None, tmp_path: Path, settings: Any
) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    snapshot = DemoSnapshot(folder=tmp_path / "snapshot")
    report = snapshot.demo(base_url="http://127.0.0.1:1")
    restored = _every_row()
    assert restored["bookings.Booking"], "the demo has bookings"
    names = {household.pk: household.name for household in Household.objects.all()}

    # A journey renames a household, cancels bookings, then pytest-django flushes.
    Household.objects.update(name="CHANGÉ")
    Booking.objects.all().delete()
    _flush()
    assert not Household.objects.exists()

    again = snapshot.demo(base_url="http://127.0.0.1:1")
    assert _every_row() == restored
    assert {household.pk: household.name for household in Household.objects.all()} == names
    assert again == report
    private_files = sorted(path.name for path in (tmp_path / "private").rglob("*.pdf"))
    assert private_files, "the demo's PDFs are in the journey's private folder"

    # A fresh load on an emptied database holds as many rows in every table.
    _flush()
    load_demo(base_url="http://127.0.0.1:1")
    fresh = _every_row()
    assert {label: len(pks) for label, pks in fresh.items()} == {
        label: len(pks) for label, pks in restored.items()
    }
