"""Forms of the "Titres de recettes (PES)" screens: the town's treasury settings, a régie's
and its products' imputations, the choice of a month to export, a cancellation and an
acknowledgement file. Codes are typed as text and checked as the DGFiP's schema would."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from espacefamille.pes.models import ProductImputation, RegieImputation, TreasurySettings
from espacefamille.pes.validators import (
    validate_cod_prod_loc,
    validate_fonction,
    validate_nature,
    validate_nature_not_zero,
)

TREASURY_FIELDS = ["id_coll", "cod_col", "cod_bud", "id_post", "exer", "attach_pdf"]
REGIE_FIELDS = ["nature", "fonction", "cod_prod_loc", "object_label"]
PRODUCT_FIELDS = ["nature", "fonction", "cod_prod_loc"]


def _strip(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value.strip() if isinstance(value, str) else value for key, value in data.items()}


class TreasurySettingsForm(forms.ModelForm):
    required_css_class = "required"

    class Meta:
        model = TreasurySettings
        fields = TREASURY_FIELDS
        widgets = {
            "id_coll": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "cod_col": forms.TextInput(attrs={"inputmode": "numeric"}),
            "id_post": forms.TextInput(attrs={"inputmode": "numeric"}),
            "exer": forms.TextInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["exer"].error_messages["invalid"] = _(
            "L'exercice est une année en 4 chiffres, par exemple 2026."
        )

    def clean(self) -> dict[str, Any]:
        return _strip(super().clean() or {})

    def clean_exer(self) -> int:
        value = self.cleaned_data["exer"]
        if not 2000 <= value <= 2999:
            raise forms.ValidationError(
                _("L'exercice est une année en 4 chiffres, par exemple 2026.")
            )
        return int(value)


class RegieImputationForm(forms.ModelForm):
    required_css_class = "required"

    class Meta:
        model = RegieImputation
        fields = REGIE_FIELDS
        widgets = {"nature": forms.TextInput(attrs={"inputmode": "numeric"})}


class ProductImputationForm(forms.Form):
    """Left empty, the product follows its régie's imputation."""

    nature = forms.CharField(
        label=_("Nature comptable"),
        required=False,
        validators=[validate_nature, validate_nature_not_zero],
    )
    fonction = forms.CharField(label=_("Fonction"), required=False, validators=[validate_fonction])
    cod_prod_loc = forms.CharField(
        label=_("Code produit local"), required=False, validators=[validate_cod_prod_loc]
    )

    def __init__(self, *args: Any, row: ProductImputation | None = None, **kwargs: Any) -> None:
        if row is not None:
            kwargs.setdefault("initial", {name: getattr(row, name) for name in PRODUCT_FIELDS})
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = _strip(super().clean() or {})
        if data.get("fonction") and not data.get("nature"):
            self.add_error("nature", _("Indiquez la nature comptable de cette prestation."))
        if data.get("nature") and not data.get("cod_prod_loc"):
            self.add_error("cod_prod_loc", _("Indiquez le code produit local de cette prestation."))
        return data


class ExportForm(forms.Form):
    batch = forms.ChoiceField(label=_("Régie et mois à transmettre"))

    def __init__(self, *args: Any, batches: list[tuple[Any, date]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["batch"]).choices = [
            (f"{service.pk}:{month:%Y-%m}", f"{service.name} — {date_format(month, 'F Y')}")
            for service, month in batches
        ]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Motif de l'annulation"), max_length=200)


class AcquitForm(forms.Form):
    acquit = forms.FileField(
        label=_("Accusé de réception (PES Acquit, fichier XML)"),
        help_text=_("Le fichier renvoyé par Hélios pour un ou plusieurs bordereaux."),
    )
