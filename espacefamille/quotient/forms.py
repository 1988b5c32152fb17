"""The quotient forms, shared by the back office and "Gestion du foyer": the town's settings
(the token never rendered back), the consent checkbox with its full wording, the identity a
quotient is asked with (prefilled from the guardian or the identity kept), and the paper
certificate an agent copies."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from espacefamille.billing.models import QuotientSource
from espacefamille.core.form_fields import BirthDateField, FrenchDateField
from espacefamille.core.forms import AmountField
from espacefamille.core.secret_mask import mask
from espacefamille.households.models import Civility, Guardian

from .client import Identity
from .consents import consent_wording
from .models import DIGITS_5, GuardianIdentity, QuotientSettings, Sex
from .services import PAPER_SOURCES


class QuotientSettingsForm(forms.Form):
    required_css_class = "required"

    is_enabled = forms.BooleanField(label=_("Service activé"), required=False)
    token = forms.CharField(
        label=_("Jeton API Particulier"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    recipient = forms.CharField(
        label=_("SIRET de la commune"),
        required=False,
        max_length=17,
        help_text=_("14 chiffres, transmis à API Particulier à chaque appel (« recipient »)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    refresh_pause = AmountField(
        label=_("Pause entre deux appels du renouvellement annuel (secondes)"),
        max_value=Decimal("60"),
        initial=Decimal("1"),
    )

    def __init__(self, *args: Any, config: QuotientSettings | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        token = self.fields["token"]
        if config is not None and config.token:
            token.help_text = _("Jeton enregistré : %(mask)s. Laissez vide pour le garder.") % {
                "mask": mask(config.token)
            }
        else:
            token.help_text = _("Valeur secrète : elle ne sera plus jamais affichée en entier.")
        if config is not None:
            self.initial.update(
                is_enabled=config.is_enabled,
                recipient=config.recipient,
                refresh_pause=config.refresh_pause,
            )


class ConsentForm(forms.Form):
    consent = forms.BooleanField(required=True)

    def __init__(self, *args: Any, on_behalf: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["consent"]
        field.label = (
            _("La famille a donné son accord, sur ce texte :") if on_behalf else _("J'accepte.")
        )
        field.help_text = consent_wording()
        field.error_messages["required"] = _("Cochez la case pour donner l'accord.")


class IdentityForm(forms.Form):
    required_css_class = "required"

    guardian: forms.ModelChoiceField[Guardian] = forms.ModelChoiceField(
        label=_("Responsable"), queryset=Guardian.objects.none(), empty_label=None
    )
    birth_name = forms.CharField(label=_("Nom de naissance"), max_length=100)
    first_names = forms.CharField(
        label=_("Prénoms"),
        max_length=200,
        help_text=_("Tous les prénoms de l'état civil, dans l'ordre, séparés par un espace."),
    )
    sex = forms.ChoiceField(label=_("Sexe à l'état civil"), choices=Sex.choices)
    birth_date = BirthDateField(label=_("Date de naissance"))
    birth_country = forms.CharField(
        label=_("Code INSEE du pays de naissance"),
        max_length=5,
        initial="99100",
        validators=[DIGITS_5],
        help_text=_("99100 pour la France ; sinon le code du pays (par exemple 99134 : Espagne)."),
    )
    birth_commune = forms.CharField(
        label=_("Code INSEE de la commune de naissance"),
        max_length=5,
        required=False,
        validators=[DIGITS_5],
        help_text=_(
            "Pour une naissance en France : le code INSEE de la commune, qui n'est pas le "
            "code postal (Avignon : 84007). Vide pour une naissance à l'étranger."
        ),
    )

    def __init__(self, *args: Any, household: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        guardians = list(Guardian.objects.filter(household=household).order_by("rank", "pk"))
        field = self.fields["guardian"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Guardian.objects.filter(household=household).order_by("rank", "pk")
        if guardians and not self.is_bound:
            self.initial.update(prefill(guardians[0]))

    def identity(self) -> Identity:
        data = self.cleaned_data
        return Identity(
            birth_name=data["birth_name"].strip(),
            first_names=data["first_names"].replace(",", " ").split(),
            sex=data["sex"],
            birth_date=data["birth_date"],
            birth_country=data["birth_country"],
            birth_commune=data["birth_commune"],
        )


def prefill(guardian: Guardian) -> dict[str, Any]:
    kept = GuardianIdentity.objects.filter(guardian=guardian).first()
    if kept is not None:
        return {
            "guardian": guardian.pk,
            "birth_name": kept.birth_name,
            "first_names": kept.first_names,
            "sex": kept.sex,
            "birth_date": kept.birth_date,
            "birth_country": kept.birth_country,
            "birth_commune": kept.birth_commune,
        }
    sexes: dict[str, str] = {Civility.MRS: Sex.FEMALE, Civility.MR: Sex.MALE}
    sex = sexes.get(guardian.civility, "")
    return {
        "guardian": guardian.pk,
        "birth_name": guardian.last_name,
        "first_names": guardian.first_name,
        "sex": sex,
        "birth_date": guardian.birth_date,
        "birth_country": "99100",
    }


class PaperQuotientForm(forms.Form):
    required_css_class = "required"

    value = AmountField(label=_("Quotient familial"), max_value=Decimal("999999"))
    source = forms.ChoiceField(
        label=_("Justificatif présenté"),
        choices=[(source.value, source.label) for source in PAPER_SOURCES],
        initial=QuotientSource.CAF,
    )
    valid_from = FrenchDateField(
        label=_("Appliqué à partir du"),
        help_text=_(
            "JJ/MM/AAAA. Par défaut le 1er du mois prochain : un mois en cours de facturation "
            "garde son tarif."
        ),
    )
