""" "Gestion du foyer": Compte famille, Responsables, Enfants, Compléments. Every object is
fetched within the signed-in family's household of the current town: another id is a 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from espacefamille.core.models import PickupRule
from espacefamille.core.service_calls import refusal_of
from espacefamille.households import services
from espacefamille.households.models import AuthorizedPickup, EmergencyContact, Guardian
from espacefamille.households.selectors import (
    active_consent_purposes,
    changes_by_other_household,
    children_with_details,
    current_consents,
)
from espacefamille.inquiries.selectors import change_request_categories

from ..acting import PortalRequest
from ..decorators import household_required
from ..forms import ChildForm, GuardianForm, HouseholdNameForm, PersonForm

PersonModel = type[AuthorizedPickup] | type[EmergencyContact]
PERSON_KINDS: dict[str, tuple[PersonModel, str]] = {
    "personnes-autorisees": (AuthorizedPickup, "Personnes autorisées à venir chercher l'enfant"),
    "urgence": (EmergencyContact, "Personnes à contacter en cas d'urgence"),
}


def _run(form: forms.BaseForm, action: Callable[[], Any]) -> bool:
    """Call a service; its refusal becomes form errors and nothing is written."""
    return refusal_of(form, action) is None


def _saved(request: HttpRequest) -> None:
    messages.success(request, _("Vos modifications sont enregistrées."))


@household_required
@require_http_methods(["GET", "POST"])
def account(request: PortalRequest) -> HttpResponse:
    household = request.household
    form = HouseholdNameForm(request.POST or None, initial={"name": household.name})
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            form,
            lambda: services.household_rename(
                household=household, name=form.cleaned_data["name"], actor=request.user
            ),
        )
    ):
        _saved(request)
        return redirect("portal:household")
    return render(
        request,
        "portal/household/account.html",
        {"form": form, "tab": "account", "change_requests": change_request_categories()},
    )


@household_required
def guardians(request: PortalRequest) -> HttpResponse:
    household = request.household
    items = list(Guardian.objects.filter(household=household))
    return render(
        request,
        "portal/household/guardians.html",
        {
            "guardians": items,
            "tab": "guardians",
            "change_requests": change_request_categories(),
            "can_add": len(items) < household.municipality.max_guardians,
        },
    )


@household_required
@require_http_methods(["GET", "POST"])
def guardian_edit(request: PortalRequest, pk: int | None = None) -> HttpResponse:
    household = request.household
    guardian = get_object_or_404(Guardian, pk=pk, household=household) if pk is not None else None
    form = GuardianForm(request.POST or None, instance=guardian)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if guardian is None:
            ok = _run(
                form,
                lambda: services.guardian_create(
                    household=household, data=data, actor=request.user
                ),
            )
        else:
            ok = _run(
                form,
                lambda: services.guardian_update(guardian=guardian, data=data, actor=request.user),
            )
        if ok:
            _saved(request)
            return redirect("portal:guardians")
    return render(
        request,
        "portal/household/guardian_form.html",
        {"form": form, "guardian": guardian, "tab": "guardians"},
    )


@household_required
def children(request: PortalRequest) -> HttpResponse:
    items = children_with_details(household=request.household)
    purposes = active_consent_purposes()
    others = changes_by_other_household(household=request.household)
    rows = []
    for child in items:
        consents = current_consents(child=child)
        rows.append((child, [(p, consents.get(p.pk)) for p in purposes], others.get(child.pk)))
    return render(
        request,
        "portal/household/children.html",
        {"rows": rows, "purposes": purposes, "tab": "children"},
    )


@household_required
@require_http_methods(["GET", "POST"])
def child_edit(request: PortalRequest, pk: int) -> HttpResponse:
    household = request.household
    child = next((c for c in children_with_details(household=household) if c.pk == pk), None)
    if child is None:
        raise Http404
    purposes = active_consent_purposes()
    form = ChildForm(
        request.POST or None,
        instance=child,
        purposes=purposes,
        consents=current_consents(child=child),
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            form,
            lambda: services.child_update(
                child=child,
                data=form.cleaned_data,
                diets=form.cleaned_data["diets"],
                consents=form.consent_values(),
                actor=request.user,
            ),
        )
    ):
        _saved(request)
        return redirect("portal:children")
    return render(
        request,
        "portal/household/child_form.html",
        {
            "form": form,
            "child": child,
            "tab": "children",
            "change_requests": change_request_categories(),
        },
    )


@household_required
def extras(request: PortalRequest) -> HttpResponse:
    household = request.household
    by_request = household.municipality.pickup_rule == PickupRule.REQUEST
    sections = [
        (
            kind,
            _(title),
            list(model.objects.filter(household=household)),
            by_request and model is AuthorizedPickup,
        )
        for kind, (model, title) in PERSON_KINDS.items()
    ]
    return render(
        request,
        "portal/household/extras.html",
        {"sections": sections, "tab": "extras", "change_requests": change_request_categories()},
    )


def _person_kind(kind: str) -> tuple[PersonModel, str]:
    if kind not in PERSON_KINDS:
        raise Http404
    model, title = PERSON_KINDS[kind]
    return model, _(title)


@household_required
@require_http_methods(["GET", "POST"])
def person_edit(request: PortalRequest, kind: str, pk: int | None = None) -> HttpResponse:
    household = request.household
    model, title = _person_kind(kind)
    person = get_object_or_404(model, pk=pk, household=household) if pk is not None else None
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if person is None:
            ok = _run(
                form,
                lambda: services.person_create(
                    model=model, household=household, data=data, actor=request.user
                ),
            )
        else:
            ok = _run(
                form, lambda: services.person_update(person=person, data=data, actor=request.user)
            )
        if ok:
            _saved(request)
            return redirect("portal:extras")
    return render(
        request,
        "portal/household/person_form.html",
        {"form": form, "person": person, "title": title, "kind": kind, "tab": "extras"},
    )


@household_required
@require_http_methods(["GET", "POST"])
def person_delete(request: PortalRequest, kind: str, pk: int) -> HttpResponse:
    household = request.household
    model, title = _person_kind(kind)
    person = get_object_or_404(model, pk=pk, household=household)
    if request.method == "POST":
        if refusal_of(request, lambda: services.person_delete(person=person, actor=request.user)):
            return redirect("portal:extras")
        messages.success(request, _("%(name)s a été retiré(e) de la liste.") % {"name": person})
        return redirect("portal:extras")
    return render(
        request,
        "portal/household/person_confirm_delete.html",
        {"person": person, "title": title, "kind": kind, "tab": "extras"},
    )
