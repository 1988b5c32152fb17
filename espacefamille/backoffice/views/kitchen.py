"""The kitchen counts ("commandes de repas"): a period's meals per day, site, product and diet,
the PAI children and the forecast, on the page and as CSV, XLSX or PDF downloads. The counts
come from ``kitchen.counts``; a period the service refuses gets its French message, never a
500. PAI names are health data: they are shown and exported, never logged."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from espacefamille.backoffice.acting import AgentRequest
from espacefamille.bookings.errors import BookingError
from espacefamille.catalog.models import Service
from espacefamille.core.dates import monday_of
from espacefamille.core.downloads import (
    CSV_CONTENT_TYPE,
    PDF_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    download_response,
)
from espacefamille.core.form_fields import FrenchDateField
from espacefamille.core.read_replica import replica_reads_view
from espacefamille.kitchen.counts import KitchenCounts, check_period, kitchen_counts
from espacefamille.kitchen.exports import (
    counts_csv,
    counts_filename,
    counts_pdf,
    counts_xlsx,
)

from ..permissions import Area, agent_required

CONTENT_TYPES = {
    "csv": CSV_CONTENT_TYPE,
    "xlsx": XLSX_CONTENT_TYPE,
    "pdf": PDF_CONTENT_TYPE,
}


class KitchenForm(forms.Form):
    service: forms.ModelChoiceField[Service] = forms.ModelChoiceField(
        queryset=Service.objects.none(), label=gettext_lazy("Service"), required=False
    )
    start = FrenchDateField(label=gettext_lazy("Du"))
    end = FrenchDateField(label=gettext_lazy("Au"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        service = cast(forms.ModelChoiceField, self.fields["service"])
        service.queryset = Service.objects.order_by("position", "name")
        service.empty_label = None

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, date) and isinstance(end, date):
            try:
                check_period(start, end)
            except BookingError as error:
                raise forms.ValidationError(error.message) from error
        if cleaned.get("service") is None:
            services = cast(forms.ModelChoiceField, self.fields["service"]).queryset
            first = services.first() if services is not None else None
            if first is None:
                raise forms.ValidationError("Aucun service n'est configuré.")
            cleaned["service"] = first
        return cleaned


def _counts(request: HttpRequest) -> tuple[KitchenForm, KitchenCounts | None, dict[str, str]]:
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    data = request.GET.copy()
    data.setdefault("start", tomorrow.isoformat())
    data.setdefault("end", data.get("start") or tomorrow.isoformat())
    form = KitchenForm(data)
    counts = None
    if form.is_valid():
        counts = kitchen_counts(
            service=form.cleaned_data["service"],
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            today=today,
        )
    next_monday = monday_of(today) + timedelta(weeks=1)
    shortcuts = {
        "tomorrow": f"start={tomorrow.isoformat()}&end={tomorrow.isoformat()}",
        "week": (
            f"start={next_monday.isoformat()}&end={(next_monday + timedelta(days=6)).isoformat()}"
        ),
    }
    return form, counts, shortcuts


@agent_required(Area.KITCHEN)
@replica_reads_view
def kitchen_view(request: AgentRequest) -> HttpResponse:
    form, counts, shortcuts = _counts(request)
    query = ""
    if counts is not None:
        query = (
            f"service={counts.service.pk}&start={counts.start.isoformat()}"
            f"&end={counts.end.isoformat()}"
        )
    return render(
        request,
        "backoffice/kitchen/counts.html",
        {"form": form, "counts": counts, "shortcuts": shortcuts, "query": query},
        status=200 if form.is_valid() else 400,
    )


@agent_required(Area.KITCHEN)
@replica_reads_view
def kitchen_export(request: AgentRequest, file_format: str) -> HttpResponse:
    if file_format not in CONTENT_TYPES:
        raise Http404
    form, counts, _shortcuts = _counts(request)
    if counts is None:
        return render(
            request,
            "backoffice/kitchen/counts.html",
            {"form": form, "counts": None, "shortcuts": _shortcuts, "query": ""},
            status=400,
        )
    if file_format == "csv":
        content = counts_csv(counts)
    elif file_format == "xlsx":
        content = counts_xlsx(counts)
    else:
        content = counts_pdf(counts, town_name=request.municipality.name)
    return download_response(
        content,
        content_type=CONTENT_TYPES[file_format],
        filename=counts_filename(counts, file_format),
        inline=file_format == "pdf",
    )
