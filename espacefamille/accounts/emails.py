"""The account e-mails (password reset, sign-up confirmation, "you already have an account"),
queued on commit with the login's id only and rendered by the task
(docs/architecture.md#e-mails-and-tasks): the request never waits for the mail server, and a
rolled-back request sends nothing.

The link of each e-mail carries Django's password-reset token: it stops working once the
password changes or the login signs in, and after ``PASSWORD_RESET_TIMEOUT``."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from espacefamille.core.task_queue import task_enqueue_on_commit

from .models import User

# Which template and which page the link opens, per kind of e-mail.
KINDS = {
    "password_reset": "accounts:password_reset_confirm",
    "signup_confirm": "accounts:signup_confirm",
    "signup_existing": "accounts:password_reset",
}


def account_link(user: User, kind: str, base_url: str) -> str:
    name = KINDS[kind]
    if name == "accounts:password_reset":
        return base_url + reverse(name)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url + reverse(name, kwargs={"uidb64": uid, "token": token})


@task()
def account_email_send(*, user_id: int, kind: str, base_url: str) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    context = {"user": user, "link": account_link(user, kind, base_url.rstrip("/"))}
    subject = " ".join(render_to_string(f"emails/{kind}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string(f"emails/{kind}.txt", context), to=[user.email]
    )
    message.attach_alternative(render_to_string(f"emails/{kind}.html", context), "text/html")
    message.send()


def account_email_queue(*, user: User, kind: str, base_url: str) -> None:
    """Send this account e-mail once the current transaction commits."""
    if kind not in KINDS:
        raise ValueError(kind)
    user_id = user.pk
    task_enqueue_on_commit(account_email_send, user_id=user_id, kind=kind, base_url=base_url)
