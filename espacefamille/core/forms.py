"""How every form field is rendered: label without Django's " :" suffix, a required marker
hidden from screen readers (the input says ``required`` itself), help and errors linked to the
input by ``aria-describedby`` (Django 5.2)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext as _

from .errors import DomainError
from .money import format_amount_input, format_euros, parse_amount


class FormRenderer(TemplatesSetting):
    field_template_name = "includes/field.html"


MAX_TEXT_LENGTH = 30


class AmountField(forms.CharField):
    """Every amount a person types (prices, quotient brackets, counter payments): a text box
    with the decimal keypad, read by ``core.money.parse_amount`` (never ``type=number``: a
    French-locale browser drops the comma, "3,60" became 360). Usable in a ModelForm's
    ``field_classes`` for a model ``DecimalField`` (its digits are then ignored: the parser
    has its own limits)."""

    def __init__(
        self,
        *,
        min_value: Decimal | None = Decimal("0"),
        max_value: Decimal | None = Decimal("100000"),
        max_digits: int | None = None,
        decimal_places: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.min_value, self.max_value = min_value, max_value
        kwargs.pop("max_length", None)  # checked on the text, before parsing
        kwargs.pop("localize", None)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"})
        return attrs

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_amount_input(value)
        return value

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        if len(text) > MAX_TEXT_LENGTH:
            raise ValidationError(_("Ce montant est bien trop grand : vérifiez-le."), code="long")
        try:
            amount = parse_amount(text, allow_negative=self.min_value is None or self.min_value < 0)
        except DomainError as error:
            raise ValidationError(error.message, code=str(error.reason)) from None
        if self.min_value is not None and amount < self.min_value:
            message = (
                _("Le montant doit être positif.")
                if self.min_value > 0
                else _("Un montant ne peut pas être négatif ici.")
            )
            raise ValidationError(message, code="min_value")
        if self.max_value is not None and amount > self.max_value:
            raise ValidationError(
                _("Ce montant dépasse %(max)s : vérifiez-le.")
                % {"max": format_euros(self.max_value)},
                code="max_value",
            )
        return amount
