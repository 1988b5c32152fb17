"""Forms of "Prélèvement automatique" in "Gestion du foyer": sign a mandate, change its
account. The IBAN's check and the rules are the services' (``directdebit``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class MandateSignForm(forms.Form):
    required_css_class = "required"
    holder = forms.CharField(label=_("Titulaire du compte"), max_length=70)
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=50,
        help_text=_("Par exemple FR76 3000 6000 0112 3456 7890 189."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    bic = forms.CharField(
        label=_("BIC (facultatif)"),
        max_length=15,
        required=False,
        help_text=_("Déduit de l'IBAN quand la banque est connue."),
    )
    accept = forms.BooleanField(
        label=_("J'ai lu le texte du mandat ci-dessus et j'autorise ces prélèvements."),
        error_messages={"required": _("Cochez la case pour signer le mandat.")},
    )


class MandateAmendForm(forms.Form):
    required_css_class = "required"
    iban = forms.CharField(
        label=_("Nouvel IBAN"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    bic = forms.CharField(label=_("BIC (facultatif)"), max_length=15, required=False)
    holder = forms.CharField(
        label=_("Titulaire du compte"),
        max_length=70,
        required=False,
        help_text=_("Vide : inchangé."),
    )
