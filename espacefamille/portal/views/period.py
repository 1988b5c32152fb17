""" "Réserver pour une période": step 1 the dates, step 2 a weekly pattern per child and
product, then "Terminer" puts every matching opening day in the cart at once. The wizard's
state lives in the session; nothing is written before "Terminer"."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from espacefamille.bookings.cart import cart_add_period
from espacefamille.bookings.limits import MAX_AHEAD, MAX_PERIOD
from espacefamille.bookings.pattern_conflicts import pattern_conflicts
from espacefamille.bookings.selectors import enrolled_children, household_services
from espacefamille.catalog.models import Product, Service
from espacefamille.core.form_fields import FrenchDateField, NativeDateInput
from espacefamille.core.service_calls import call_service
from espacefamille.households.custody import (
    HouseholdCustody,
    household_custodies,
    household_custody,
    next_custody_week,
)
from espacefamille.households.models import Child, CustodyKind, Household

from ..acting import PortalRequest
from ..decorators import household_required
from .agenda_state import parse_int, parse_iso
from .bookings import PERIOD_REPORT

WIZARD = "period_booking"
WEEKDAYS = [
    (gettext_lazy("LUN"), gettext_lazy("lundi")),
    (gettext_lazy("MAR"), gettext_lazy("mardi")),
    (gettext_lazy("MER"), gettext_lazy("mercredi")),
    (gettext_lazy("JEU"), gettext_lazy("jeudi")),
    (gettext_lazy("VEN"), gettext_lazy("vendredi")),
    (gettext_lazy("SAM"), gettext_lazy("samedi")),
    (gettext_lazy("DIM"), gettext_lazy("dimanche")),
]
MAX_REPORTED = 300  # refused days kept for the report (the count of the rest is shown)

DATE_ERRORS = {
    "required": gettext_lazy("Ce champ est obligatoire."),
    "invalid": gettext_lazy("Saisissez une date valide au format JJ/MM/AAAA."),
}


class PeriodForm(forms.Form):
    required_css_class = "required"
    service = forms.TypedChoiceField(label=gettext_lazy("Service"), coerce=int)
    start = FrenchDateField(label=gettext_lazy("Date de début"), error_messages=DATE_ERRORS)
    end = FrenchDateField(label=gettext_lazy("Date de fin"), error_messages=DATE_ERRORS)

    def __init__(self, *args: Any, services: list[Service], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        cast(forms.TypedChoiceField, self.fields["service"]).choices = [
            (s.pk, f"{s.name} - {s.get_billing_mode_display()}") for s in services
        ]
        bounds = {"min": today.isoformat(), "max": (today + MAX_AHEAD).isoformat()}
        for name in ("start", "end"):  # the phone's own calendar to choose the days
            self.fields[name].widget = NativeDateInput(attrs=bounds)
            self.fields[name].help_text = _("Choisissez le jour dans le calendrier.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start is None or end is None:
            return data
        if start < self.today:
            self.add_error("start", _("La date de début ne peut pas être passée."))
        elif start > self.today + MAX_AHEAD:
            self.add_error("start", _("La date de début est trop lointaine."))
        if end < start:
            self.add_error("end", _("La date de fin doit être postérieure à la date de début."))
        elif end - start >= MAX_PERIOD:
            self.add_error(
                "end", _("La période ne peut pas dépasser une année scolaire (un an au plus).")
            )
        return data


@household_required
@require_http_methods(["GET", "POST"])
def period(request: PortalRequest) -> HttpResponse:
    """Step 1: "Date de début*", "Date de fin*", "Suivant →"."""
    household = request.household
    services = household_services(household=household)
    wizard = request.session.get(WIZARD) or {}
    initial: dict[str, Any] = {}
    wanted = parse_int(request.GET.get("service")) or wizard.get("service")
    if "service" in request.GET and wanted not in {s.pk for s in services}:
        raise Http404
    if wanted:
        initial["service"] = wanted
    for name in ("start", "end"):
        if parse_iso(wizard.get(name)):
            initial[name] = parse_iso(wizard.get(name))
    custody_week = _custody_week(household, services)
    if custody_week is not None and "start" not in initial:
        initial["start"], initial["end"] = custody_week
    form = PeriodForm(
        request.POST or None, initial=initial, services=services, today=timezone.localdate()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        same = wizard.get("service") == data["service"]
        request.session[WIZARD] = {
            "service": data["service"],
            "start": data["start"].isoformat(),
            "end": data["end"].isoformat(),
            "patterns": wizard.get("patterns", {}) if same else {},
            # The dates the custody pattern proposed were kept: step 2 ticks the days too.
            "custody_prefill": custody_week == (data["start"], data["end"]),
        }
        return redirect("portal:period_children")
    return render(
        request,
        "portal/bookings/period_dates.html",
        {"form": form, "services": services, "tab": "agenda", "step": 1},
    )


def _wizard(request: HttpRequest) -> tuple[dict[str, Any], Service, date, date] | None:
    wizard = request.session.get(WIZARD)
    if not isinstance(wizard, dict):
        return None
    start, end = parse_iso(wizard.get("start")), parse_iso(wizard.get("end"))
    service = Service.objects.filter(pk=wizard.get("service") or 0).first()
    if service is None or start is None or end is None:
        return None
    wizard.setdefault("patterns", {})
    return wizard, service, start, end


def _read_pattern(request: HttpRequest, products: list[Product]) -> dict[str, list[int]]:
    pattern: dict[str, list[int]] = {}
    for product in products:
        days = {parse_int(v) for v in request.POST.getlist(f"jours-{product.pk}")}
        opened = sorted(d for d in days if d is not None and d in product.weekday_set)
        if opened:
            pattern[str(product.pk)] = opened
    return pattern


def _conflicts(pattern: dict[str, list[int]], products: list[Product]) -> list[str]:
    """What the step says when incompatible products are ticked on one weekday."""
    by_id = {str(p.pk): p for p in products}
    chosen = {by_id[pk]: set(days) for pk, days in pattern.items() if pk in by_id}
    return [
        _(
            "%(products)s ne peuvent pas être réservés le même jour : %(day)s. "
            "Décochez l'un des deux."
        )
        % {
            "products": " et ".join(p.name for p in conflict.products),
            "day": WEEKDAYS[conflict.weekday][1],
        }
        for conflict in pattern_conflicts(chosen)
    ]


def _finish(
    request: PortalRequest,
    wizard: dict[str, Any],
    service: Service,
    span: tuple[date, date],
    children: list[Child],
    products: list[Product],
) -> HttpResponse | None:
    by_id = {p.pk: p for p in products}
    patterns: dict[Child, dict[Product, set[int]]] = {}
    for child in children:
        chosen = wizard["patterns"].get(str(child.pk), {})
        per_product = {
            by_id[pk]: set(days)
            for pk, days in ((parse_int(k), v) for k, v in chosen.items())
            if pk in by_id and days
        }
        if per_product:
            patterns[child] = per_product
    if not patterns:
        messages.error(request, _("Cochez au moins un jour pour un enfant avant de terminer."))
        return None
    start, end = span
    own_only = {int(pk) for pk, only in wizard.get("own_days", {}).items() if only}
    result = call_service(
        request,
        lambda: cart_add_period(
            household=request.household,
            start=start,
            end=end,
            patterns=patterns,
            own_days_only=own_only,
        ),
    )
    if result is None:
        return None
    request.session[PERIOD_REPORT] = {
        "added": result.added,
        "skipped": [
            {
                "child": f"{child.first_name} {child.last_name}",
                "product": product.name,
                "day": day.isoformat(),
                "label": refusal.label,
                "message": refusal.message,
            }
            for child, product, day, refusal in result.skipped[:MAX_REPORTED]
        ],
        "more": max(0, len(result.skipped) - MAX_REPORTED),
    }
    request.session.pop(WIZARD, None)
    text = ngettext(
        "%(n)s jour a été ajouté au panier.", "%(n)s jours ont été ajoutés au panier.", result.added
    ) % {"n": result.added}
    messages.success(request, f"{text} {_('N’oubliez pas de valider votre panier.')}")
    if result.other_custody_days:
        messages.warning(
            request,
            ngettext(
                "Attention : %(n)s jour ajouté est, d'après le rythme de garde, un jour de "
                "l'autre foyer.",
                "Attention : %(n)s jours ajoutés sont, d'après le rythme de garde, des jours "
                "de l'autre foyer.",
                result.other_custody_days,
            )
            % {"n": result.other_custody_days},
        )
    first = next(iter(patterns))
    query = f"?service={service.pk}&enfant={first.pk}&semaine={start.isoformat()}"
    return redirect(reverse("portal:agenda") + query)


def _custody_week(household: Household, services: list[Service]) -> tuple[date, date] | None:
    """The household's next custody week, when one of its children is shared week about."""
    children = {
        c for service in services for c in enrolled_children(household=household, service=service)
    }
    for custody in household_custodies(household.pk, sorted(children, key=lambda c: c.pk)):
        week = next_custody_week(custody, timezone.localdate())
        if week is not None:
            return week
    return None


