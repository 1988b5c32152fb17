"""Enrol a child in a service for a school year, or a whole class at once."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from espacefamille.catalog.enrolments import child_enroll, class_enroll
from espacefamille.households.models import Child, Household

from ..acting import AgentRequest
from ..forms.households import ClassEnrolmentForm, EnrolmentForm
from ..permissions import Area, agent_required


@agent_required(Area.HOUSEHOLDS)
@require_http_methods(["GET", "POST"])
def child_enrolment(request: AgentRequest, pk: int, child_id: int) -> HttpResponse:
    household: Household = get_object_or_404(Household, pk=pk)
    child: Child = get_object_or_404(Child, pk=child_id, household=household)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _enrollment, created = child_enroll(
            child=child,
            service=form.cleaned_data["service"],
            school_year=form.cleaned_data["school_year"],
            site=form.cleaned_data["site"],
            actor=request.user,
        )
        messages.success(
            request,
            _("%(child)s est inscrit(e).") % {"child": child.first_name}
            if created
            else _("%(child)s était déjà inscrit(e) : inscription mise à jour.")
            % {"child": child.first_name},
        )
        return redirect("backoffice:household", pk=household.pk)
    return render(
        request,
        "backoffice/households/person_form.html",
        {
            "form": form,
            "household": household,
            "title": _("Inscrire %(child)s à un service") % {"child": child.first_name},
        },
    )


@agent_required(Area.HOUSEHOLDS)
@require_http_methods(["GET", "POST"])
def class_enrolment(request: AgentRequest) -> HttpResponse:
    form = ClassEnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = class_enroll(
            school=data["school"],
            school_class=data["school_class"],
            service=data["service"],
            school_year=data["school_year"],
            site=data["site"],
            actor=request.user,
        )
        messages.success(
            request,
            ngettext(
                "%(n)s enfant de la classe %(class)s inscrit.",
                "%(n)s enfants de la classe %(class)s inscrits.",
                made,
            )
            % {"n": made, "class": data["school_class"]},
        )
        return redirect("backoffice:class_enrolment")
    return render(request, "backoffice/households/class_enrolment.html", {"form": form})
