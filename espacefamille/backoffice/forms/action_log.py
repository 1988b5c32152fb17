"""Filters of the action log screen."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from espacefamille.backoffice.audit_labels import DOMAINS
from espacefamille.core.form_fields import FrenchDateField

ACTION_PREFIXES = [("", _("toutes")), *DOMAINS]


class ActionLogFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Domaine"), choices=ACTION_PREFIXES, required=False)
    actor = forms.CharField(label=_("Auteur (e-mail)"), max_length=254, required=False)
    since = FrenchDateField(label=_("Du"), required=False)
    until = FrenchDateField(label=_("Au"), required=False)
