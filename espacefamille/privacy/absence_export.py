"""The reported absences of a household in "Mes données" (``data_export``), with the path of
each medical certificate in the archive (a name of ours, never the sender's)."""

from __future__ import annotations

from typing import Any

from espacefamille.attendance.models import AbsenceReport
from espacefamille.core.plain_values import plain
from espacefamille.core.uploads import download_name
from espacefamille.households.models import Household

CERTIFICATES_FOLDER = "certificats"


def certificate_name(report: AbsenceReport) -> str:
    name = download_name(stem=f"certificat-{report.pk}", content_type=report.content_type)
    return f"{CERTIFICATES_FOLDER}/{name}"


def reports_with_certificate(household: Household) -> list[AbsenceReport]:
    return list(
        AbsenceReport.objects.filter(household=household).exclude(certificate="").order_by("pk")
    )


def absences_section(household: Household) -> list[dict[str, Any]]:
    reports = (
        AbsenceReport.objects.filter(household=household)
        .select_related("child")
        .order_by("first_day", "pk")
    )
    return [
        {
            "enfant": str(report.child),
            "du": plain(report.first_day),
            "au": plain(report.last_day),
            "motif": report.get_reason_display(),
            "suite_donnee": report.get_outcome_display(),
            "signalee_le": plain(report.reported_at),
            "decidee_le": plain(report.decided_at),
            "certificat_dans_l_archive": certificate_name(report) if report.certificate else None,
        }
        for report in reports
    ]
