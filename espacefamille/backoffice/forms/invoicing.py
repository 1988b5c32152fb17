"""Forms of the invoicing screens. Amounts are typed the French way ("12,50") and read by the
one amount field (``core.forms.AmountField``): strictly to the cent, never rounded."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from espacefamille.billing.models import InvoiceStatus
from espacefamille.billing.settlements import COUNTER_METHODS
from espacefamille.catalog.models import Service
from espacefamille.core.form_fields import FrenchDateField, ModelChoiceField
from espacefamille.core.forms import AmountField
from espacefamille.core.money import CENT

MONTH_PATTERN = re.compile(r"^(\d{1,2})/(\d{4})$")


class MonthField(forms.CharField):
    """ "MM/AAAA" → the month's first day."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"placeholder": "MM/AAAA", "inputmode": "numeric", "autocomplete": "off"})
        return attrs

    def clean(self, value: Any) -> date | None:
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        match = MONTH_PATTERN.match(text)
        if match is None or not 1 <= int(match.group(1)) <= 12 or int(match.group(2)) < 2000:
            raise ValidationError(_("Saisissez un mois au format MM/AAAA."), code="invalid_month")
        return date(int(match.group(2)), int(match.group(1)), 1)


def _services() -> Any:
    return Service.objects.order_by("name")


class RunStartForm(forms.Form):
    required_css_class = "required"
    service = ModelChoiceField(label=_("Régie"), queryset=Service.objects.none())
    month = MonthField(label=_("Mois facturé"), max_length=7, help_text=_("Par exemple 10/2026."))
    mode = forms.ChoiceField(
        label=_("Facturation"),
        choices=[
            ("draft", _("brouillon (à vérifier avant de la rendre définitive)")),
            ("final", _("définitive (numérotée et envoyée aux familles)")),
        ],
        initial="draft",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["service"]).queryset = _services()


class InvoiceSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Référence de la facture ou nom du foyer"), required=False, max_length=100
    )
    service = ModelChoiceField(
        label=_("Régie"), queryset=Service.objects.none(), required=False, empty_label=_("Toutes")
    )
    status = forms.ChoiceField(
        label=_("État"),
        required=False,
        choices=[("", _("Émises et annulées"))]
        + [(value, label) for value, label in InvoiceStatus.choices if value != "draft"],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["service"]).queryset = _services()


class CounterPaymentForm(forms.Form):
    required_css_class = "required"
    method = forms.ChoiceField(
        label=_("Mode de règlement"),
        choices=[(method.value, method.label) for method in COUNTER_METHODS],
        widget=forms.RadioSelect,
    )
    amount = AmountField(
        label=_("Montant reçu (€)"), min_value=CENT, help_text=_("Par exemple 12,50.")
    )
    received_on = FrenchDateField(label=_("Reçu le"))
    cheque_number = forms.CharField(label=_("Numéro du chèque"), required=False, max_length=30)
    bank = forms.CharField(label=_("Banque du chèque"), required=False, max_length=40)
    reference = forms.CharField(
        label=_("Référence (n° de CESU, de virement…)"), required=False, max_length=60
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") == "cheque" and not (data.get("cheque_number") or "").strip():
            self.add_error("cheque_number", _("Indiquez le numéro du chèque."))
        return data

    def settlement_reference(self) -> str:
        data = self.cleaned_data
        if data["method"] == "cheque":
            parts = [f"chèque n° {data['cheque_number'].strip()}", data.get("bank", "").strip()]
            return " — ".join(part for part in parts if part)[:80]
        return (data.get("reference") or "").strip()[:80]


class StatementForm(forms.Form):
    required_css_class = "required"
    service = ModelChoiceField(label=_("Régie"), queryset=Service.objects.none())
    start = FrenchDateField(label=_("Du"))
    end = FrenchDateField(label=_("Au"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["service"]).queryset = _services()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("La fin de la période précède son début."))
            elif (end - start).days > 366:
                self.add_error("end", _("Choisissez une période d'un an au plus."))
        return data


class RefundMadeForm(forms.Form):
    reference = forms.CharField(
        label=_("Référence du remboursement (mandat, virement…)"), max_length=80
    )
