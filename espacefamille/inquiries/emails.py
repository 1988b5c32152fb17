"""E-mails to the family for each reply and each decision of the town: queued after commit
and rendered by the task from ids, so a rolled-back reply never mails anything."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from espacefamille.core.emails import templated_email_send
from espacefamille.core.task_queue import task_enqueue_on_commit
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Guardian

from .models import Inquiry, InquiryMessage


def _recipients(inquiry: Inquiry) -> list[str]:
    emails = Guardian.objects.filter(household=inquiry.household_id, user__isnull=False)
    return sorted(set(emails.values_list("user__email", flat=True)))


@task()
def send_inquiry_email(*, municipality_id: int, inquiry_id: int, message_id: int | None) -> None:
    with municipality_scope(municipality_id):
        inquiry = Inquiry.objects.select_related("category", "municipality").get(pk=inquiry_id)
        recipients = _recipients(inquiry)
        if not recipients:
            return
        message = InquiryMessage.objects.filter(pk=message_id).first() if message_id else None
        templated_email_send(
            to=recipients,
            template="inquiry_update",
            context={
                "inquiry": inquiry,
                "message": message,
                "municipality": inquiry.municipality,
                "link": settings.SITE_URL + reverse("inquiries:detail", args=[inquiry.pk]),
            },
        )


def inquiry_email_after_commit(*, inquiry: Inquiry, message: InquiryMessage | None) -> None:
    municipality_id, inquiry_id = inquiry.municipality_id, inquiry.pk
    message_id = message.pk if message else None
    task_enqueue_on_commit(
        send_inquiry_email,
        municipality_id=municipality_id,
        inquiry_id=inquiry_id,
        message_id=message_id,
    )
