"""Arguments of the billing commands: a town by slug, a régie by slug, a month."""

from __future__ import annotations

from datetime import date

from django.core.management.base import CommandError
from django.utils.text import slugify

from espacefamille.catalog.models import Service
from espacefamille.core.models import Municipality


def municipality_by_slug(slug: str) -> Municipality:
    town = Municipality.objects.filter(slug=slug).first()
    if town is None:
        raise CommandError(f"Aucune collectivité « {slug} ».")
    return town


def service_by_slug(slug: str) -> Service:
    """Services have no slug field: a régie is named by its slugified name
    ("restaurant-scolaire") or by its id. Call inside the town's scope."""
    services = list(Service.objects.all())
    for service in services:
        if slugify(service.name) == slug or str(service.pk) == slug:
            return service
    known = ", ".join(slugify(service.name) for service in services)
    raise CommandError(f"Aucun service « {slug} » (services : {known}).")


def parse_month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError as error:
        raise CommandError(f"Mois attendu au format AAAA-MM, pas « {text} ».") from error


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Date attendue au format AAAA-MM-JJ, pas « {text} ».") from error
