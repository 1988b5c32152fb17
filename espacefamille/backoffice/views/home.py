"""The agent's home: the screens their role opens in the current town."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ..acting import AgentRequest
from ..permissions import Area, agent_required, role_allows

VOWELS = "aeiouyàâéèêëîïôûüh"


def signed_in_as(role_label: str) -> str:
    """ "Vous êtes connecté en tant qu'administrateur" (elision before a vowel)."""
    if role_label[:1].lower() in VOWELS:
        return _("Vous êtes connecté en tant qu'%(role)s.") % {"role": role_label}
    return _("Vous êtes connecté en tant que %(role)s.") % {"role": role_label}


@agent_required(Area.HOME)
def home(request: AgentRequest) -> HttpResponse:
    role = request.agent_role
    return render(
        request,
        "backoffice/home.html",
        {
            "signed_in_as": signed_in_as(str(role.get_role_display())),
            "can_point": role_allows(role, Area.ATTENDANCE),
            "can_count_meals": role_allows(role, Area.KITCHEN),
        },
    )
