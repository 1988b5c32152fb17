"""The agents' forms on a family request: reply, decide, assign."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from espacefamille.accounts.models import AgentRole
from espacefamille.inquiries.models import InquiryStatus


class InquiryReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Réponse à la famille"), widget=forms.Textarea(attrs={"rows": 5})
    )


class InquiryStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Statut"), choices=InquiryStatus.choices)


class InquiryAssignForm(forms.Form):
    agent: forms.ModelChoiceField[AgentRole] = forms.ModelChoiceField(
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
