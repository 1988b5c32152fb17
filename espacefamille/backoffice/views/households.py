"""Household files on the town's side: search, the household page, create and rename.

Every object is read inside the agent's town scope, so another town's id is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from espacefamille.accounts.models import Invitation, JoinCode
from espacefamille.bookings.models import ACTIVE_STATUSES, Booking
from espacefamille.catalog.models import Enrollment
from espacefamille.core.service_calls import call_service
from espacefamille.households import household_files
from espacefamille.households.access_locks import household_is_locked
from espacefamille.households.models import AuthorizedPickup, Guardian, Household, HouseholdChange
from espacefamille.households.search import RESULTS_LIMIT, household_search
from espacefamille.households.selectors import children_with_details
from espacefamille.households.sharing import member_q
from espacefamille.onboarding.invitations import household_is_activated

from ..acting import AgentRequest
from ..forms.households import HouseholdCreateForm, HouseholdNameForm, HouseholdSearchForm
from ..permissions import Area, agent_required

UPCOMING_BOOKINGS = 20


@agent_required(Area.HOUSEHOLDS)
def household_list(request: AgentRequest) -> HttpResponse:
    form = HouseholdSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    households = list(household_search(query=query).prefetch_related("children")[:RESULTS_LIMIT])
    return render(
        request,
        "backoffice/households/list.html",
        {"form": form, "households": households, "query": query, "limit": RESULTS_LIMIT},
    )


@agent_required(Area.HOUSEHOLDS)
def household_detail(request: AgentRequest, pk: int) -> HttpResponse:
    household: Household = get_object_or_404(Household, pk=pk)
    children = children_with_details(household=household)
    household_files.health_data_read(household=household, actor=request.user, children=children)
    context = {
        "household": household,
        "guardians": list(Guardian.objects.filter(household=household).select_related("user")),
        "children": children,
        "enrollments": list(
            Enrollment.objects.filter(member_q(household, child_field="child"))
            .select_related("child", "service")
            .order_by("-school_year", "child__first_name", "service__name")
        ),
        "bookings": list(
            Booking.objects.filter(
                household=household,
                date__gte=timezone.localdate(),
                status__in=ACTIVE_STATUSES,
            )
            .select_related("child", "product")
            .order_by("date", "child__first_name", "product__name")[:UPCOMING_BOOKINGS]
        ),
        "changes": list(
            HouseholdChange.objects.filter(household=household).select_related("actor")[:30]
        ),
        "pickups": list(AuthorizedPickup.objects.filter(household=household)),
        "is_activated": household_is_activated(household),
        "is_locked": household_is_locked(household=household),
        "invitations": list(
            Invitation.objects.filter(household=household).order_by("-created_at")[:5]
        ),
        "join_codes": list(
            JoinCode.objects.filter(household=household, child__isnull=True).order_by(
                "-created_at"
            )[:5]
        ),
    }
    return render(request, "backoffice/households/detail.html", context)


@agent_required(Area.HOUSEHOLDS)
@require_http_methods(["GET", "POST"])
def household_add(request: AgentRequest) -> HttpResponse:
    form = HouseholdCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        name = data.pop("household_name")
        household = call_service(
            form,
            lambda: household_files.household_create(
                municipality=request.municipality,
                actor=request.user,
                name=name,
                guardian_data=data,
            ),
        )
        if household is not None:
            messages.success(request, _("Le foyer %(name)s est créé.") % {"name": household.name})
            return redirect("backoffice:household", pk=household.pk)
    return render(request, "backoffice/households/create.html", {"form": form})


@agent_required(Area.HOUSEHOLDS)
@require_http_methods(["GET", "POST"])
def household_rename(request: AgentRequest, pk: int) -> HttpResponse:
    household: Household = get_object_or_404(Household, pk=pk)
    form = HouseholdNameForm(request.POST or None, initial={"name": household.name})
    if request.method == "POST" and form.is_valid():
        renamed = call_service(
            form,
            lambda: household_files.household_update(
                household=household, actor=request.user, name=form.cleaned_data["name"]
            ),
        )
        if renamed is not None:
            messages.success(request, _("Les modifications sont enregistrées."))
            return redirect("backoffice:household", pk=household.pk)
    return render(
        request,
        "backoffice/households/person_form.html",
        {"form": form, "household": household, "title": _("Renommer le foyer")},
    )
