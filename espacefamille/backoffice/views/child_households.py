"""A child of separated parents on the town's side: its households (link a second household
found by search, unlink one: history stays) and its custody pattern. The child is reached
through one of its households, in the agent's town (404 otherwise)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from espacefamille.accounts.models import JoinCode
from espacefamille.core.bounds import parse_id
from espacefamille.core.service_calls import call_service
from espacefamille.households.child_links import (
    child_link_household,
    child_unlink_household,
    custody_pattern_set,
)
from espacefamille.households.custody import weekday_set
from espacefamille.households.models import Child, ChildHousehold, CustodyPattern, Household
from espacefamille.households.search import RESULTS_LIMIT, household_search
from espacefamille.households.sharing import household_children
from espacefamille.onboarding.child_join_codes import child_join_code_issue

from ..acting import AgentRequest
from ..forms.child_households import CustodyForm
from ..forms.households import HouseholdSearchForm
from ..permissions import Area, agent_required


def _child(pk: int, child_id: int) -> tuple[Household, Child]:
    household: Household = get_object_or_404(Household, pk=pk)
    child: Child = get_object_or_404(household_children(household), pk=child_id)
    return household, child


def _posted_household(value: str | None) -> Household | None:
    """The household chosen in the form: None when none was chosen (the page says so); another
    town's or an unknown id answers 404, as every id in a URL or a form does."""
    pk = parse_id(value)
    return None if pk is None else get_object_or_404(Household, pk=pk)


@agent_required(Area.HOUSEHOLDS)
@require_http_methods(["GET", "POST"])
def child_households(request: AgentRequest, pk: int, child_id: int) -> HttpResponse:
    household, child = _child(pk, child_id)
    search = HouseholdSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    links = list(
        ChildHousehold.objects.filter(child=child).select_related("household").order_by("pk")
    )
    linked = {child.household_id} | {link.household_id for link in links if not link.ended_at}
    found = []
    if query:
        found = [h for h in household_search(query=query)[:RESULTS_LIMIT] if h.pk not in linked]
    pattern = CustodyPattern.objects.filter(child=child).first()
    initial: dict[str, object] = {}
    if pattern:
        initial = {
            "kind": pattern.kind,
            "start_date": pattern.start_date,
            "home_weekdays": sorted(weekday_set(pattern.home_weekdays)),
        }
    form = CustodyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = call_service(
            form,
            lambda: custody_pattern_set(
                child=child,
                kind=data["kind"],
                start_date=data.get("start_date"),
                home_weekdays=set(data.get("home_weekdays") or []),
                actor=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("Le rythme de garde est enregistré."))
            return redirect("backoffice:child_households", pk=pk, child_id=child.pk)
    return render(
        request,
        "backoffice/households/child_households.html",
        {
            "household": household,
            "child": child,
            "first": child.household,
            "links": links,
            "search": search,
            "query": query,
            "found": found,
            "form": form,
            "codes": JoinCode.objects.filter(child=child).order_by("-created_at")[:5],
            "now": timezone.now(),
        },
    )


@agent_required(Area.HOUSEHOLDS)
@require_POST
def child_join_code(request: AgentRequest, pk: int, child_id: int) -> HttpResponse:
    """A join code for this child, shown once: the other parent enters it in their own
    household's space to link the child to it."""
    _household, child = _child(pk, child_id)
    code = call_service(request, lambda: child_join_code_issue(child=child, actor=request.user))
    if code is not None:
        messages.success(
            request,
            _(
                "Code d'adhésion de %(child)s pour le foyer de l'autre parent : %(code)s "
                "(valable une fois, jusqu'au %(date)s). Notez-le : il ne sera plus affiché."
            )
            % {
                "child": child.first_name,
                "code": code.code,
                "date": timezone.localtime(code.expires_at).strftime("%d/%m/%Y"),
            },
        )
    return redirect("backoffice:child_households", pk=pk, child_id=child.pk)


@agent_required(Area.HOUSEHOLDS)
@require_POST
def child_household_link(request: AgentRequest, pk: int, child_id: int) -> HttpResponse:
    _household, child = _child(pk, child_id)
    other = _posted_household(request.POST.get("foyer"))
    if other is None:
        messages.error(request, _("Choisissez un foyer."))
        return redirect("backoffice:child_households", pk=pk, child_id=child.pk)
    done = call_service(
        request, lambda: child_link_household(child=child, household=other, actor=request.user)
    )
    if done is not None:
        messages.success(
            request,
            _("%(child)s est rattaché(e) au foyer %(name)s ; le premier foyer est prévenu.")
            % {"child": child.first_name, "name": other.name},
        )
    return redirect("backoffice:child_households", pk=pk, child_id=child.pk)


@agent_required(Area.HOUSEHOLDS)
@require_POST
def child_household_unlink(request: AgentRequest, pk: int, child_id: int) -> HttpResponse:
    _household, child = _child(pk, child_id)
    other = _posted_household(request.POST.get("foyer"))
    if other is None:
        messages.error(request, _("Choisissez un foyer."))
        return redirect("backoffice:child_households", pk=pk, child_id=child.pk)
    done = call_service(
        request,
        lambda: child_unlink_household(child=child, household=other, actor=request.user),
    )
    if done is not None:
        messages.success(
            request,
            _("%(child)s n'est plus rattaché(e) au foyer %(name)s ; l'historique est conservé.")
            % {"child": child.first_name, "name": other.name},
        )
    return redirect("backoffice:child_households", pk=pk, child_id=child.pk)
