"""Agents' forms for household files: search, create, rename, guardians, children, import,
lock."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from espacefamille.catalog.models import Service, Site
from espacefamille.catalog.sites import sites_to_choose
from espacefamille.core.choice_fields import BoundedModelMultipleChoiceField
from espacefamille.core.form_fields import BirthDateField, ModelChoiceField
from espacefamille.core.validators import validate_single_line_text
from espacefamille.households.household_files import CHILD_AGENT_FIELDS
from espacefamille.households.models import (
    AuthorizedPickup,
    Child,
    ChildCivility,
    Civility,
    Diet,
    Guardian,
)
from espacefamille.households.pickups import PICKUP_FIELDS
from espacefamille.households.services import GUARDIAN_EDITABLE_FIELDS

IMPORT_MAX_BYTES = 5 * 1024 * 1024


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Nom du foyer, d'un enfant ou d'un responsable, e-mail ou téléphone"),
        max_length=150,
        required=False,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )


class HouseholdNameForm(forms.Form):
    required_css_class = "required"
    name = forms.CharField(
        label=_("Nom du foyer"), max_length=150, validators=[validate_single_line_text]
    )


class GuardianAgentForm(forms.ModelForm):
    """Every field the household services let change; the town may leave most of them empty."""

    required_css_class = "required"

    class Meta:
        model = Guardian
        fields = GUARDIAN_EDITABLE_FIELDS
        widgets = {"civility": forms.RadioSelect}
        field_classes = {"birth_date": BirthDateField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        civility = cast(forms.ChoiceField, self.fields["civility"])
        civility.choices = Civility.choices
        civility.required = False


class HouseholdCreateForm(GuardianAgentForm):
    """The household's name and its first guardian."""

    household_name = forms.CharField(
        label=_("Nom du foyer"), max_length=150, validators=[validate_single_line_text]
    )

    class Meta(GuardianAgentForm.Meta):
        fields = ["civility", "last_name", "first_name", "email", "mobile_phone"]

    field_order = ["household_name", "civility", "last_name", "first_name", "email"]


class ChildAgentForm(forms.ModelForm):
    required_css_class = "required"
    # The town's diet list (the family sees the same); the queryset is set per request.
    diets = BoundedModelMultipleChoiceField(
        label=_("Régime alimentaire"),
        queryset=Diet.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Donnée de santé : la modification est inscrite au journal."),
    )

    class Meta:
        model = Child
        fields = CHILD_AGENT_FIELDS
        widgets = {"civility": forms.RadioSelect}
        field_classes = {"birth_date": BirthDateField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        civility = cast(forms.ChoiceField, self.fields["civility"])
        civility.choices = ChildCivility.choices
        civility.required = False
        current = list(self.instance.diets.all()) if self.instance.pk else []
        diets = cast(BoundedModelMultipleChoiceField, self.fields["diets"])
        diets.queryset = Diet.objects.filter(
            Q(is_active=True) | Q(pk__in=[diet.pk for diet in current])
        ).order_by("position", "label")
        self.initial["diets"] = current


class ImportUploadForm(forms.Form):
    required_css_class = "required"
    file = forms.FileField(
        label=_("Fichier CSV (UTF-8, une ligne par enfant)"),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 5 Mo."))
        return upload


class AccessLockForm(forms.Form):
    reason = forms.CharField(label=_("Motif (interne)"), max_length=200, required=False)


def school_year_choices() -> list[tuple[int, str]]:
    from django.utils import timezone

    from espacefamille.catalog.models import school_year_of

    current = school_year_of(timezone.localdate())
    return [(year, f"{year}-{year + 1}") for year in (current, current + 1)]


class EnrolmentForm(forms.Form):
    """A service and a school year (this one or the next), with the site for facilitators."""

    required_css_class = "required"
    service = ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    school_year = forms.TypedChoiceField(label=_("Année scolaire"), coerce=int, choices=[])
    site = ModelChoiceField(
        label=_("Site"),
        queryset=Site.objects.none(),
        required=False,
        empty_label=_("Aucun site"),
        help_text=_("Les sites se configurent sous Configuration > Sites."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        service = cast(ModelChoiceField, self.fields["service"])
        service.queryset = Service.objects.all()
        cast(ModelChoiceField, self.fields["site"]).queryset = sites_to_choose()
        year = cast(forms.TypedChoiceField, self.fields["school_year"])
        year.choices = school_year_choices()


class ClassEnrolmentForm(EnrolmentForm):
    field_order = ["school", "school_class", "service", "school_year", "site"]
    school = forms.CharField(label=_("École"), max_length=150)
    school_class = forms.CharField(label=_("Classe"), max_length=60)


class PickupAgentForm(forms.ModelForm):
    """A person authorised to pick the household's children up, added by an agent."""

    required_css_class = "required"

    class Meta:
        model = AuthorizedPickup
        fields = PICKUP_FIELDS
        labels = {"relationship": _("Lien avec l'enfant (grand-parent, voisin…)")}
