"""Read receipts of requests: when the household last opened a request's thread
(``Inquiry.family_read_at``), against the town's latest message (``Inquiry.last_answer_at``,
written by ``inquiry_reply``). A town answer after the reading is a "Nouvelle réponse" on the
home and in "Mes demandes". A request has one household, its only reader: a shared child's
other household (issue 22) neither sees nor reads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.households.models import Household

from .errors import InquiryError, InquiryReason
from .models import Inquiry, InquiryStatus


def inquiry_mark_read(
    *, inquiry: Inquiry, household: Household, at: datetime | None = None
) -> Inquiry:
    """The household opened the request's thread at ``at`` (now): every answer of the town
    written until then is read. One conditional UPDATE: a reading never goes back in time,
    and two guardians opening the request at once leave the later reading."""
    if inquiry.household_id != household.pk:
        raise InquiryError(
            InquiryReason.NOT_OWN, _("Cette demande n'est pas celle de votre foyer.")
        )
    at = at or timezone.now()
    Inquiry.objects.filter(pk=inquiry.pk).filter(
        Q(family_read_at__isnull=True) | Q(family_read_at__lt=at)
    ).update(family_read_at=at)
    inquiry.refresh_from_db(fields=["family_read_at"])
    return inquiry


@dataclass(frozen=True)
class UnreadAnswer:
    """A request the town answered and the family has not read since (the home's list)."""

    pk: int
    category: str
    status_label: str


def unread_answers(*, household: Household, limit: int = 5) -> list[UnreadAnswer]:
    """The household's requests with a town answer it has not read yet, latest answer first;
    rows of the three fields the home shows (no model instances)."""
    labels = dict(InquiryStatus.choices)
    rows = (
        Inquiry.objects.filter(household=household, last_answer_at__isnull=False)
        .filter(Q(family_read_at__isnull=True) | Q(last_answer_at__gt=F("family_read_at")))
        .order_by("-last_answer_at", "-pk")
        .values_list("pk", "category__name", "status")[:limit]
    )
    return [UnreadAnswer(pk, category, str(labels[status])) for pk, category, status in rows]
