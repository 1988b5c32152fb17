""" "Signaler une absence": the child (among the household's), the days, the reason and an
optional medical certificate (the upload rules of every document)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from espacefamille.attendance.models import AbsenceReason
from espacefamille.core.bounds import BoundedDateField
from espacefamille.core.choice_fields import BoundedModelChoiceField
from espacefamille.core.uploads import file_input_attrs, upload_limit_text
from espacefamille.households.models import Child, Household


class NativeDateInput(forms.DateInput):
    """The phone's own date picker (``type="date"``, ISO value)."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class AbsenceReportForm(forms.Form):
    required_css_class = "required"

    reason = forms.ChoiceField(
        label=_("Motif"), choices=AbsenceReason.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"] = BoundedModelChoiceField(
            label=_("Enfant"),
            queryset=Child.objects.filter(household=household).order_by("first_name", "pk"),
            empty_label=None,
        )
        self.fields["first_day"] = BoundedDateField(
            label=_("Premier jour d'absence"),
            widget=NativeDateInput(),
            input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        )
        self.fields["last_day"] = BoundedDateField(
            label=_("Dernier jour d'absence"),
            widget=NativeDateInput(),
            input_formats=["%Y-%m-%d", "%d/%m/%Y"],
            help_text=_("Le même jour pour une seule journée."),
        )
        self.fields["certificate"] = forms.FileField(
            label=_("Certificat médical (facultatif)"),
            required=False,
            help_text=upload_limit_text(),
            widget=forms.ClearableFileInput(attrs=file_input_attrs()),
        )
        self.order_fields(["child", "first_day", "last_day", "reason", "certificate"])
