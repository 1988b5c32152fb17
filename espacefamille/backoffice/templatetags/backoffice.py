"""How the back office shows a log entry: the action, the object and the changed fields in
French, from ``backoffice.audit_labels`` (the one place that knows the log's codes)."""

from __future__ import annotations

from typing import Any

from django import template

from espacefamille.backoffice import audit_labels as labels

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return labels.action_label(code)


@register.filter
def object_type_label(object_type: str) -> str:
    return labels.object_type_label(object_type)


@register.filter
def object_text(text: str) -> str:
    return labels.object_text(text or "")


@register.filter
def change_rows(entry: Any) -> list[tuple[str, str, str]]:
    """``[(field label, before, after)]`` of a log entry's ``changes``, in French."""
    return labels.change_rows(entry.object_type, entry.changes)
