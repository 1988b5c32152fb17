"""After an exceptional closure commits, each family whose bookings it cancelled is told, on
the channels it chose: the day(s) as JJ/MM/AAAA, "fermeture" and the reason, what was
cancelled. A closure of today is urgent (an SMS leaves even in quiet hours)."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from espacefamille.bookings.models import Booking
from espacefamille.catalog.models import Closure
from espacefamille.core.tenancy import municipality_scope

from .dispatch import notify, portal_url
from .models import Kind


def closure_days(closure: Closure) -> str:
    if closure.start_date == closure.end_date:
        return _("le %(day)s") % {"day": f"{closure.start_date:%d/%m/%Y}"}
    return _("du %(start)s au %(end)s") % {
        "start": f"{closure.start_date:%d/%m/%Y}",
        "end": f"{closure.end_date:%d/%m/%Y}",
    }


@task()
def closure_notice_send(
    *, municipality_id: int, closure_id: int, base_url: str | None = None
) -> None:
    with municipality_scope(municipality_id):
        closure = Closure.objects.select_related("municipality").get(pk=closure_id)
        cancelled: dict[int, list[Booking]] = defaultdict(list)
        for booking in (
            Booking.objects.filter(closure_id=closure_id)
            .select_related("child", "product")
            .order_by("date", "child__first_name", "product__name")
        ):
            cancelled[booking.household_id].append(booking)
        subject = _("Fermeture %(days)s (%(reason)s)") % {
            "days": closure_days(closure),
            "reason": closure.reason,
        }
        link = (base_url or portal_url("")).rstrip("/") + reverse("portal:agenda")
        urgent = closure.start_date <= timezone.localdate()
        for household_id, bookings in cancelled.items():
            lines = [
                f"- {b.child.first_name} : {b.product.name} {b.date:%d/%m/%Y}" for b in bookings
            ]
            body = "\n".join(
                [
                    _(
                        "%(town)s vous informe d'une fermeture %(days)s (%(reason)s). "
                        "Ces réservations sont annulées et ne vous seront pas facturées ; "
                        "ce qui avait été payé vous est rendu selon les règles du service :"
                    )
                    % {
                        "town": closure.municipality.name,
                        "days": closure_days(closure),
                        "reason": closure.reason,
                    },
                    *lines,
                ]
            )
            notify(
                municipality_id=municipality_id,
                household_ids=[household_id],
                kind=Kind.CLOSURE,
                subject=subject,
                body=body,
                link=link,
                urgent=urgent,
                key=f"closure:{closure_id}",
            )
