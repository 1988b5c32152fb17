"""The town's sites ("École du Centre", "École des Tilleuls"): an administrator adds a site,
renames it, or deactivates it (its enrolments and facilitators keep it; it is no longer offered
for a new choice). Two sites of one town never share a name, whatever the case or spaces."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from espacefamille.audit.records import Actor, action_record, diff, snapshot
from espacefamille.catalog.errors import CatalogError, CatalogReason
from espacefamille.core.models import Municipality
from espacefamille.core.validators import name_taken

from .models import Site

SITE_FIELDS = ["name", "is_active"]


@transaction.atomic
def site_save(
    *, municipality: Municipality, site: Site | None, data: dict[str, Any], actor: Actor
) -> Site:
    created = site is None
    name = " ".join(str(data.get("name", "")).split())
    others = Site.objects.exclude(pk=site.pk) if site is not None else Site.objects.all()
    if name_taken(others.values_list("name", flat=True), name):
        raise CatalogError(
            CatalogReason.NAME_TAKEN, _("Un site porte déjà ce nom dans la commune."), field="name"
        )
    stored = Site(municipality=municipality) if site is None else Site.objects.get(pk=site.pk)
    before = {} if created else snapshot(stored, SITE_FIELDS)
    stored.name = name
    stored.is_active = bool(data.get("is_active", stored.is_active))
    stored.full_clean()
    stored.save()
    changes = diff(before, snapshot(stored, SITE_FIELDS))
    if created or changes:
        action_record(
            municipality_id=municipality.pk,
            actor=actor,
            action="site.create" if created else "site.update",
            obj=stored,
            changes=changes,
        )
    return stored


def site_names() -> list[str]:
    """The names of the town's sites (active or not), for a filter's list."""
    return list(Site.objects.order_by("name").values_list("name", flat=True))


def sites_to_choose(*, keep: list[Site] | tuple[Site, ...] = ()) -> QuerySet[Site]:
    """The town's active sites, and the ones already chosen (``keep``) even if deactivated."""
    return Site.objects.filter(Q(is_active=True) | Q(pk__in=[site.pk for site in keep])).order_by(
        "name"
    )
