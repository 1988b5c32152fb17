"""Model choice fields that refuse, before querying, a value that is no id: an id is ASCII
digits that a 64-bit column holds (``core.bounds.parse_id``). Django's own fields let through
integers beyond 64 bits (SQLite raises ``OverflowError``, a 500) and non-ASCII digits
(``int("１２")`` is 12). A bad id is an invalid choice like any other."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from espacefamille.core.bounds import parse_id


def _holdable(value: Any) -> bool:
    return parse_id(value) is not None


class ModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not _holdable(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value: Any) -> Any:
        items = value if isinstance(value, list | tuple) else [value]
        for item in items:
            if item not in self.empty_values and not _holdable(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super().clean(value)
