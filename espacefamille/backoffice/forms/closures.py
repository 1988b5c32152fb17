"""The exceptional closure's form: the days, the reason, the products and sites it closes."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from espacefamille.catalog.models import ClosureKind, Product, Site
from espacefamille.core.form_fields import FrenchDateField, ModelMultipleChoiceField
from espacefamille.counter.closing import ClosureRequest


class ExceptionalClosureForm(forms.Form):
    required_css_class = "required"
    start = FrenchDateField(label=_("Premier jour fermé (JJ/MM/AAAA)"))
    end = FrenchDateField(label=_("Dernier jour fermé (vide : un seul jour)"), required=False)
    kind = forms.ChoiceField(
        label=_("Motif"), choices=ClosureKind.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Précision affichée aux familles (facultatif)"), max_length=200, required=False
    )
    products = ModelMultipleChoiceField(
        label=_("Prestations fermées (toutes si aucune n'est cochée)"),
        queryset=Product.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sites = ModelMultipleChoiceField(
        label=_("Sites fermés (tous si aucun n'est coché)"),
        queryset=Site.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        products = cast(ModelMultipleChoiceField, self.fields["products"])
        products.queryset = Product.objects.filter(is_active=True).order_by(
            "service__position", "position", "name"
        )
        sites = cast(ModelMultipleChoiceField, self.fields["sites"])
        sites.queryset = Site.objects.filter(is_active=True).order_by("name")

    def closure_request(self) -> ClosureRequest:
        data = self.cleaned_data
        start: date = data["start"]
        return ClosureRequest(
            start=start,
            end=data.get("end") or start,
            kind=data["kind"],
            products=tuple(data["products"]),
            sites=tuple(data["sites"]),
            note=data.get("note", ""),
        )
