"""A product's day as the agents see it: booked / capacity from the ledger, the children with
their class, the waiting list; and the counter form to book or cancel for a family."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from espacefamille.bookings.agent_bookings import (
    booking_cancel_for_family,
    booking_create_for_family,
)
from espacefamille.bookings.errors import BookingError
from espacefamille.bookings.models import ACTIVE_STATUSES, Booking
from espacefamille.bookings.overview import day_overview
from espacefamille.catalog.models import Product
from espacefamille.core.bounds import BoundedDateField, parse_day, parse_id
from espacefamille.core.choice_fields import BoundedModelChoiceField, posted_id
from espacefamille.households.models import Child

from ..permissions import Area, agent_required


class DayForm(forms.Form):
    product: forms.ModelChoiceField[Product] = BoundedModelChoiceField(
        queryset=Product.objects.none(), label=gettext_lazy("Prestation")
    )
    day = BoundedDateField(
        label=gettext_lazy("Jour"), widget=forms.DateInput(attrs={"type": "date"})
    )
    site = forms.CharField(label=gettext_lazy("Site"), required=False, max_length=120)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["product"].queryset = Product.objects.select_related("service").order_by(  # type: ignore[attr-defined]
            "service__name", "name"
        )


@agent_required(Area.BOOKINGS)
def day_view(request: HttpRequest) -> HttpResponse:
    form = DayForm(request.GET or None, initial={"day": timezone.localdate()})
    overview = None
    if form.is_valid():
        page = parse_id(request.GET.get("page")) or 1
        overview = day_overview(
            product=form.cleaned_data["product"],
            day=form.cleaned_data["day"],
            site=form.cleaned_data["site"],
            page=page,
        )
    return render(request, "backoffice/bookings/day.html", {"form": form, "overview": overview})


def _back(product_id: int, day: date) -> HttpResponse:
    return redirect(f"/agents/reservations/jour/?product={product_id}&day={day.isoformat()}")


@agent_required(Area.BOOKINGS)
@require_POST
def book_for_family(request: HttpRequest) -> HttpResponse:
    child = get_object_or_404(Child, pk=posted_id(request.POST.get("child")))
    product: Product = get_object_or_404(
        Product.objects.select_related("service"), pk=posted_id(request.POST.get("product"))
    )
    day = parse_day(request.POST.get("day"))
    if day is None:
        messages.error(request, _("Date invalide."))
        return redirect("backoffice:booking_day")
    try:
        booking_create_for_family(
            child=child,
            product=product,
            day=day,
            actor=request.user,  # type: ignore[arg-type]
            reason=request.POST.get("reason", "")[:200],
        )
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("La réservation est enregistrée."))
    return _back(product.pk, day)


@agent_required(Area.BOOKINGS)
@require_POST
def cancel_for_family(request: HttpRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(Booking, pk=pk, status__in=ACTIVE_STATUSES)
    try:
        booking_cancel_for_family(
            booking=booking,
            actor=request.user,  # type: ignore[arg-type]
            reason=request.POST.get("reason", "")[:200],
        )
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("La réservation est annulée."))
    return _back(booking.product_id, booking.date)
