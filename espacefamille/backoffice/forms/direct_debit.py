"""Forms of the direct debit screens: a batch for a date, a returned debit's reason, a paper
mandate. The rules are the services' (``directdebit``); these only parse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from espacefamille.catalog.models import Service
from espacefamille.core.form_fields import FrenchDateField, ModelChoiceField
from espacefamille.directdebit.models import CollectionMode
from espacefamille.directdebit.reasons import REASONS


class BatchForm(forms.Form):
    required_css_class = "required"
    service = ModelChoiceField(label=_("Régie"), queryset=Service.objects.none())
    collection_date = FrenchDateField(label=_("Date de prélèvement"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(  # type: ignore[attr-defined]
            direct_debit_settings__is_enabled=True,
            direct_debit_settings__collection_mode=CollectionMode.REGIE,
        ).order_by("name")


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Motif du rejet"),
        choices=[("", "—"), *((code, f"{code} — {label}") for code, label in REASONS.items())],
    )


class PaperMandateForm(forms.Form):
    required_css_class = "required"
    service = ModelChoiceField(label=_("Régie"), queryset=Service.objects.none())
    holder = forms.CharField(label=_("Titulaire du compte"), max_length=70)
    iban = forms.CharField(label=_("IBAN"), max_length=50)
    bic = forms.CharField(
        label=_("BIC"),
        max_length=15,
        required=False,
        help_text=_("Facultatif : déduit de l'IBAN quand la banque est connue."),
    )
    signed_on = FrenchDateField(label=_("Date de signature"))
    rum = forms.CharField(
        label=_("RUM inscrite sur le mandat papier"),
        max_length=35,
        required=False,
        help_text=_("Vide : une référence unique est attribuée."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(  # type: ignore[attr-defined]
            direct_debit_settings__is_enabled=True
        ).order_by("name")


class RegieSettingsForm(forms.Form):
    required_css_class = "required"
    is_enabled = forms.BooleanField(label=_("Prélèvement proposé aux familles"), required=False)
    creditor_name = forms.CharField(label=_("Nom du créancier"), max_length=70)
    creditor_id = forms.CharField(
        label=_("Identifiant créancier SEPA (ICS)"),
        max_length=40,
        help_text=_("Attribué par la Banque de France, par exemple FR72ZZZ123456."),
    )
    collection_mode = forms.ChoiceField(
        label=_("Prélèvement effectué"), choices=CollectionMode.choices, widget=forms.RadioSelect
    )
    creditor_iban = forms.CharField(
        label=_("IBAN du compte crédité"),
        max_length=50,
        required=False,
        help_text=_("Obligatoire quand la régie prélève elle-même."),
    )
    creditor_bic = forms.CharField(label=_("BIC du compte crédité"), max_length=15, required=False)
    notice_days = forms.IntegerField(
        label=_("Préavis (jours)"),
        min_value=1,
        max_value=60,
        help_text=_("La facture annonce la date du prélèvement au moins ce nombre de jours avant."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
