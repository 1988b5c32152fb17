"""Administrators' writes of the treasury settings: the town's budget identity, a régie's
imputation and a product's own imputation, checked as the schema would (``full_clean``) and
logged with the values before and after."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction

from espacefamille.audit.records import Actor, action_record, diff, snapshot

Row = TypeVar("Row", bound=models.Model)


@transaction.atomic
def pes_settings_save(
    *, instance: Row, data: dict[str, Any], fields: list[str], actor: Actor
) -> Row:
    """Apply ``data`` to ``instance`` (new or saved), validate, save, log. Raises
    ``ValidationError`` (French) and writes nothing when a value would be refused."""
    before = snapshot(instance, fields) if instance.pk else {}
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])
    instance.full_clean()
    instance.save()
    changes = diff(before, snapshot(instance, fields))
    if changes:
        action_record(
            municipality_id=instance.municipality_id,  # type: ignore[attr-defined]
            actor=actor,
            action="pes_settings.update",
            obj=instance,
            changes=changes,
        )
    return instance


@transaction.atomic
def product_imputation_clear(*, instance: models.Model, actor: Actor) -> None:
    """A product that follows its régie again."""
    if instance.pk is None:
        return
    action_record(
        municipality_id=instance.municipality_id,  # type: ignore[attr-defined]
        actor=actor,
        action="pes_settings.update",
        obj=instance,
        changes={"nature": [getattr(instance, "nature", ""), ""]},
    )
    instance.delete()
