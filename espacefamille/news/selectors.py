"""Which posts a family reads today: published (between its dates, not withdrawn) and meant
for everyone or for a service one of the household's children is enrolled in."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from espacefamille.catalog.models import Enrollment
from espacefamille.households.models import Household
from espacefamille.households.sharing import member_q

from .models import NewsPost


def news_published(*, today: date | None = None) -> QuerySet[NewsPost]:
    today = today or timezone.localdate()
    return NewsPost.objects.filter(
        Q(publish_from__isnull=True) | Q(publish_from__lte=today),
        Q(publish_until__isnull=True) | Q(publish_until__gte=today),
        is_withdrawn=False,
    )


def news_for_services(
    *, service_ids: Collection[int], today: date | None = None
) -> QuerySet[NewsPost]:
    """What a family reads when its children are enrolled in ``service_ids`` (known already:
    the home reads the enrolments anyway), without a subquery on the enrolments."""
    return (
        news_published(today=today)
        .filter(Q(services__isnull=True) | Q(services__in=list(service_ids)))
        .distinct()
        .prefetch_related("documents")
    )


def news_for_household(*, household: Household, today: date | None = None) -> QuerySet[NewsPost]:
    today = today or timezone.localdate()
    service_ids = Enrollment.objects.filter(
        member_q(household, child_field="child"), end_date__gte=today
    ).values("service_id")
    return (
        news_published(today=today)
        .filter(Q(services__isnull=True) | Q(services__in=service_ids))
        .distinct()
        .prefetch_related("documents")
    )
