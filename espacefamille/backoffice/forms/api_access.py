"""The forms of Configuration › Accès API: a new key (name, scopes, expiry, allowed addresses)
and a webhook subscription (address, events)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from espacefamille.api.scopes import SCOPE_LABELS
from espacefamille.api.webhook_subscriptions import EVENTS
from espacefamille.core.form_fields import FrenchDateField


class ApiKeyForm(forms.Form):
    required_css_class = "required"

    name = forms.CharField(
        label=_("Nom de la clé"),
        max_length=100,
        help_text=_("Le logiciel qui l'utilisera, par exemple « Traiteur » ou « Tablettes »."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Droits"),
        choices=[(str(scope), f"{label} ({scope})") for scope, label in SCOPE_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    expires_on = FrenchDateField(
        label=_("Expire le"), required=False, help_text=_("Laissez vide : sans expiration.")
    )
    allowed_addresses = forms.CharField(
        label=_("Adresses autorisées"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Une adresse IP ou un réseau par ligne (10.0.0.0/8). Laissez vide : toute adresse."
        ),
    )


class WebhookForm(forms.Form):
    required_css_class = "required"

    url = forms.URLField(
        label=_("Adresse de réception"),
        max_length=500,
        assume_scheme="https",
        help_text=_("L'adresse HTTPS du logiciel qui recevra les événements."),
    )
    events = forms.MultipleChoiceField(
        label=_("Événements"),
        choices=[(name, f"{label} ({name})") for name, label in EVENTS.items()],
        widget=forms.CheckboxSelectMultiple,
    )
