""" "Mes réservations": the week view, clicks on its cells, the waiting list and the cart.

Every form works without JavaScript (POST, then back to the same week); with htmx, a click
swaps only the cell, the cart panel and the status line."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseRedirectBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from espacefamille.bookings.agenda import LEGEND
from espacefamille.bookings.cart import cart_clear as clear_service
from espacefamille.bookings.cart import cart_remove_failed as remove_failed_service
from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.errors import BookingError
from espacefamille.bookings.selectors import (
    agenda_cells,
    agenda_weeks,
    cart_summary,
    prepaid_total,
)
from espacefamille.bookings.validation import cart_lines_read
from espacefamille.bookings.waiting_list import waiting_list_join
from espacefamille.catalog.models import Product
from espacefamille.core.read_replica import replica_reads_view
from espacefamille.households.models import Child
from espacefamille.payments.cancellations import cart_validate as validate_service
from espacefamille.payments.giveback import cancellation_giveback

from ..acting import PortalRequest
from ..decorators import household_required
from .agenda_state import AgendaState, in_range, parse_int, parse_iso, resolve, return_url
from .payments import prepaid_cart_validate

PERIOD_REPORT = "period_booking_report"
OTHER_CUSTODY_DAY = gettext_lazy(
    "Attention : d'après le rythme de garde, ce jour est un jour de l'autre foyer."
)


class HttpResponseSeeOther(HttpResponseRedirectBase):
    """303: after a refused POST, the browser GETs the week view (never re-POSTs)."""

    status_code = 303


def _today() -> date:
    return timezone.localdate()


def _what(product: Product, day: date, child: Child) -> str:
    return _("%(product)s, %(day)s (%(child)s)") % {
        "product": product.name,
        "day": date_format(day, "D. d N Y"),
        "child": child.first_name,
    }


def _period_report(request: HttpRequest) -> dict[str, Any] | None:
    """What "Réserver pour une période" put in the cart, shown once on the week view."""
    report = request.session.pop(PERIOD_REPORT, None)
    if not isinstance(report, dict):
        return None
    skipped = []
    for item in report.get("skipped", []):
        day = parse_iso(item.get("day"))
        if day is not None:
            skipped.append({**item, "day": day})
    return {"added": report.get("added", 0), "skipped": skipped, "more": report.get("more", 0)}


def agenda_context(request: PortalRequest, state: AgendaState, **extra: Any) -> dict[str, Any]:
    household = request.household
    summary = cart_summary(household=household)
    weeks = []
    if state.service is not None and state.child is not None:
        weeks = agenda_weeks(
            household=household,
            child=state.child,
            service=state.service,
            monday=state.monday,
            weeks=state.weeks,
            enrollments=state.enrollments,
            cart_lines=summary.lines,
        )
    return {
        "state": state,
        "weeks": weeks,
        "summary": summary,
        "legend": LEGEND,
        "period_report": _period_report(request),
        "tab": "agenda",
        **extra,
    }


@household_required
@replica_reads_view
def agenda(request: PortalRequest) -> HttpResponse:
    state = resolve(household=request.household, params=request.GET, today=_today())
    return render(request, "portal/bookings/agenda.html", agenda_context(request, state))


def _cell_target(params: QueryDict, name: str) -> tuple[Product, date]:
    """``<product id>:<AAAA-MM-JJ>`` from a cell's button; anything else is a 404."""
    raw = params.get(name, "")
    product_id, _sep, day_text = raw.partition(":")
    pk, day = parse_int(product_id), parse_iso(day_text)
    if pk is None or day is None or not in_range(day, _today()):
        raise Http404
    product: Product = get_object_or_404(
        Product.objects.select_related("service"), pk=pk, is_active=True
    )
    return product, day


def _after_click(
    request: PortalRequest, state: AgendaState, product: Product, day: date, message: str, ok: bool
) -> HttpResponse:
    assert state.child is not None
    if request.htmx:
        cells = agenda_cells(
            household=request.household,
            child=state.child,
            product=product,
            day=day,
            monday=state.monday,
            weeks=state.weeks,
        )
        context = {
            "cells": cells,
            "state": state,
            "summary": cart_summary(household=request.household),
            "message": message,
            "ok": ok,
        }
        return render(request, "portal/bookings/_click_response.html", context)
    (messages.success if ok else messages.error)(request, message)
    return redirect(state.url(anchor=f"cell-{product.pk}-{day:%Y%m%d}"))


def _clicked(request: PortalRequest, name: str) -> tuple[AgendaState, Product, Child, date]:
    household = request.household
    state = resolve(household=household, params=request.POST, today=_today(), strict=True)
    product, day = _cell_target(request.POST, name)
    if state.child is None or state.service is None or product.service_id != state.service.pk:
        raise Http404
    return state, product, state.child, day


