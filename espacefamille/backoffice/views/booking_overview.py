"""A product's day as the agents see it: booked / capacity from the ledger, the children with
their class, the waiting list; and the counter form to book or cancel for a family."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from espacefamille.backoffice.acting import AgentRequest
from espacefamille.billing.closed_days import invoiced_sheet_warning
from espacefamille.bookings.models import ACTIVE_STATUSES, Booking
from espacefamille.bookings.overview import ChildLine, day_overview
from espacefamille.catalog.models import Product
from espacefamille.catalog.sites import site_names
from espacefamille.core.bounds import parse_day, parse_id
from espacefamille.core.choice_fields import BoundedModelChoiceField, posted_id
from espacefamille.core.form_fields import FrenchDateField
from espacefamille.core.service_calls import refusal_of
from espacefamille.counter.agent_bookings import (
    booking_cancel_for_family,
    booking_create_for_family,
)
from espacefamille.households.models import Child
from espacefamille.households.search import child_search

from ..permissions import Area, agent_required


class DayForm(forms.Form):
    product: forms.ModelChoiceField[Product] = BoundedModelChoiceField(
        queryset=Product.objects.none(), label=gettext_lazy("Prestation")
    )
    day = FrenchDateField(label=gettext_lazy("Jour"))
    site = forms.ChoiceField(label=gettext_lazy("Site"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        product = cast(forms.ModelChoiceField, self.fields["product"])
        product.queryset = Product.objects.select_related("service").order_by(
            "service__name", "name"
        )
        site = cast(forms.ChoiceField, self.fields["site"])
        site.choices = [("", gettext_lazy("Tous les sites"))] + [(s, s) for s in site_names()]


class CounterChildSearchForm(forms.Form):
    """ "Réserver pour une famille": the child found by its name or its household's, as on the
    households page (``households.search``), in the agent's town."""

    enfant = forms.CharField(
        label=gettext_lazy("Rechercher l'enfant : nom de l'enfant ou du foyer"),
        max_length=150,
        required=False,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )


CANCEL_URL_PLACEHOLDER = 999_999_999


@dataclass(frozen=True)
class ExpectedChild:
    """One line of the day's list, its words worked out once in Python: a page lists 100
    children, and each lookup or ``{% url %}`` in the template's loop is paid 100 times."""

    booking_id: int
    child: str
    school_class: str
    site: str
    state: str
    cancel_url: str


def expected_children(lines: list[ChildLine]) -> list[ExpectedChild]:
    """The page's lines; the cancel address reversed once (the booking's id put in its place)
    and the state's words read once per state."""
    cancel_url = reverse(
        "backoffice:booking_cancel_for_family", kwargs={"pk": CANCEL_URL_PLACEHOLDER}
    )
    prefix, suffix = cancel_url.split(str(CANCEL_URL_PLACEHOLDER))
    states: dict[tuple[str, str], str] = {}
    expected = []
    for line in lines:
        booking = line.booking
        state_key = (booking.status, booking.closure_reason)
        state = states.get(state_key)
        if state is None:
            state = states[state_key] = booking.status_label
        expected.append(
            ExpectedChild(
                booking.pk,
                str(booking.child),
                line.school_class,
                line.site,
                state,
                f"{prefix}{booking.pk}{suffix}",
            )
        )
    return expected


@agent_required(Area.BOOKINGS)
def day_view(request: AgentRequest) -> HttpResponse:
    form = DayForm(request.GET or None, initial={"day": timezone.localdate()})
    overview = None
    search = CounterChildSearchForm(request.GET or None)
    child_query = search.cleaned_data["enfant"] if search.is_valid() else ""
    invoiced = ""
    if form.is_valid():
        page = parse_id(request.GET.get("page")) or 1
        overview = day_overview(
            product=form.cleaned_data["product"],
            day=form.cleaned_data["day"],
            site=form.cleaned_data["site"],
            page=page,
        )
        product, day = form.cleaned_data["product"], form.cleaned_data["day"]
        invoiced = invoiced_sheet_warning(product=product, day=day)
    found = child_search(query=child_query) if overview is not None else []
    return render(
        request,
        "backoffice/bookings/day.html",
        {
            "form": form,
            "overview": overview,
            "search": search,
            "child_query": child_query,
            "found_children": found,
            "invoiced": invoiced,
            "expected": expected_children(overview.children) if overview is not None else [],
        },
    )


def _back(product_id: int, day: date) -> HttpResponse:
    return redirect(f"/agents/reservations/jour/?product={product_id}&day={day.isoformat()}")


@agent_required(Area.BOOKINGS)
@require_POST
def book_for_family(request: AgentRequest) -> HttpResponse:
    child = get_object_or_404(Child, pk=posted_id(request.POST.get("child")))
    product: Product = get_object_or_404(
        Product.objects.select_related("service"), pk=posted_id(request.POST.get("product"))
    )
    day = parse_day(request.POST.get("day"))
    if day is None:
        messages.error(request, _("Date invalide."))
        return redirect("backoffice:booking_day")
    refused = refusal_of(
        request,
        lambda: booking_create_for_family(
            child=child,
            product=product,
            day=day,
            actor=request.user,
            reason=request.POST.get("reason", "")[:200],
        ),
    )
    if refused is None:
        messages.success(request, _("La réservation est enregistrée."))
    return _back(product.pk, day)


@agent_required(Area.BOOKINGS)
@require_POST
def cancel_for_family(request: AgentRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(Booking, pk=pk, status__in=ACTIVE_STATUSES)
    refused = refusal_of(
        request,
        lambda: booking_cancel_for_family(
            booking=booking,
            actor=request.user,
            reason=request.POST.get("reason", "")[:200],
        ),
    )
    if refused is None:
        messages.success(request, _("La réservation est annulée."))
    return _back(booking.product_id, booking.date)
