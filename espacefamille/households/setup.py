"""A new town starts with the default diets and image-consent purposes; it may extend them."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from espacefamille.audit.records import Actor
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope

from .models import ConsentPurpose, Diet

# No religious category (CNIL NS-058): "sans porc" says what is served, not why.
DEFAULT_DIETS = [
    "Sans porc",
    "Végétarien",
    "Sans viande",
    "Sans gluten",
    "Sans lactose",
    "Sans œuf",
    "Sans arachide",
]
DEFAULT_CONSENT_PURPOSES = [
    (
        "Photos et vidéos dans les supports de la commune",
        "J'autorise la commune à photographier ou filmer mon enfant lors des activités et à "
        "diffuser ces images dans ses supports imprimés (bulletin municipal, affiches).",
    ),
    (
        "Photos et vidéos sur internet",
        "J'autorise la commune à diffuser des photos ou vidéos de mon enfant sur son site internet "
        "et ses réseaux sociaux, sans mention de son nom.",
    ),
]


@transaction.atomic
def municipality_setup(*, name: str, slug: str, **fields: Any) -> Municipality:
    """Create (or update) a town and give it the default diets and consent purposes."""
    municipality, _created = Municipality.objects.update_or_create(
        slug=slug, defaults={"name": name, **fields}
    )
    with municipality_scope(municipality):
        for position, label in enumerate(DEFAULT_DIETS):
            Diet.objects.get_or_create(
                municipality=municipality, label=label, defaults={"position": position}
            )
        for position, (label, wording) in enumerate(DEFAULT_CONSENT_PURPOSES):
            ConsentPurpose.objects.get_or_create(
                municipality=municipality,
                label=label,
                defaults={"wording": wording, "position": position},
            )
    return municipality


MUNICIPALITY_FIELDS = [
    "name",
    "address",
    "postcode",
    "city",
    "opening_hours",
    "phone",
    "email",
    "holiday_zone",
    "max_guardians",
    "pickup_rule",
    "data_protection_contact",
    "retention_years",
]


@transaction.atomic
def municipality_update(
    *, municipality: Municipality, data: dict[str, Any], actor: Actor
) -> Municipality:
    """An administrator changes the town's identity, contacts or school-holiday zone."""
    from espacefamille.audit.records import action_record, diff, snapshot

    stored = Municipality.objects.get(pk=municipality.pk)
    before = snapshot(stored, MUNICIPALITY_FIELDS)
    for name in MUNICIPALITY_FIELDS:
        if name in data:
            setattr(stored, name, data[name])
    stored.full_clean(exclude=["slug", "logo"])
    stored.save()
    changes = diff(before, snapshot(stored, MUNICIPALITY_FIELDS))
    if changes:
        action_record(
            municipality_id=stored.pk,
            actor=actor,
            action="municipality.update",
            obj=stored,
            changes=changes,
        )
    return stored
