"""The form of a message from the town to families."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from espacefamille.catalog.deadlines import PARIS
from espacefamille.catalog.models import Product, Service, Site
from espacefamille.core.form_fields import FrenchDateField
from espacefamille.core.uploads import file_input_attrs, upload_limit_text
from espacefamille.notifications.models import Audience


class TownMessageForm(forms.Form):
    required_css_class = "required"
    subject = forms.CharField(label=_("Objet"), max_length=150)
    body = forms.CharField(label=_("Texte"), widget=forms.Textarea(attrs={"rows": 6}))
    link = forms.URLField(label=_("Lien (facultatif)"), required=False, assume_scheme="https")
    audience = forms.ChoiceField(
        label=_("Destinataires"), choices=Audience.choices, widget=forms.RadioSelect
    )
    service: forms.ModelChoiceField[Service] = forms.ModelChoiceField(
        label=_("Régie"), queryset=Service.objects.none(), required=False
    )
    product: forms.ModelChoiceField[Product] = forms.ModelChoiceField(
        label=_("Prestation"), queryset=Product.objects.none(), required=False
    )
    site: forms.ModelChoiceField[Site] = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False
    )
    school_class = forms.CharField(label=_("Classe"), max_length=60, required=False)
    day = FrenchDateField(label=_("Jour des réservations (JJ/MM/AAAA)"), required=False)
    document = forms.FileField(
        label=_("Document (facultatif)"),
        required=False,
        widget=forms.ClearableFileInput(),
    )
    pending_document = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)
    send_at = forms.CharField(
        label=_("Envoyer plus tard : JJ/MM/AAAA HH:MM (vide : maintenant)"),
        max_length=16,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.order_by("position", "name")  # type: ignore[attr-defined]
        self.fields["product"].queryset = Product.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["site"].queryset = Site.objects.filter(is_active=True)  # type: ignore[attr-defined]
        document = self.fields["document"]
        document.help_text = upload_limit_text()
        document.widget.attrs.update(file_input_attrs())

    def clean_send_at(self) -> datetime | None:
        text = self.cleaned_data.get("send_at", "").strip()
        if not text:
            return None
        try:
            return datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=PARIS)
        except ValueError as error:
            raise forms.ValidationError(
                _("Écrivez la date et l'heure ainsi : 25/11/2026 18:00.")
            ) from error

    def target(self) -> str:
        data = self.cleaned_data
        picked = {
            Audience.SERVICE: data.get("service"),
            Audience.PRODUCT: data.get("product"),
            Audience.SITE: data.get("site"),
        }.get(data["audience"])
        if picked is not None:
            return str(picked.pk)
        if data["audience"] == Audience.CLASS:
            return str(data.get("school_class", ""))
        if data["audience"] == Audience.DAY and data.get("day"):
            return data["day"].isoformat()
        return ""

    def is_later(self) -> bool:
        when = self.cleaned_data.get("send_at")
        return when is not None and when > timezone.now()
