"""Administrators' configuration forms: the town, services, products (rules in plain French
through ``DeadlineForm``), closures and the diet list."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from espacefamille.catalog.deadlines import WEEKDAYS_FR
from espacefamille.catalog.models import Closure, Product, Service, Site
from espacefamille.configuration.catalog import SERVICE_FIELDS
from espacefamille.core.form_fields import FrenchDateField, ModelMultipleChoiceField
from espacefamille.core.models import Municipality
from espacefamille.households.models import Diet
from espacefamille.households.setup import MUNICIPALITY_FIELDS


class MunicipalityForm(forms.ModelForm):
    required_css_class = "required"

    class Meta:
        model = Municipality
        fields = MUNICIPALITY_FIELDS
        widgets = {"opening_hours": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left empty, the retention period stays what it was ("Données personnelles").
        self.fields["retention_years"] = forms.IntegerField(
            label=_("Durée de conservation d'un dossier sans activité (années)"),
            min_value=1,
            max_value=30,
            required=False,
            help_text=_("3 ans par défaut ; les factures restent conservées 10 ans."),
        )

        # Left empty (a form posted before the setting existed), the rule stays what it was.
        self.fields["pickup_rule"].required = False

    def clean_pickup_rule(self) -> str:
        return self.cleaned_data.get("pickup_rule") or self.instance.pickup_rule

    def clean_retention_years(self) -> int:
        value = self.cleaned_data.get("retention_years")
        return int(value) if value else self.instance.retention_years


class TownLookForm(forms.Form):
    """The town's look: its main colour (a colour picker) and its logo."""

    main_colour = forms.CharField(
        label=_("Couleur principale"),
        max_length=7,
        required=False,
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text=_(
            "Le bandeau, les liens et les boutons du portail. Elle doit contraster avec le "
            "blanc (au moins 4,5:1, niveau AA) : une couleur trop claire est refusée."
        ),
    )
    logo = forms.FileField(
        label=_("Logo de la commune"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".png,.jpg,.jpeg,image/png,image/jpeg"}),
        help_text=_("PNG ou JPEG, affiché dans le bandeau du portail des familles."),
    )
    remove_logo = forms.BooleanField(label=_("Retirer le logo"), required=False)


class ServiceForm(forms.ModelForm):
    required_css_class = "required"

    class Meta:
        model = Service
        fields = SERVICE_FIELDS
        widgets = {"rules_text": forms.Textarea(attrs={"rows": 4})}


class ProductForm(forms.ModelForm):
    """A product's name and rules; the deadlines come from two ``DeadlineForm``s."""

    required_css_class = "required"
    weekdays = forms.MultipleChoiceField(
        label=_("Jours d'ouverture"),
        choices=[(str(index), name) for index, name in enumerate(WEEKDAYS_FR)],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Product
        fields = [
            "name",
            "position",
            "weekdays",
            "opens_in_school_periods",
            "opens_in_holidays",
            "capacity",
            "incompatibility_group",
            "flat_rate_period",
            "is_active",
        ]
        help_texts = {
            "capacity": _("Places par jour ; vide = sans limite."),
            "incompatibility_group": _(
                "Les prestations d'un même groupe (par exemple « repas ») s'excluent : une seule "
                "par enfant et par jour."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["weekdays"] = list(self.instance.weekdays)
        flat_rate = cast(forms.ChoiceField, self.fields["flat_rate_period"])
        flat_rate.required = False

    def clean_weekdays(self) -> str:
        return "".join(sorted(set(self.cleaned_data["weekdays"])))


class ClosureForm(forms.ModelForm):
    required_css_class = "required"
    products = ModelMultipleChoiceField(
        label=_("Prestations fermées (toutes si aucune n'est cochée)"),
        queryset=Product.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Closure
        fields = ["start_date", "end_date", "reason"]
        field_classes = {"start_date": FrenchDateField, "end_date": FrenchDateField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        products = cast(ModelMultipleChoiceField, self.fields["products"])
        products.queryset = Product.objects.select_related("service").order_by(
            "service__position", "position", "name"
        )
        if self.instance.pk:
            self.initial["products"] = list(self.instance.products.all())


class DietForm(forms.ModelForm):
    required_css_class = "required"

    class Meta:
        model = Diet
        fields = ["label", "is_active", "position"]
        help_texts = {
            "label": _(
                "Ce qui est servi (« sans porc », « sans gluten »), jamais une religion (CNIL)."
            )
        }


class SiteForm(forms.ModelForm):
    required_css_class = "required"

    class Meta:
        model = Site
        fields = ["name", "is_active"]
        labels = {"is_active": _("Proposé dans les listes")}
        help_texts = {
            "name": _("Le nom de l'école ou du lieu d'accueil, tel que les agents le choisiront."),
            "is_active": _(
                "Un site désactivé n'est plus proposé ; ses inscriptions et ses animateurs le "
                "gardent."
            ),
        }
