"""Model choice fields that refuse an id the database cannot hold before querying: SQLite
raises ``OverflowError`` (a 500) on integers beyond 64 bits, which Django's fields let
through. A bad id is an invalid choice like any other."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

LARGEST_ID = 2**63 - 1


def _holdable(value: Any) -> bool:
    """False only for a number too large for a column; anything else is Django's to judge
    ("²" passes ``isdigit`` but is no number: Django's own check refuses it)."""
    try:
        number = int(str(value).strip())
    except ValueError:
        return True
    return abs(number) <= LARGEST_ID


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