@household_required
@require_POST
def agenda_toggle(request: PortalRequest) -> HttpResponse:
    """A click on a cell: bookable → added to the cart; validated → cancellation added; a
    cart line → taken back out; anything refused → the reason."""
    state, product, child, day = _clicked(request, "cellule")
    result = cart_toggle(
        household=request.household,
        child=child,
        product=product,
        day=day,
    )
    what = _what(product, day, child)
    if result.refusal is not None:
        return _after_click(
            request, state, product, day, f"{what} : {result.refusal.message}", False
        )
    if result.action == "swapped" and result.replaced is not None:
        text = _("%(product)s remplace %(replaced)s dans le panier : %(what)s.") % {
            "product": product.name,
            "replaced": result.replaced.name,
            "what": what,
        }
        if result.other_custody_day:
            text = f"{text} {OTHER_CUSTODY_DAY}"
        return _after_click(request, state, product, day, text, True)
    text = {
        "added": _("Ajouté au panier : %(what)s."),
        "cancel_added": _("Demande d'annulation ajoutée au panier : %(what)s."),
        "removed": _("Retiré du panier : %(what)s."),
    }[result.action] % {"what": what}
    if result.other_custody_day:
        text = f"{text} {OTHER_CUSTODY_DAY}"
    return _after_click(request, state, product, day, text, True)


@household_required
@require_POST
def waiting_list(request: PortalRequest) -> HttpResponse:
    """ "Liste d'attente" on a full day of a postpaid product."""
    state, product, child, day = _clicked(request, "attente")
    what = _what(product, day, child)
    try:
        waiting_list_join(
            child=child, product=product, day=day, user=request.user, household=request.household
        )
    except BookingError as error:
        return _after_click(request, state, product, day, f"{what} : {error.message}", False)
    message = _(
        "Inscription sur la liste d'attente : %(what)s. Vous serez prévenu par e-mail si une "
        "place se libère."
    ) % {"what": what}
    return _after_click(request, state, product, day, message, True)


@household_required
@require_POST
def cart_validate(request: PortalRequest) -> HttpResponse:
    """ "Valider". Success: back to the week view with a confirmation message. Refusal:
    nothing was written and each refused line keeps its reason (``CartLine.error``); a 303
    sends the family back to the week view, which lists them, rather than rendering the
    whole week in the POST. With htmx, the cart panel (and its summary bar) is enough."""
    household = request.household
    back = return_url(request.POST)
    # The lines read once: the prepaid branch, the giveback and the validation itself.
    read = cart_lines_read(household)
    prepaid = [line for line in read.lines if line.product.service.is_prepaid]
    if prepaid_total(prepaid) > 0:
        response = prepaid_cart_validate(request, back)
        if response is not None:
            return response
        return _refused(request, household, back)
    giveback = cancellation_giveback(lines=prepaid)
    try:
        result = validate_service(
            household=household,
            user=request.user,
            base_url=request.build_absolute_uri("/"),
            lines=read,
        )
    except BookingError as error:  # the places could not be locked in time
        messages.error(request, error.message)
        if request.htmx:
            return HttpResponseClientRedirect(back)
        return HttpResponseSeeOther(back)
    if result.ok:
        if result.nothing_to_do:
            messages.info(request, _("Aucune nouvelle réservation ou annulation."))
        else:
            messages.success(
                request,
                _(
                    "Réservations et annulations validées. Vous allez recevoir un e-mail de "
                    "confirmation."
                ),
            )
            for item in giveback:  # what the cancelled paid days gave back
                messages.info(request, _("Annulation : %(what)s") % {"what": item.sentence})
        if request.htmx:
            return HttpResponseClientRedirect(back)
        return redirect(back)
    return _refused(request, household, back)


def _refused(request: PortalRequest, household: Any, back: str) -> HttpResponse:
    refused = _("Le panier n'a pas été validé : rien n'a été enregistré.")
    if request.htmx:
        state = resolve(household=household, params=request.POST, today=_today())
        context = {
            "state": state,
            "summary": cart_summary(household=household),
            "message": refused,
            "ok": False,
        }
        return render(request, "portal/bookings/_cart_response.html", context)
    messages.error(request, refused)
    return HttpResponseSeeOther(back)


@household_required
@require_POST
def cart_remove_failed(request: PortalRequest) -> HttpResponse:
    """ "Retirer les lignes refusées"."""
    removed = remove_failed_service(household=request.household)
    text = ngettext(
        "%(n)s ligne refusée a été retirée du panier.",
        "%(n)s lignes refusées ont été retirées du panier.",
        removed,
    )
    messages.success(request, text % {"n": removed})
    return redirect(return_url(request.POST))


@household_required
@require_http_methods(["GET", "POST"])
def cart_clear(request: PortalRequest) -> HttpResponse:
    """ "Vider le panier", after a confirmation page (works without JavaScript)."""
    household = request.household
    if request.method == "POST":
        removed = clear_service(household=household)
        if removed:
            messages.success(request, _("Le panier a été vidé."))
        else:
            messages.info(request, _("Le panier était déjà vide."))
        return redirect(return_url(request.POST))
    return render(
        request,
        "portal/bookings/cart_clear.html",
        {
            "summary": cart_summary(household=household),
            "back": return_url(request.GET),
            "back_params": {
                k: v for k, v in request.GET.items() if k in {"service", "enfant", "semaine"}
            },
            "tab": "agenda",
        },
    )
