"""How the back office shows a log entry: the action and the changed fields in French (the
fields' verbose names), whatever the model."""

from __future__ import annotations

from functools import cache
from typing import Any

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from espacefamille.audit.labels import action_label as label_of_action

register = template.Library()


@cache
def _models_by_name() -> dict[str, type[models.Model]]:
    return {
        model._meta.model_name or "": model
        for model in apps.get_models()
        if model.__module__.startswith("espacefamille.")
    }


def _field_label(object_type: str, name: str) -> str:
    model = _models_by_name().get(object_type)
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


@register.filter
def action_label(code: str) -> str:
    return label_of_action(code)


@register.filter
def object_type_label(object_type: str) -> str:
    model = _models_by_name().get(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


@register.filter
def change_rows(entry: Any) -> list[tuple[str, Any, Any]]:
    """``[(field label, before, after)]`` of a log entry's ``changes``."""
    rows = []
    for name, values in (entry.changes or {}).items():
        before, after = [*values, None, None][:2] if isinstance(values, list) else (None, values)
        rows.append((_field_label(entry.object_type, name), before, after))
    return rows
