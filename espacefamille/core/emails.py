"""Sending a templated e-mail, from inside a task (DESIGN convention 11).

Every e-mail of the project is a task queued for the commit (``core.task_queue``) and given ids
only; the task reads the rows and calls ``templated_email_send``, which renders and sends at
once. Nothing rendered (a body, a link that signs someone in) ever goes through a task's
arguments, so the task table holds no secret, a rolled-back change never mails anything and
a slow mail server never holds a request or a lock."""

from __future__ import annotations

from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def templated_email_send(*, to: list[str], template: str, context: dict[str, Any]) -> None:
    """Render ``emails/<template>_subject.txt``, ``.txt`` and ``.html`` and send the e-mail
    now. Call it from a task only."""
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string(f"emails/{template}.txt", context), to=to
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    message.send()
