"""A product's new price from a date, and one day's own number of places."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from espacefamille.billing.models import ProductPrice
from espacefamille.core.bounds import BoundedDateField
from espacefamille.portal.forms import DateInput

DATE_ERRORS = {"invalid": _("Saisissez une date valide au format JJ/MM/AAAA.")}


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
        widgets = {"effective_from": DateInput()}
        error_messages = {"effective_from": DATE_ERRORS}


class DayCapacityForm(forms.Form):
    required_css_class = "required"
    day = BoundedDateField(label=_("Jour"), widget=DateInput(), error_messages=DATE_ERRORS)
    capacity = forms.IntegerField(
        label=_("Nombre de places ce jour-là"),
        required=False,
        min_value=0,
        max_value=100_000,
        help_text=_("Vide : le nombre de places de la prestation s'applique de nouveau."),
    )
