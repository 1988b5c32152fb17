"""The quotient page of a household, for an agent (back office) and for the family
("Gestion du foyer"): the quotients recorded and how, the consent (give, withdraw), the
fetch from API Particulier; the agent may also copy a paper certificate. Each front door's view
checks who acts and calls ``quotient_page``; a ``QuotientError`` becomes a French message and
nothing is written."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from espacefamille.accounts.models import User
from espacefamille.households.models import Household

from .consents import current_consent, quotient_consent_set
from .errors import QuotientError
from .forms import ConsentForm, IdentityForm, PaperQuotientForm
from .selectors import format_quotient, quotient_in_force, quotient_rows
from .services import next_invoicing_start, paper_quotient_record, quotient_fetch
from .town_settings import settings_of


def _refused(request: HttpRequest, form: forms.BaseForm | None, error: QuotientError) -> None:
    if form is not None and error.field and error.field in form.fields:
        form.add_error(error.field, error.message)
    else:
        messages.error(request, error.message)


def quotient_page(
    request: HttpRequest, user: User, household: Household, *, agent: bool, channel: str
) -> HttpResponse:
    action = request.POST.get("action") if request.method == "POST" else None
    consent_form = ConsentForm(request.POST if action == "consent" else None, on_behalf=agent)
    identity_form = IdentityForm(request.POST if action == "fetch" else None, household=household)
    paper_form = None
    if agent:
        paper_form = PaperQuotientForm(
            request.POST if action == "paper" else None,
            initial={"valid_from": next_invoicing_start()},
        )
    done = False
    if action == "consent" and consent_form.is_valid():
        quotient_consent_set(household=household, granted=True, actor=user)
        messages.success(request, _("L'accord pour la consultation du quotient est enregistré."))
        done = True
    elif action == "withdraw":
        quotient_consent_set(household=household, granted=False, actor=user)
        messages.success(
            request, _("L'accord est retiré : le quotient ne sera plus consulté en ligne.")
        )
        done = True
    elif action == "fetch" and identity_form.is_valid():
        try:
            entry = quotient_fetch(
                household=household,
                guardian=identity_form.cleaned_data["guardian"],
                identity=identity_form.identity(),
                actor=user,
                channel=channel,
            )
        except QuotientError as error:
            _refused(request, identity_form, error)
        else:
            messages.success(
                request,
                _(
                    "Quotient familial %(value)s (%(provider)s) enregistré : "
                    "il s'applique à partir du %(day)s."
                )
                % {
                    "value": format_quotient(entry.quotient.value),
                    "provider": entry.get_provider_display(),
                    "day": entry.quotient.valid_from.strftime("%d/%m/%Y"),
                },
            )
            done = True
    elif action == "paper" and paper_form is not None and paper_form.is_valid():
        try:
            paper_quotient_record(
                household=household,
                value=paper_form.cleaned_data["value"],
                source=paper_form.cleaned_data["source"],
                valid_from=paper_form.cleaned_data["valid_from"],
                actor=user,
            )
        except QuotientError as error:
            _refused(request, paper_form, error)
        else:
            messages.success(request, _("Le quotient de l'attestation papier est enregistré."))
            done = True
    if done:
        return redirect(request.path)
    rows = quotient_rows(household=household)
    config = settings_of(household.municipality)
    consent = current_consent(household=household)
    context: dict[str, Any] = {
        "household": household,
        "rows": rows,
        "in_force": quotient_in_force(rows),
        "service_on": bool(config and config.is_enabled),
        "consent": consent if consent is not None and consent.granted else None,
        "consent_form": consent_form,
        "identity_form": identity_form,
        "paper_form": paper_form,
        "agent": agent,
    }
    template = "quotient/backoffice_household.html" if agent else "quotient/portal_household.html"
    return render(request, template, context, status=400 if action else 200)
