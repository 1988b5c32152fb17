"""Forms of the invoicing screens. Amounts are typed the French way ("12,50") and parsed
strictly to the cent: anything else is refused with a French message, never rounded."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from espacefamille.billing.models import InvoiceStatus
from espacefamille.billing.settlements import COUNTER_METHODS
from espacefamille.catalog.models import Service
from espacefamille.core.bounds import BoundedDateField
from espacefamille.portal.forms import DateInput

from .fields import ModelChoiceField

DATE_ERRORS = {"invalid": _("Saisissez une date valide au format JJ/MM/AAAA.")}
# Euros and up to two cents digits, a comma (or a point) between; spaces between thousands.
AMOUNT_PATTERN = re.compile(r"^(\d{1,3}(?: \d{3})+|\d{1,9})(?:[,.](\d{1,2}))?$")
MONTH_PATTERN = re.compile(r"^(\d{1,2})/(\d{4})$")
SPACES = ("\u00a0", "\u202f")


def parse_french_amount(text: str) -> Decimal:
    """ "12,50" → Decimal("12.50"); "1 234,5" → Decimal("1234.50"). ValidationError else."""
    cleaned = text.strip()
    for space in SPACES:
        cleaned = cleaned.replace(space, " ")
    match = AMOUNT_PATTERN.match(cleaned)
    if match is None:
        raise ValidationError(
            _("Saisissez un montant en euros, par exemple 12,50."), code="invalid_amount"
        )
    units = match.group(1).replace(" ", "")
    cents = (match.group(2) or "").ljust(2, "0")
    return Decimal(f"{units}.{cents}")


class FrenchAmountField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        return attrs

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if not text:
            return None
        amount = parse_french_amount(text)
        if amount <= 0:
            raise ValidationError(_("Le montant doit être positif."), code="not_positive")
        return amount


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
        self.fields["service"].queryset = _services()  # type: ignore[attr-defined]


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
        self.fields["service"].queryset = _services()  # type: ignore[attr-defined]


class CounterPaymentForm(forms.Form):
    required_css_class = "required"
    method = forms.ChoiceField(
        label=_("Mode de règlement"),
        choices=[(method.value, method.label) for method in COUNTER_METHODS],
        widget=forms.RadioSelect,
    )
    amount = FrenchAmountField(label=_("Montant reçu (€)"), help_text=_("Par exemple 12,50."))
    received_on = BoundedDateField(
        label=_("Reçu le"), widget=DateInput(), error_messages=DATE_ERRORS
    )
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
    start = BoundedDateField(label=_("Du"), widget=DateInput(), error_messages=DATE_ERRORS)
    end = BoundedDateField(label=_("Au"), widget=DateInput(), error_messages=DATE_ERRORS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = _services()  # type: ignore[attr-defined]

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