def _custody_prefill(
    custody: HouseholdCustody | None, products: list[Product], dates_kept: bool
) -> dict[str, list[int]]:
    """A shared child with a custody pattern: the first product is pre-ticked on the
    household's weekdays (with alternate weeks, when the family kept the custody week's
    dates). The family may change it; the pattern never refuses a day."""
    if custody is None or not products:
        return {}
    if custody.pattern.kind == CustodyKind.ALTERNATE_WEEKS and not dates_kept:
        return {}
    first = products[0]
    return {str(first.pk): sorted(custody.weekdays() & set(first.weekday_set))}


@household_required
@require_http_methods(["GET", "POST"])
def period_children(request: PortalRequest) -> HttpResponse:
    """Step 2: for each child in turn, LUN MAR MER JEU VEN per product; "← Enfant précédent",
    "Enfant suivant →", "Terminer"."""
    loaded = _wizard(request)
    if loaded is None:
        messages.info(request, _("Choisissez d'abord la période de réservation."))
        return redirect("portal:period")
    wizard, service, start, end = loaded
    household = request.household
    children = enrolled_children(household=household, service=service)
    if not children:
        messages.error(request, _("Aucun enfant n'est inscrit à ce service."))
        return redirect("portal:period")
    params = request.POST if request.method == "POST" else request.GET
    index = 0
    if "enfant" in params:
        wanted = parse_int(params.get("enfant"))
        ids = [c.pk for c in children]
        if wanted not in ids:
            raise Http404
        index = ids.index(wanted)
    child = children[index]
    products = list(Product.objects.filter(service=service, is_active=True))
    custody = household_custody(child, household.pk)
    conflicts: list[str] = []
    if request.method == "POST":
        wizard["patterns"][str(child.pk)] = _read_pattern(request, products)
        if custody is not None:
            wizard.setdefault("own_days", {})[str(child.pk)] = "mes-jours" in request.POST
        request.session[WIZARD] = wizard
        action = request.POST.get("action", "")
        target = parse_int(request.POST.get("aller"))
        conflicts = _conflicts(wizard["patterns"][str(child.pk)], products)
        if conflicts:
            pass  # the same step again, with the days to untick
        elif action == "terminer":
            done = _finish(request, wizard, service, (start, end), children, products)
            if done is not None:
                return done
        else:
            if action == "precedent":
                index = max(0, index - 1)
            elif action == "suivant":
                index = min(len(children) - 1, index + 1)
            elif target in {c.pk for c in children}:
                index = [c.pk for c in children].index(target)
            url = reverse("portal:period_children")
            return redirect(f"{url}?enfant={children[index].pk}")
    chosen = wizard["patterns"].get(str(child.pk))
    if chosen is None:
        chosen = _custody_prefill(custody, products, wizard.get("custody_prefill", False))
    own_days = wizard.get("own_days", {}).get(str(child.pk), True)
    shown = [i for i in range(7) if i < 5 or any(i in p.weekday_set for p in products)]
    rows = [
        (p, [(i, i in p.weekday_set, i in chosen.get(str(p.pk), [])) for i in shown])
        for p in products
    ]
    return render(
        request,
        "portal/bookings/period_children.html",
        {
            "conflicts": conflicts,
            "service": service,
            "start": start,
            "end": end,
            "children": children,
            "child": child,
            "index": index,
            "rows": rows,
            "weekdays": [(i, *WEEKDAYS[i]) for i in shown],
            "custody": custody,
            "own_days": own_days,
            "has_previous": index > 0,
            "has_next": index < len(children) - 1,
            "tab": "agenda",
            "step": 2,
        },
    )
