"""Upload the import CSV and read its report on screen, line by line: nothing is written when
a line is bad (the import is all or nothing)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from espacefamille.core.errors import DomainError
from espacefamille.onboarding.import_writer import (
    household_file_import,
    service_names,
)
from espacefamille.onboarding.importing import household_file_parse

from ..acting import AgentRequest
from ..forms.households import ImportUploadForm
from ..permissions import Area, agent_required


@agent_required(Area.HOUSEHOLDS)
@require_http_methods(["GET", "POST"])
def household_import(request: AgentRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        municipality = request.municipality
        upload = form.cleaned_data["file"]
        try:
            parsed = household_file_parse(data=upload.read(), services=service_names(municipality))
            if parsed.errors:
                context["errors"] = parsed.errors
                context["bad_lines"] = len({error.line for error in parsed.errors})
            else:
                context["summary"] = household_file_import(
                    municipality=municipality,
                    parsed=parsed,
                    actor=request.user,
                    file_name=upload.name or "",
                )
        except DomainError as error:
            context["file_error"] = error.message
    return render(request, "backoffice/households/import.html", context)
