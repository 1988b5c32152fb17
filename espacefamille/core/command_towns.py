"""The town(s) a management command acts on, from its ``<commune>`` argument (the town's short
identifier): one, or every town when the argument is optional and left out."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .models import Municipality


def towns_named(slug: str | None) -> QuerySet[Municipality]:
    """Every town (``slug`` empty) or the one named; an unknown name is a ``CommandError``."""
    towns = Municipality.objects.order_by("slug")
    if slug:
        towns = towns.filter(slug=slug)
        if not towns.exists():
            raise CommandError(_("Commune « %(slug)s » inconnue.") % {"slug": slug})
    return towns


def town_named(slug: str) -> Municipality:
    town = towns_named(slug).first()
    if town is None:  # no town at all
        raise CommandError(_("Commune « %(slug)s » inconnue.") % {"slug": slug})
    return town
