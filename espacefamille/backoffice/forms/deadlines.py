"""A booking or cancellation deadline chosen in plain French ("2 jours avant à 10h00", "la
veille à 18h00", "le mercredi de la semaine précédente à 12h00", "le 20 du mois précédent"),
turned into the rule code of ``catalog.deadlines`` — agents never type a code."""

from __future__ import annotations

from datetime import time
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from espacefamille.catalog.deadlines import WEEKDAYS_FR, DeadlineRule

KINDS = [
    ("days", _("un nombre de jours avant le jour réservé (0 = le jour même, 1 = la veille)")),
    ("workdays", _("un nombre de jours ouvrés avant (hors week-ends et jours fériés)")),
    ("prevweek", _("un jour de la semaine précédente")),
    ("prevmonth", _("un jour du mois précédent")),
]
VALUE_FIELD = {"days": "days", "workdays": "days", "prevweek": "weekday", "prevmonth": "month_day"}


class DeadlineForm(forms.Form):
    """One deadline; use a ``prefix`` per deadline of the page."""

    required_css_class = "required"
    kind = forms.ChoiceField(label=_("Jusqu'à"), choices=KINDS, widget=forms.RadioSelect)
    days = forms.IntegerField(
        label=_("Nombre de jours"), min_value=0, max_value=365, required=False
    )
    weekday = forms.TypedChoiceField(
        label=_("Jour de la semaine précédente"),
        choices=[("", "—"), *((str(index), name) for index, name in enumerate(WEEKDAYS_FR))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    month_day = forms.IntegerField(
        label=_("Jour du mois précédent"), min_value=1, max_value=31, required=False
    )
    at = forms.TimeField(
        label=_("Heure limite"),
        input_formats=["%H:%M", "%Hh%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    @staticmethod
    def initial_for(code: str) -> dict[str, Any]:
        rule = DeadlineRule.parse(code)
        initial: dict[str, Any] = {"kind": rule.kind, "at": rule.at}
        initial[VALUE_FIELD[rule.kind]] = rule.value
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind in VALUE_FIELD:
            field = VALUE_FIELD[kind]
            if cleaned.get(field) is None and field not in self.errors:
                self.add_error(field, _("Précisez ce jour pour la règle choisie."))
        return cleaned

    @property
    def rule(self) -> DeadlineRule:
        """The rule chosen (after ``is_valid()``)."""
        kind = self.cleaned_data["kind"]
        value = self.cleaned_data[VALUE_FIELD[kind]]
        at: time = self.cleaned_data["at"]
        return DeadlineRule(kind, int(value), time(at.hour, at.minute))

    @property
    def code(self) -> str:
        return str(self.rule)
