"""A service's week for the agents: booked / capacity and the waiting list per product and day,
for the whole service or one site, each cell leading to the day's overview
(``bookings.week_overview``)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from espacefamille.backoffice.acting import AgentRequest
from espacefamille.bookings.week_overview import week_overview
from espacefamille.catalog.models import Service
from espacefamille.catalog.sites import site_names
from espacefamille.core.form_fields import FrenchDateField

from ..permissions import Area, agent_required


class WeekForm(forms.Form):
    service: forms.ModelChoiceField[Service] = forms.ModelChoiceField(
        queryset=Service.objects.none(), label=gettext_lazy("Service")
    )
    day = FrenchDateField(label=gettext_lazy("Semaine du"))
    site = forms.ChoiceField(label=gettext_lazy("Site"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        service = cast(forms.ModelChoiceField, self.fields["service"])
        service.queryset = Service.objects.order_by("position", "name")
        service.empty_label = None
        site = cast(forms.ChoiceField, self.fields["site"])
        site.choices = [("", gettext_lazy("Tous les sites"))] + [(s, s) for s in site_names()]


@agent_required(Area.BOOKINGS)
def week_view(request: AgentRequest) -> HttpResponse:
    data = request.GET.copy()
    data.setdefault("day", timezone.localdate().isoformat())
    if "service" not in data:
        first = Service.objects.order_by("position", "name").first()
        if first is not None:
            data["service"] = str(first.pk)
    form = WeekForm(data)
    overview = None
    if form.is_valid():
        overview = week_overview(
            service=form.cleaned_data["service"],
            day=form.cleaned_data["day"],
            site=form.cleaned_data["site"],
        )
    return render(
        request,
        "backoffice/bookings/week.html",
        {"form": form, "overview": overview},
        status=200 if form.is_valid() else 400,
    )
