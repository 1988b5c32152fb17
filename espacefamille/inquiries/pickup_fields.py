"""The fields naming the person of a pickup request, the same on the family's request form and
on the agent's decision (``pickup_*``, the names the service's field errors use)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .changes import PICKUP_PREFIX


def pickup_person_fields(*, required: bool) -> dict[str, forms.Field]:
    return {
        PICKUP_PREFIX + "last_name": forms.CharField(
            label=_("Nom de la personne à autoriser"), max_length=100, required=required
        ),
        PICKUP_PREFIX + "first_name": forms.CharField(
            label=_("Prénom de la personne à autoriser"), max_length=100, required=required
        ),
        PICKUP_PREFIX + "phone": forms.CharField(
            label=_("Téléphone de la personne à autoriser"),
            max_length=30,
            required=required,
            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        ),
        PICKUP_PREFIX + "relationship": forms.CharField(
            label=_("Lien avec l'enfant (grand-parent, voisin…)"), max_length=80, required=False
        ),
    }
