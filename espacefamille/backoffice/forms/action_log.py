"""Filters of the action log screen."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from espacefamille.core.bounds import BoundedDateField

ACTION_PREFIXES = [
    ("", _("toutes")),
    ("household.", _("foyers")),
    ("guardian.", _("responsables")),
    ("child.", _("enfants")),
    ("invitation.", _("invitations")),
    ("join_code.", _("codes d'adhésion")),
    ("import.", _("imports")),
    ("agent.", _("agents")),
    ("municipality.", _("commune")),
    ("service.", _("services")),
    ("product.", _("prestations")),
    ("closure.", _("fermetures")),
    ("diet.", _("régimes alimentaires")),
    ("health_data.", _("consultations de données de santé")),
]


class ActionLogFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Domaine"), choices=ACTION_PREFIXES, required=False)
    actor = forms.CharField(label=_("Auteur (e-mail)"), max_length=254, required=False)
    since = BoundedDateField(
        label=_("Du"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = BoundedDateField(
        label=_("Au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
