"""The agents' forms on family requests: reply, decide, assign, filter the inbox, and the
categories with their required documents."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from espacefamille.accounts.models import AgentRole
from espacefamille.core.choice_fields import (
    BoundedModelChoiceField,
)
from espacefamille.inquiries.categories import CATEGORY_FIELDS, required_labels_of
from espacefamille.inquiries.models import InquiryCategory, InquiryStatus


class InquiryReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Réponse à la famille"), widget=forms.Textarea(attrs={"rows": 5})
    )


class InquiryStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Statut"), choices=InquiryStatus.choices)


class InquiryAssignForm(forms.Form):
    agent: forms.ModelChoiceField[AgentRole] = BoundedModelChoiceField(
        label=_("Agent chargé"),
        queryset=AgentRole.objects.none(),
        required=False,
        empty_label=_("— personne —"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agent: Any = self.fields["agent"]
        agent.queryset = AgentRole.objects.filter(is_active=True).select_related("user")
        agent.label_from_instance = lambda role: f"{role.user.first_name} {role.user.last_name}"


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Statut"), choices=[("", _("Tous")), *list(InquiryStatus.choices)], required=False
    )
    category = forms.TypedChoiceField(label=_("Thématique"), coerce=int, required=False)

    def __init__(self, *args: Any, categories: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category: Any = self.fields["category"]
        category.choices = [("", _("Toutes"))] + [(c.pk, c.name) for c in categories]


class InquiryCategoryForm(forms.ModelForm):
    required_css_class = "required"
    required_documents = forms.CharField(
        label=_("Pièce(s) jointe(s) obligatoire(s)"),
        help_text=_("Une pièce par ligne, par exemple « Pièce d'identité »."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    class Meta:
        model = InquiryCategory
        fields = CATEGORY_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "text_template": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["required_documents"] = "\n".join(required_labels_of(self.instance))

    def required_labels(self) -> list[str]:
        return str(self.cleaned_data.get("required_documents") or "").splitlines()
