"""Agents configure the town's catalog: services, products and their rules, closures.

Each function validates, saves and writes the town's action log (before → after). A change of
a product's rules that affects bookings already made is counted first
(``product_rule_impact``): the back office asks for confirmation before saving it. Prices are
not edited here: a price change must apply from a date (the billing work owns that)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from espacefamille.audit.records import Actor, action_record, diff, snapshot
from espacefamille.catalog.errors import CatalogError, CatalogReason
from espacefamille.catalog.models import Closure, Product, Service
from espacefamille.core.events import events_emit
from espacefamille.core.models import Municipality

SERVICE_FIELDS = [
    "name",
    "billing_mode",
    "booking_requires_approval",
    "cancellation_requires_approval",
    "rules_text",
    "position",
]
PRODUCT_RULE_FIELDS = [
    "weekdays",
    "opens_in_school_periods",
    "opens_in_holidays",
    "booking_deadline",
    "cancellation_deadline",
    "capacity",
    "incompatibility_group",
    "flat_rate_period",
    "is_active",
]
PRODUCT_FIELDS = ["name", "position", *PRODUCT_RULE_FIELDS]
CLOSURE_FIELDS = ["start_date", "end_date", "reason", "products"]


def _save(obj: Any, data: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """Apply, validate and save ``obj``; return the changes (before → after)."""
    before = {} if obj.pk is None else snapshot(type(obj).objects.get(pk=obj.pk), fields)
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])
    obj.full_clean()
    obj.save()
    return diff(before, snapshot(obj, fields))


def _record(obj: Any, actor: Actor, entity: str, created: bool, changes: dict[str, Any]) -> None:
    if created or changes:
        action_record(
            municipality_id=obj.municipality_id,
            actor=actor,
            action=f"{entity}.{'create' if created else 'update'}",
            obj=obj,
            changes=changes,
        )


@transaction.atomic
def service_save(
    *, municipality: Municipality, service: Service | None, data: dict[str, Any], actor: Actor
) -> Service:
    created = service is None
    service = service or Service(municipality=municipality)
    changes = _save(service, data, SERVICE_FIELDS)
    _record(service, actor, "service", created, changes)
    return service


def _today() -> date:
    return timezone.localdate()


def product_rule_impact(*, product: Product, data: dict[str, Any]) -> int:
    """How many bookings still to come (validated, requested or whose cancellation is asked)
    the new rules in ``data`` would concern: those on a weekday no longer open when only the
    weekdays change, every one of the product when another rule changes."""
    if product.pk is None:
        return 0
    # Read through the product's reverse relation: catalog does not import the bookings app.
    from espacefamille.bookings.models import ACTIVE_STATUSES

    stored = Product.objects.get(pk=product.pk)
    changed = [
        name for name in PRODUCT_RULE_FIELDS if name in data and data[name] != getattr(stored, name)
    ]
    if not changed:
        return 0
    upcoming = stored.bookings.filter(date__gte=_today(), status__in=ACTIVE_STATUSES)
    if changed == ["weekdays"]:
        kept = {int(char) for char in data["weekdays"] if char in "0123456"}
        closed = {(day + 1) % 7 + 1 for day in range(7) if day not in kept}  # ISO → Django
        return upcoming.filter(date__week_day__in=closed).count()
    return upcoming.count()


@transaction.atomic
def product_save(
    *,
    service: Service,
    product: Product | None,
    data: dict[str, Any],
    actor: Actor,
    confirmed_impact: int | None = None,
) -> Product:
    """Create or change a product. When the change concerns bookings already made, the caller
    must pass the count it showed (``confirmed_impact``); a different count (bookings made
    meanwhile) is refused so the agent sees the new figure."""
    created = product is None
    product = product or Product(municipality_id=service.municipality_id, service=service)
    impact = product_rule_impact(product=product, data=data)
    if impact and confirmed_impact != impact:
        raise CatalogError(
            CatalogReason.IMPACT_UNCONFIRMED,
            ngettext(
                "Cette modification concerne %(n)s réservation déjà faite à venir : "
                "confirmez pour l'enregistrer.",
                "Cette modification concerne %(n)s réservations déjà faites à venir : "
                "confirmez pour l'enregistrer.",
                impact,
            )
            % {"n": impact},
        )
    changes = _save(product, data, PRODUCT_FIELDS)
    if impact:
        changes["réservations concernées"] = [None, impact]
    _record(product, actor, "product", created, changes)
    return product


@transaction.atomic
def closure_save(
    *,
    municipality: Municipality,
    closure: Closure | None,
    data: dict[str, Any],
    products: list[Product],
    actor: Actor,
) -> Closure:
    """A date or a range closed for every product (``products`` empty) or some."""
    if data["end_date"] < data["start_date"]:
        raise CatalogError(
            CatalogReason.END_BEFORE_START,
            _("La fin ne peut pas précéder le début."),
            field="end_date",
        )
    created = closure is None
    closure = closure or Closure(municipality=municipality)
    before = {} if created else snapshot(Closure.objects.get(pk=closure.pk), CLOSURE_FIELDS)
    for name in ("start_date", "end_date", "reason"):
        setattr(closure, name, data[name])
    closure.full_clean(exclude=["products"])
    closure.save()
    closure.products.set(
        [p for p in products if p.municipality_id == municipality.pk],
        through_defaults={"municipality": municipality},
    )
    changes = diff(before, snapshot(closure, CLOSURE_FIELDS))
    _record(closure, actor, "closure", created, changes)
    if created:
        events_emit(
            municipality_id=municipality.pk,
            name="closure.created",
            items=[
                {
                    "closure": closure.pk,
                    "start_date": closure.start_date.isoformat(),
                    "end_date": closure.end_date.isoformat(),
                }
            ],
        )
    return closure


@transaction.atomic
def closure_delete(*, closure: Closure, actor: Actor) -> None:
    action_record(
        municipality_id=closure.municipality_id,
        actor=actor,
        action="closure.delete",
        obj=closure,
        changes=diff(snapshot(closure, CLOSURE_FIELDS), {}),
    )
    closure.delete()
