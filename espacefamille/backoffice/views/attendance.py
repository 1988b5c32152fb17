"""The attendance screens ("Pointage"): choose a day, a product and a site, then the sheet of
that day with one tap per child. A tap is a plain POST form (it works without JavaScript);
``attendance.js`` sends it with ``fetch`` instead, queues it while offline and replays it, and
reads the JSON answer. A facilitator sees only the children of their own sites: another
site's sheet, or another site's child, answers 404."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from espacefamille.accounts.models import AgentRoleKind
from espacefamille.attendance.sheet import attendance_sheet, enrolled_children, known_sites
from espacefamille.attendance.taps import TAP_LABELS, attendance_tap
from espacefamille.backoffice.acting import AgentRequest
from espacefamille.billing.closed_days import invoiced_sheet_warning
from espacefamille.bookings.errors import BookingError, Reason
from espacefamille.catalog.models import Product
from espacefamille.core.bounds import parse_day, parse_id, parse_moment
from espacefamille.core.errors import NOT_FOUND
from espacefamille.core.form_fields import FrenchDateField
from espacefamille.households.models import Child

from ..permissions import Area, agent_required


def agent_sites(request: AgentRequest) -> list[str] | None:
    """A facilitator's sites; None for the roles that see every site."""
    role = request.agent_role
    if role.role == AgentRoleKind.FACILITATOR:
        return list(role.sites.values_list("name", flat=True))
    return None


class ChooseForm(forms.Form):
    day = FrenchDateField(label=gettext_lazy("Jour"))
    product: forms.ModelChoiceField[Product] = forms.ModelChoiceField(
        queryset=Product.objects.none(), label=gettext_lazy("Prestation")
    )
    site = forms.ChoiceField(label=gettext_lazy("Site"), required=False)

    def __init__(self, *args: Any, sites: list[str] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        product = cast(forms.ModelChoiceField, self.fields["product"])
        product.queryset = Product.objects.select_related("service").order_by(
            "service__name", "name"
        )
        label = _("Tous mes sites") if sites is not None else _("Tous les sites")
        site = cast(forms.ChoiceField, self.fields["site"])
        site.choices = [("", label)] + [(s, s) for s in known_sites(sites)]


def _sheet_url(product_id: int, day: date, site: str = "", anchor: str = "") -> str:
    url = reverse("backoffice:attendance_sheet", kwargs={"pk": product_id, "day": day.isoformat()})
    if site:
        url += "?" + urlencode({"site": site})
    return url + (f"#{anchor}" if anchor else "")


@agent_required(Area.ATTENDANCE)
def attendance_choose(request: AgentRequest) -> HttpResponse:
    sites = agent_sites(request)
    form = ChooseForm(request.GET or None, sites=sites, initial={"day": timezone.localdate()})
    if form.is_valid():
        return redirect(
            _sheet_url(
                form.cleaned_data["product"].pk, form.cleaned_data["day"], form.cleaned_data["site"]
            )
        )
    return render(request, "backoffice/attendance/choose.html", {"form": form})


def _day_of(value: str) -> date:
    """The day of the URL: an ISO date in the product's range, else no such sheet."""
    day = parse_day(value) if len(value) == 10 and value[4] == "-" else None
    if day is None:
        raise Http404
    return day


@agent_required(Area.ATTENDANCE)
def attendance_sheet_view(request: AgentRequest, pk: int, day: str) -> HttpResponse:
    product: Product = get_object_or_404(Product.objects.select_related("service"), pk=pk)
    the_day = _day_of(day)
    sites = agent_sites(request)
    site = request.GET.get("site", "")[:120]
    if site and sites is not None and site not in sites:
        raise Http404
    sheet = attendance_sheet(product=product, day=the_day, sites=sites, site=site)
    query = request.GET.get("q", "")[:100]
    candidates = enrolled_children(
        product=product, day=the_day, sites=sites, query=query, exclude=sheet.child_ids
    )
    return render(
        request,
        "backoffice/attendance/sheet.html",
        {
            "sheet": sheet,
            "rows": [(line, uuid.uuid4()) for line in sheet.lines],
            "candidates": [(enrolment, uuid.uuid4()) for enrolment in candidates],
            "query": query,
            "future": the_day > timezone.localdate(),
            "invoiced_warning": invoiced_sheet_warning(product=product, day=the_day),
            "tap_url": reverse(
                "backoffice:attendance_tap", kwargs={"pk": product.pk, "day": the_day.isoformat()}
            ),
            "labels": TAP_LABELS,
        },
    )


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _tap_fields(request: HttpRequest) -> tuple[uuid.UUID, datetime | None]:
    """The tablet's tap id and time (a server-made id for a form sent without JavaScript)."""
    try:
        tap_id = uuid.UUID(request.POST.get("tap", "") or str(uuid.uuid4()))
    except ValueError:
        raise BookingError(
            Reason.UNREADABLE_TAP, _("Pointage illisible : rechargez la page.")
        ) from None
    raw = request.POST.get("tapped_at", "")
    if not raw:
        return tap_id, None
    tapped_at = parse_moment(raw)
    if tapped_at is None:
        raise BookingError(
            Reason.UNREADABLE_TAP, _("Heure du pointage illisible : rechargez la page.")
        )
    return tap_id, tapped_at


@agent_required(Area.ATTENDANCE)
@require_POST
def attendance_tap_view(request: AgentRequest, pk: int, day: str) -> HttpResponse:
    product: Product = get_object_or_404(Product.objects.select_related("service"), pk=pk)
    the_day = _day_of(day)
    site = request.POST.get("site", "")[:120]
    child_id = parse_id(request.POST.get("child"))
    child = None
    try:
        if child_id is None:
            raise BookingError(Reason.NO_CHILD_CHOSEN, _("Choisissez un enfant."))
        child = get_object_or_404(Child, pk=child_id)
        tap_id, tapped_at = _tap_fields(request)
        outcome = attendance_tap(
            child=child,
            product=product,
            day=the_day,
            action=request.POST.get("action", ""),
            tap_id=tap_id,
            tapped_at=tapped_at,
            actor=request.user,
            sites=agent_sites(request),
        )
    except BookingError as error:
        if error.status == NOT_FOUND:  # a child outside the agent's sites
            raise Http404 from None
        if _wants_json(request):
            return JsonResponse({"ok": False, "message": error.message}, status=400)
        messages.error(request, error.message)
        return redirect(_sheet_url(product.pk, the_day, site))
    attendance = outcome.attendance
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "child": child.pk,
                "state": attendance.state,
                "state_label": attendance.get_state_display(),
                "applied": outcome.applied,
                "message": _("enregistré"),
            }
        )
    messages.success(
        request,
        _("Pointage enregistré : %(child)s, %(state)s.")
        % {"child": child, "state": attendance.get_state_display()},
    )
    return redirect(_sheet_url(product.pk, the_day, site, anchor=f"enfant-{child.pk}"))
