"""E-mails are rendered now and sent by a background task once the transaction commits, so a
rolled-back change never sends mail and a slow SMTP server never holds a request."""

from __future__ import annotations

from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task


@task()
def send_email(*, to: list[str], subject: str, text: str, html: str) -> None:
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()


def send_templated_email(*, to: list[str], template: str, context: dict[str, Any]) -> None:
    """Render ``emails/<template>_subject.txt``, ``.txt`` and ``.html`` and queue the e-mail."""
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    transaction.on_commit(lambda: send_email.enqueue(to=to, subject=subject, text=text, html=html))
