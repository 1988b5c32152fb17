from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from espacefamille.core.choice_fields import BoundedModelMultipleChoiceField
from espacefamille.core.form_fields import BirthDateField
from espacefamille.core.validators import validate_single_line_text
from espacefamille.households.models import (
    AuthorizedPickup,
    Child,
    ChildCivility,
    Civility,
    ConsentPurpose,
    Diet,
    Guardian,
    ImageConsent,
)
from espacefamille.households.services import GUARDIAN_EDITABLE_FIELDS


class HouseholdNameForm(forms.Form):
    required_css_class = "required"
    name = forms.CharField(
        label=_("Nom de la famille"),
        max_length=150,
        validators=[validate_single_line_text],
        help_text=_("Cette information sera utilisée pour le nom de votre foyer."),
    )


class GuardianForm(forms.ModelForm):
    required_css_class = "required"

    class Meta:
        model = Guardian
        fields = GUARDIAN_EDITABLE_FIELDS  # what the service lets a family change
        widgets = {"civility": forms.RadioSelect}
        field_classes = {"birth_date": BirthDateField}
        help_texts = {
            "mobile_phone": _("Format français (06 12 34 56 78) ou international (+32 …).")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("civility", "birth_date", "address", "postcode", "city", "mobile_phone"):
            self.fields[name].required = True
        civility = cast(forms.ChoiceField, self.fields["civility"])
        civility.choices = Civility.choices


class ChildForm(forms.ModelForm):
    """What a family may change of a child; school and class are the town's (read-only)."""

    required_css_class = "required"
    # Declared here with an empty queryset: the real one is tenant-scoped, set per request.
    diets: forms.ModelMultipleChoiceField[Diet] = BoundedModelMultipleChoiceField(
        label=_("Régime alimentaire"),
        queryset=Diet.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Child
        fields = ["civility", "first_name", "last_name", "birth_date"]
        widgets = {"civility": forms.RadioSelect}
        field_classes = {"birth_date": BirthDateField}

    def __init__(
        self,
        *args: Any,
        purposes: list[ConsentPurpose],
        consents: dict[int, ImageConsent],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        civility = cast(forms.ChoiceField, self.fields["civility"])
        civility.choices = ChildCivility.choices
        diets = cast(forms.ModelMultipleChoiceField, self.fields["diets"])
        diets.queryset = Diet.objects.filter(is_active=True)
        if self.instance.pk:
            self.initial["diets"] = list(self.instance.diets.all())
        self.purposes = purposes
        for purpose in purposes:
            current = consents.get(purpose.pk)
            self.fields[f"consent_{purpose.pk}"] = forms.BooleanField(
                label=purpose.label,
                required=False,
                help_text=purpose.wording,
                initial=bool(current and current.granted),
            )

    def consent_values(self) -> dict[int, bool]:
        return {p.pk: bool(self.cleaned_data.get(f"consent_{p.pk}")) for p in self.purposes}

    def consent_fields(self) -> list[forms.BoundField]:
        return [self[f"consent_{p.pk}"] for p in self.purposes]

    def identity_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("civility", "first_name", "last_name", "birth_date")]


class PersonForm(forms.ModelForm):
    required_css_class = "required"

    class Meta:
        model = AuthorizedPickup
        fields = ["last_name", "first_name", "phone", "relationship"]
        labels = {"relationship": _("Lien avec l'enfant (grand-parent, voisin…)")}


class ActivationGuardianForm(forms.ModelForm):
    required_css_class = "required"

    class Meta:
        model = Guardian
        fields = ["civility", "last_name", "first_name", "mobile_phone"]
        widgets = {"civility": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        civility = cast(forms.ChoiceField, self.fields["civility"])
        civility.choices = Civility.choices  # "Monsieur" or "Madame", never "---------"
        civility.required = True


class JoinCodeForm(forms.Form):
    required_css_class = "required"
    code = forms.CharField(
        label=_("Code d'adhésion"),
        max_length=20,
        help_text=_("10 caractères, par exemple KUD31S77V7, reçus de votre commune."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
