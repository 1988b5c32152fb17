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
from espacefamille.households.pickups import PICKUP_FIELDS
from espacefamille.inquiries.categories import CATEGORY_FIELDS, required_labels_of
from espacefamille.inquiries.changes import PICKUP_FORM_FIELDS, PICKUP_PREFIX
from espacefamille.inquiries.models import ChangeKind, Inquiry, InquiryCategory, InquiryStatus
from espacefamille.inquiries.pickup_fields import pickup_person_fields


class InquiryReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Réponse à la famille"), widget=forms.Textarea(attrs={"rows": 5})
    )


class InquiryStatusForm(forms.Form):
    """The decision; on a pickup request, the person "Traitée" adds to the household's
    authorised pickups, pre-filled with what the family named (the service checks it)."""

    status = forms.ChoiceField(label=_("Statut"), choices=InquiryStatus.choices)

    def __init__(self, *args: Any, inquiry: Inquiry, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if inquiry.category.change_kind == ChangeKind.PICKUP and not inquiry.is_closed:
            self.fields.update(pickup_person_fields(required=False))
            named = (inquiry.proposed_changes or {}).get("pickup") or {}
            for name in PICKUP_FIELDS:
                self.fields[PICKUP_PREFIX + name].initial = named.get(name, "")

    def pickup(self) -> dict[str, Any]:
        names = [name for name in PICKUP_FORM_FIELDS if name in self.fields]
        return {name: self.cleaned_data.get(name) for name in names}


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
