"""Choice fields over rows that refuse an identifier no database column can hold: beyond
2**63 - 1, SQLite raises OverflowError instead of finding nothing, which would be a 500."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from espacefamille.core.bounds import MAX_ID, parse_id

from .generic_bases import ModelChoiceField, ModelMultipleChoiceField

__all__ = ["MAX_ID", "BoundedModelChoiceField", "BoundedModelMultipleChoiceField", "posted_id"]


def _looks_like_id(value: Any) -> bool:
    return parse_id(value) is not None


def posted_id(value: Any) -> int:
    """An id read from a request: the number, or 0 (no row has it) for anything else."""
    return parse_id(value) or 0


class BoundedModelChoiceField(ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not _looks_like_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class BoundedModelMultipleChoiceField(ModelMultipleChoiceField):
    def _check_values(self, value: Any) -> Any:
        for item in value:
            if not _looks_like_id(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)  # type: ignore[misc]
