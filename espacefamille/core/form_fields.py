"""Model choice fields that refuse, before querying, a value that is no id: an id is ASCII
digits that a 64-bit column holds (``core.bounds.parse_id``). Django's own fields let through
integers beyond 64 bits (SQLite raises ``OverflowError``, a 500) and non-ASCII digits
(``int("１２")`` is 12). A bad id is an invalid choice like any other.

``FrenchDateField`` (with its widget ``FrenchDateInput``) is the one date field of every form,
back office and portal: a JJ/MM/AAAA text box (issue 16, item 14), bounded by the product's
range of dates (``core.bounds``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

from espacefamille.core.bounds import EARLIEST_BIRTH_DATE, BoundedDateField, parse_id


def _holdable(value: Any) -> bool:
    return parse_id(value) is not None


class ModelChoiceField(forms.ModelChoiceField[Any]):
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not _holdable(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField[Any]):
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


DATE_HINT = _("Format JJ/MM/AAAA, par exemple 05/01/2027.")
DATE_ERRORS: dict[str, str | _StrPromise] = {
    "required": _("Ce champ est obligatoire."),
    "invalid": _("Saisissez une date valide au format JJ/MM/AAAA."),
}


class FrenchDateInput(forms.DateInput):
    """A date typed as JJ/MM/AAAA in a plain text box: the digit keypad on a phone
    (``inputmode="numeric"``), the same on every browser (a native picker differs by browser,
    and some show the date the English way), and one focus ring (``.date-input``)."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        defaults = {
            "class": "date-input",
            "placeholder": "JJ/MM/AAAA",
            "inputmode": "numeric",
            "autocomplete": "off",
            "size": "10",
            "maxlength": "10",
        }
        kwargs.pop("format", None)
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y", **kwargs)


class NativeDateInput(forms.DateInput):
    """The phone's own date picker (``<input type="date">``), where choosing a day on a
    calendar beats typing it (the period wizard): the value travels as 2027-01-05, which
    ``FrenchDateField`` accepts, and ``min``/``max`` bound the calendar."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        kwargs.pop("format", None)
        super().__init__(
            attrs={"class": "date-input", **(attrs or {})}, format="%Y-%m-%d", **kwargs
        )


class FrenchDateField(BoundedDateField):
    """Every date an agent or a family types, back office and portal: JJ/MM/AAAA shown and
    accepted, the ISO form (2027-01-05) accepted too (links and bookmarks carry it), a French
    message otherwise, and the format said under the label."""

    widget = FrenchDateInput
    input_formats = ["%d/%m/%Y", "%Y-%m-%d"]
    default_error_messages = DATE_ERRORS

    def __init__(self, **kwargs: Any) -> None:
        kwargs["help_text"] = kwargs.get("help_text") or DATE_HINT  # a model's "" included
        kwargs.setdefault("input_formats", self.input_formats)
        kwargs.pop("widget", None)  # always the JJ/MM/AAAA text box
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        return super().to_python(value.strip() if isinstance(value, str) else value)


class BirthDateField(FrenchDateField):
    """A person's birth date: the same text box, from 01/01/1900 on."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("earliest", EARLIEST_BIRTH_DATE)
        super().__init__(**kwargs)
