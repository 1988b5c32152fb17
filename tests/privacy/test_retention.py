"""``purge_expired``: a household file without activity for the town's retention period is
anonymised (invoices and payments kept, without the children's names); ``--dry-run`` prints
and writes nothing; any recent activity (a sign-in, for one) keeps the file."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from espacefamille.billing.issued_pdfs import run_pdfs_store
from espacefamille.billing.models import Invoice, InvoiceLine, IssuedInvoicePdf
from espacefamille.core.backups.manifest import database_summary, folder_summary
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import (
    AuthorizedPickup,
    ChildDiet,
    EmergencyContact,
    Guardian,
    Household,
    ImageConsent,
)
from espacefamille.inquiries.models import Inquiry
from espacefamille.privacy.retention import (
    ANONYMISED_PREFIX,
    ANONYMOUS_CHILD,
    expired_households,
)

from ..households.conftest import DemoFamily


def _purge(*arguments: str) -> str:
    output = io.StringIO()
    call_command("purge_expired", *arguments, stdout=output)
    return output.getvalue()


def _years_later(years: int) -> time_machine.travel:
    return time_machine.travel(timezone.now() + timedelta(days=365 * years + 2), tick=False)


def test_dry_run_prints_and_writes_nothing(demo_family: DemoFamily, settings: Any) -> None:
    before = database_summary(connection)
    files = folder_summary(settings.PRIVATE_MEDIA_ROOT)
    with _years_later(4):
        output = _purge("--dry-run")
    assert "DUPONT" in output and "serait anonymisé" in output
    assert "rien n'est modifié" in output
    assert database_summary(connection) == before
    assert folder_summary(settings.PRIVATE_MEDIA_ROOT) == files


def test_purge_anonymises_and_keeps_the_invoices(
    demo_family: DemoFamily,
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    town = demo_family.town
    with municipality_scope(town):
        invoices = {invoice.number: invoice.total for invoice in Invoice.objects.all()}
        assert invoices
        for run_id in set(Invoice.objects.values_list("run_id", flat=True)):
            run_pdfs_store(run_id=run_id)  # as issued: the children's names are in them
        assert IssuedInvoicePdf.objects.filter(invoice__household=demo_family.household).exists()
    with _years_later(4), django_capture_on_commit_callbacks(execute=True):
        output = _purge()
    assert "anonymisé" in output
    with municipality_scope(town):
        dupont = Household.objects.get(pk=demo_family.household.pk)
        assert dupont.name == f"{ANONYMISED_PREFIX}{dupont.pk}"
        names = {(guardian.first_name, guardian.last_name) for guardian in dupont.guardians.all()}
        assert names == {("Responsable", "anonymisé")}
        assert Guardian.objects.filter(household=dupont, user__isnull=False).count() == 0
        assert {child.first_name for child in dupont.children.all()} == {ANONYMOUS_CHILD}
        assert not dupont.children.filter(has_care_plan=True).exists()
        for model in (AuthorizedPickup, EmergencyContact, Inquiry):
            assert not model.objects.filter(household=dupont).exists(), model
        for child_model in (ImageConsent, ChildDiet):
            assert not child_model.objects.filter(child__household=dupont).exists()
        assert {invoice.number: invoice.total for invoice in Invoice.objects.all()} == invoices
        line_names = set(InvoiceLine.objects.values_list("child_name", flat=True))
        assert line_names == {ANONYMOUS_CHILD}
        assert not IssuedInvoicePdf.objects.filter(invoice__household=dupont).exists()
    assert not any("inquiries/" in name for name in folder_summary(settings.PRIVATE_MEDIA_ROOT))
    with _years_later(4):
        assert "0 foyer à anonymiser" in _purge("--dry-run")  # done once, not again


def test_a_file_with_recent_activity_is_kept(demo_family: DemoFamily) -> None:
    town = demo_family.town
    with municipality_scope(town), _years_later(2):
        assert expired_households(town, timezone.localdate()) == []
        town.retention_years = 1
        assert demo_family.household.pk in {
            item.household.pk for item in expired_households(town, timezone.localdate())
        }
    town.retention_years = 3
    with municipality_scope(town), _years_later(4):
        user = Guardian.objects.get(household=demo_family.household, rank=1).user
        user.last_login = timezone.now() - timedelta(days=30)
        user.save()
        expired = {item.household.pk for item in expired_households(town, timezone.localdate())}
        assert demo_family.household.pk not in expired
        assert expired, "the other demo households have had no activity since"
