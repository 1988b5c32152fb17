"""The e-mail telling a family its debit was returned: rendered by a task after commit, from
ids (docs/architecture.md, "E-mails and tasks")."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django_tasks import task

from espacefamille.billing.emails import invoice_email_address
from espacefamille.core.money import format_euros
from espacefamille.core.tenancy import municipality_scope

from .models import Debit
from .reasons import reason_label


@task()
def debit_rejected_email(*, municipality_id: int, debit_id: int) -> None:
    with municipality_scope(municipality_id):
        debit = (
            Debit.objects.select_related(
                "batch", "invoice__service", "invoice__municipality", "invoice__recipient__user"
            )
            .filter(pk=debit_id)
            .first()
        )
        if debit is None:
            return
        invoice = debit.invoice
        address = invoice_email_address(invoice)
        if not address:
            return
        try:
            link = settings.SITE_URL + reverse("portal:invoice_detail", args=[invoice.pk])
        except NoReverseMatch:
            link = settings.SITE_URL
        context = {
            "invoice": invoice,
            "municipality": invoice.municipality,
            "amount": format_euros(debit.amount),
            "day": debit.batch.collection_date,
            "reason": reason_label(debit.reason_code),
            "link": link,
        }
        subject = " ".join(render_to_string("emails/debit_rejected_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("emails/debit_rejected.txt", context),
            to=[address],
        )
        message.attach_alternative(
            render_to_string("emails/debit_rejected.html", context), "text/html"
        )
        message.send()
