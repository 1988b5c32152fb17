"""Administrators manage the town's agents: list, create, change the role, disable or enable,
reset a lost device. The TOTP secret and recovery codes are shown once, right after."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from espacefamille.accounts.models import AgentRole
from espacefamille.accounts.two_factor import DeviceSecrets
from espacefamille.configuration import agents as agent_services
from espacefamille.core.service_calls import call_service, refusal_of

from ..acting import AgentRequest
from ..forms.agents import AgentCreateForm, AgentRoleForm
from ..permissions import Area, agent_required


def _secrets_page(
    request: HttpRequest, agent_role: AgentRole, secrets: DeviceSecrets
) -> HttpResponse:
    return render(
        request, "backoffice/agents/secrets.html", {"agent": agent_role, "secrets": secrets}
    )


@agent_required(Area.AGENTS)
def agent_list(request: AgentRequest) -> HttpResponse:
    agents = (
        AgentRole.objects.select_related("user")
        .prefetch_related("sites")
        .order_by("-is_active", "user__last_name", "user__email")
    )
    return render(request, "backoffice/agents/list.html", {"agents": agents})


@agent_required(Area.AGENTS)
@require_http_methods(["GET", "POST"])
def agent_add(request: AgentRequest) -> HttpResponse:
    form = AgentCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enrolment = call_service(
            form,
            lambda: agent_services.agent_create(
                municipality=request.municipality,
                actor=request.user,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
                sites=data["sites"],
                password=data["password"],
            ),
        )
        if enrolment is not None:
            messages.success(request, _("L'agent est créé."))
            if enrolment.secrets is not None:
                return _secrets_page(request, enrolment.agent_role, enrolment.secrets)
            return redirect("backoffice:agents")
    return render(request, "backoffice/agents/form.html", {"form": form, "agent": None})


@agent_required(Area.AGENTS)
@require_http_methods(["GET", "POST"])
def agent_edit(request: AgentRequest, pk: int) -> HttpResponse:
    agent_role: AgentRole = get_object_or_404(AgentRole.objects.select_related("user"), pk=pk)
    current_sites = list(agent_role.sites.all())
    form = AgentRoleForm(
        request.POST or None,
        initial={"role": agent_role.role, "sites": current_sites},
        current_sites=current_sites,
    )
    if request.method == "POST" and form.is_valid():
        updated = call_service(
            form,
            lambda: agent_services.agent_update(
                agent_role=agent_role,
                actor=request.user,
                role=form.cleaned_data["role"],
                sites=form.cleaned_data["sites"],
            ),
        )
        if updated is not None:
            messages.success(request, _("Les modifications sont enregistrées."))
            return redirect("backoffice:agents")
    return render(request, "backoffice/agents/form.html", {"form": form, "agent": agent_role})


@agent_required(Area.AGENTS)
@require_POST
def agent_toggle(request: AgentRequest, pk: int) -> HttpResponse:
    agent_role: AgentRole = get_object_or_404(AgentRole.objects.select_related("user"), pk=pk)
    refused = refusal_of(
        request,
        lambda: agent_services.agent_set_active(
            agent_role=agent_role, actor=request.user, is_active=not agent_role.is_active
        ),
    )
    if refused is None:
        message = (
            _("L'accès de %(agent)s est rétabli.")
            if agent_role.is_active
            else _("L'accès de %(agent)s est désactivé.")
        )
        messages.success(request, message % {"agent": agent_role.user.get_full_name()})
    return redirect("backoffice:agents")


@agent_required(Area.AGENTS)
@require_POST
def agent_device_reset(request: AgentRequest, pk: int) -> HttpResponse:
    agent_role: AgentRole = get_object_or_404(AgentRole.objects.select_related("user"), pk=pk)
    secrets = agent_services.agent_device_reset(agent_role=agent_role, actor=request.user)
    messages.success(request, _("L'application d'authentification est réinitialisée."))
    return _secrets_page(request, agent_role, secrets)
