"""Reads for the agents' screen "Titres de recettes (PES)"."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from espacefamille.billing.models import InvoiceRun, RunState
from espacefamille.catalog.models import Service

from .models import PesFile, PesFileState, RegieImputation, TreasurySettings


def pes_files(*, service: Service | None = None) -> QuerySet[PesFile]:
    files = PesFile.objects.select_related("service", "created_by", "cancelled_by")
    if service is not None:
        files = files.filter(service=service)
    return files.order_by("-created_at", "-pk")


def treasury_settings() -> TreasurySettings | None:
    return TreasurySettings.objects.first()


def pes_regies() -> list[RegieImputation]:
    return list(RegieImputation.objects.select_related("service").order_by("service__name"))


def exportable_months(*, service: Service) -> list[date]:
    """Months of the régie invoiced for good and not in a live file yet, newest first."""
    sent = set(
        PesFile.objects.filter(service=service, state=PesFileState.SENT)
        .exclude(month=None)
        .values_list("month", flat=True)
    )
    months = InvoiceRun.objects.filter(service=service, state=RunState.FINAL).values_list(
        "month", flat=True
    )
    return sorted((m for m in months if m not in sent), reverse=True)
