"""The e-mail telling a family what became of a reported absence (an agent's decision on its
certificate): queued after commit and rendered by the task from ids."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from espacefamille.core.emails import templated_email_send
from espacefamille.core.task_queue import task_enqueue_on_commit
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Guardian

from .models import AbsenceReport


@task()
def send_absence_email(*, municipality_id: int, report_id: int) -> None:
    with municipality_scope(municipality_id):
        report = AbsenceReport.objects.select_related("child", "municipality").get(pk=report_id)
        emails = Guardian.objects.filter(household=report.household_id, user__isnull=False)
        recipients = sorted(set(emails.values_list("user__email", flat=True)))
        if not recipients:
            return
        templated_email_send(
            to=recipients,
            template="absence_outcome",
            context={
                "report": report,
                "municipality": report.municipality,
                "link": settings.SITE_URL + reverse("portal:absence_report"),
            },
        )


def absence_email_after_commit(*, report: AbsenceReport) -> None:
    municipality_id, report_id = report.municipality_id, report.pk
    task_enqueue_on_commit(send_absence_email, municipality_id=municipality_id, report_id=report_id)
