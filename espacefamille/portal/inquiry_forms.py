"""The family's request form, built for one category: the text pre-filled from its template,
one file field per required document, an optional file, the child concerned, and for a
change of the household file the proposed values."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from espacefamille.core.choice_fields import (
    BoundedModelChoiceField,
)
from espacefamille.core.uploads import file_input_attrs, upload_limit_text
from espacefamille.households.models import Guardian, Household
from espacefamille.households.sharing import household_children
from espacefamille.inquiries.changes import ADDRESS_FIELDS, PICKUP_FORM_FIELDS, guardian_field
from espacefamille.inquiries.models import ChangeKind, InquiryCategory
from espacefamille.inquiries.pickup_fields import pickup_person_fields
from espacefamille.inquiries.services import document_field


def _file_field(label: str, required: bool) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=required,
        help_text=upload_limit_text(),
        widget=forms.ClearableFileInput(attrs=file_input_attrs()),
    )


class InquiryForm(forms.Form):
    required_css_class = "required"

    def __init__(
        self, *args: Any, category: InquiryCategory, household: Household, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.category = category
        self.fields["child"] = BoundedModelChoiceField(
            label=_("Enfant concerné"),
            queryset=household_children(household),
            required=category.needs_child,
            empty_label=_("— aucun en particulier —"),
        )
        if category.change_kind == ChangeKind.ADDRESS:
            self.fields["guardian"] = BoundedModelChoiceField(
                label=_("Responsable concerné"),
                queryset=Guardian.objects.filter(household=household),
                empty_label=None,
            )
            for name in ADDRESS_FIELDS:
                model_field = guardian_field(name)
                self.fields[name] = forms.CharField(
                    label=str(model_field.verbose_name).capitalize()
                    + " ("
                    + str(_("nouvelle"))
                    + ")"
                    if name == "address"
                    else str(model_field.verbose_name).capitalize(),
                    max_length=model_field.max_length,
                    required=name != "address_complement",
                )
        if category.change_kind == ChangeKind.PICKUP:
            self.fields.update(pickup_person_fields(required=False))
        self.fields["text"] = forms.CharField(
            label=_("Votre demande"),
            widget=forms.Textarea(attrs={"rows": 6}),
            initial=category.text_template,
        )
        self.document_fields = []
        for required in category.required_documents.all():
            name = document_field(required)
            self.fields[name] = _file_field(str(required.label), required=True)
            self.fields[name].error_messages["required"] = _(
                "La pièce « %(label)s » est obligatoire pour cette demande."
            ) % {"label": required.label}
            self.document_fields.append((required, name))
        self.fields["extra_file"] = _file_field(str(_("Autre pièce jointe (facultative)")), False)

    def documents(self) -> dict[int, Any]:
        return {required.pk: self.cleaned_data.get(name) for required, name in self.document_fields}

    def proposed(self) -> dict[str, Any]:
        names = ["guardian", *ADDRESS_FIELDS, *PICKUP_FORM_FIELDS]
        return {name: self.cleaned_data.get(name) for name in names if name in self.fields}


class InquiryReplyForm(forms.Form):
    text = forms.CharField(label=_("Votre message"), widget=forms.Textarea(attrs={"rows": 4}))
