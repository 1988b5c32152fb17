"""A product's prices over time (a change applies from a date, past months keep theirs) and
the days that have their own number of places (a school trip), beside the product's rules."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from espacefamille.billing.models import ProductPrice
from espacefamille.billing.price_changes import product_price_add, product_price_withdraw
from espacefamille.bookings.capacity import product_day_capacity_set
from espacefamille.bookings.models import ProductDay
from espacefamille.catalog.models import Product
from espacefamille.core.service_calls import call_service, refusal_of

from ..acting import AgentRequest
from ..forms.prices import CONFIRM_FIELD, DayCapacityForm, PriceForm
from ..permissions import Area, agent_required


def _product(pk: int) -> Product:
    return get_object_or_404(Product.objects.select_related("service"), pk=pk)


@agent_required(Area.CONFIGURATION)
@require_http_methods(["GET", "POST"])
def product_prices(request: AgentRequest, pk: int) -> HttpResponse:
    product = _product(pk)
    is_price = request.method == "POST" and "add_price" in request.POST
    is_day = request.method == "POST" and "set_day" in request.POST
    price_form = PriceForm(request.POST if is_price else None, prefix="price")
    day_form = DayCapacityForm(request.POST if is_day else None, prefix="day")
    if is_price and price_form.is_valid():
        data = price_form.cleaned_data
        added = call_service(
            price_form,
            lambda: product_price_add(
                product=product,
                data=data,
                actor=request.user,
                confirmed=bool(data.get(CONFIRM_FIELD)),
            ),
        )
        if added is None and price_form.has_error(NON_FIELD_ERRORS, "large_change"):
            price_form.ask_confirmation()
        if added is not None:
            messages.success(request, _("Le nouveau tarif est enregistré."))
            return redirect("backoffice:product_prices", pk=product.pk)
    if is_day and day_form.is_valid():
        refused = refusal_of(
            day_form,
            lambda: product_day_capacity_set(
                product=product,
                day=day_form.cleaned_data["day"],
                capacity=day_form.cleaned_data["capacity"],
                actor=request.user,
            ),
        )
        if refused is None:
            messages.success(request, _("Le nombre de places de ce jour est enregistré."))
            return redirect("backoffice:product_prices", pk=product.pk)
    today = timezone.localdate()
    context = {
        "product": product,
        "prices": ProductPrice.objects.filter(product=product),
        "today": today,
        "days": ProductDay.objects.filter(
            product=product, date__gte=today, capacity_override__isnull=False
        ).order_by("date"),
        "price_form": price_form,
        "day_form": day_form,
    }
    return render(request, "backoffice/configuration/prices.html", context)


@agent_required(Area.CONFIGURATION)
@require_POST
def product_price_remove(request: AgentRequest, pk: int, price_id: int) -> HttpResponse:
    product = _product(pk)
    price = get_object_or_404(ProductPrice, pk=price_id, product=product)
    if refusal_of(request, lambda: product_price_withdraw(price=price, actor=request.user)) is None:
        messages.success(request, _("Le tarif est retiré."))
    return redirect("backoffice:product_prices", pk=product.pk)
