"""A product's new price from a date, and one day's own number of places."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from espacefamille.billing.models import ProductPrice
from espacefamille.core.form_fields import FrenchDateField
from espacefamille.core.forms import AmountField

AMOUNT_FIELDS = [
    "quotient_max",
    "unit_price",
    "price_unbooked_presence",
    "price_unjustified_absence",
]
CONFIRM_FIELD = "confirm_large_change"


class PriceForm(forms.ModelForm):
    required_css_class = "required"

    class Meta:
        model = ProductPrice
        fields = [
            "effective_from",
            "quotient_max",
            "is_default_bracket",
            "unit_price",
            "price_unbooked_presence",
            "price_unjustified_absence",
        ]
        field_classes = {
            "effective_from": FrenchDateField,
            **dict.fromkeys(AMOUNT_FIELDS, AmountField),
        }
        help_texts = {
            "unit_price": _("En euros, par exemple 3,60."),
            "quotient_max": _(
                "Vide : tranche la plus haute (au-delà de toutes les autres). Par exemple 1 200,00."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Shown once the service has asked to confirm a price far from the current one.
        if self.is_bound and self.add_prefix(CONFIRM_FIELD) in self.data:
            self.ask_confirmation()

    def ask_confirmation(self) -> None:
        self.fields[CONFIRM_FIELD] = forms.BooleanField(
            label=_("Je confirme ce montant"), required=False
        )


class DayCapacityForm(forms.Form):
    required_css_class = "required"
    day = FrenchDateField(label=_("Jour"))
    capacity = forms.IntegerField(
        label=_("Nombre de places ce jour-là"),
        required=False,
        min_value=0,
        max_value=100_000,
        help_text=_("Vide : le nombre de places de la prestation s'applique de nouveau."),
    )
