"""Agents' forms for a child of separated parents: the custody pattern ("garde alternée")."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from espacefamille.core.form_fields import FrenchDateField
from espacefamille.households.models import CustodyKind

WEEKDAY_CHOICES = [
    (0, _("lundi")),
    (1, _("mardi")),
    (2, _("mercredi")),
    (3, _("jeudi")),
    (4, _("vendredi")),
    (5, _("samedi")),
    (6, _("dimanche")),
]


class CustodyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Rythme de garde"), choices=CustodyKind.choices)
    start_date = FrenchDateField(
        label=_("Début de la semaine A (semaine du premier foyer)"),
        required=False,
        help_text=_("Au format JJ/MM/AAAA ; pour « une semaine sur deux »."),
    )
    home_weekdays = forms.TypedMultipleChoiceField(
        label=_("Jours du premier foyer"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pour « jours de la semaine » : l'autre foyer a les autres jours."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == CustodyKind.ALTERNATE_WEEKS and not data.get("start_date"):
            self.add_error("start_date", _("Indiquez le début de la semaine A."))
        return data
