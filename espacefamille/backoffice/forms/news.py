"""The agents' news post form: text, dates (scheduling), audience, image and documents."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from espacefamille.catalog.models import Service
from espacefamille.core.choice_fields import (
    BoundedModelMultipleChoiceField,
)
from espacefamille.core.form_fields import FrenchDateField
from espacefamille.core.uploads import file_input_attrs, upload_limit_text
from espacefamille.news.models import NewsDocument, NewsPost

IMAGE_ACCEPT = ".jpg,.jpeg,.png,image/jpeg,image/png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files in one field (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class NewsPostForm(forms.ModelForm):
    required_css_class = "required"
    image_upload = forms.FileField(
        label=_("Image (facultative)"),
        required=False,
        widget=forms.ClearableFileInput(),
    )
    services: forms.ModelMultipleChoiceField[Service] = BoundedModelMultipleChoiceField(
        label=_("Réservée aux familles des services (toutes si aucun n'est coché)"),
        queryset=Service.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    new_documents = MultipleFileField(label=_("Ajouter des documents"), required=False)
    removed_documents: forms.ModelMultipleChoiceField[NewsDocument] = (
        BoundedModelMultipleChoiceField(
            label=_("Retirer des documents"),
            queryset=NewsDocument.objects.none(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
    )

    class Meta:
        model = NewsPost
        fields = ["title", "date", "text", "publish_from", "publish_until"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 10}),
        }
        field_classes = {
            "date": FrenchDateField,
            "publish_from": FrenchDateField,
            "publish_until": FrenchDateField,
        }
        help_texts = {
            "publish_from": _("Laissez vide pour publier tout de suite."),
            "publish_until": _("Laissez vide pour laisser l'actualité en ligne."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        services: Any = self.fields["services"]
        services.queryset = Service.objects.all()
        if self.instance.pk:
            self.initial["services"] = list(self.instance.services.all())
        limit = upload_limit_text()
        self.fields["new_documents"].help_text = limit
        self.fields["new_documents"].widget.attrs.update(file_input_attrs())
        self.fields["image_upload"].help_text = limit
        self.fields["image_upload"].widget.attrs.update(file_input_attrs(accept=IMAGE_ACCEPT))
        if self.instance.pk:
            removed: Any = self.fields["removed_documents"]
            removed.queryset = NewsDocument.objects.filter(post=self.instance)
        else:
            del self.fields["removed_documents"]
