"""How a front door calls a service and reads its ``DomainError`` (one place, both front doors).

- ``call_service(target, action)`` runs ``action``; on ``DomainError`` the service's transaction
  rolled back (nothing was written) and its message goes where the person will read it: on a
  form (``target`` is a form) as the error of ``error.field`` when the form has that field, else
  as a non-field error; on the page (``target`` is a request) as a ``messages.error``. It
  returns the service's result, or ``None`` when refused (a service that itself returns None is
  told apart by the form's errors, or by ``refusal_of``).
- ``refusal_of(target, action)`` is the same for a view that branches on the reason: it returns
  the ``DomainError`` (already shown) or None when the service went through.
- Django's ``ValidationError`` is read too, for the validators Django itself calls inside a
  service (a model's ``full_clean``, the password validators): their messages are French and
  per field already. A service never raises one of its own (``tests/core/test_error_contract``).
- ``problem_details(error)`` gives the API its status and ``application/problem+json`` body
  (RFC 9457): ``type`` (a stable URN of the reason code), ``title``, ``status``, ``detail`` (the
  French message), ``reason`` (the code) and, when the message belongs to one input, ``field``
  (several inputs: ``errors``, a list of ``{"field", "detail"}``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from .errors import DomainError

Result = TypeVar("Result")
Target = forms.BaseForm | HttpRequest

PROBLEM_TYPE_PREFIX = "urn:espacefamille:problem:"
TITLES = {
    400: "Demande illisible",
    401: "Identification nécessaire",
    403: "Droit manquant",
    404: "Introuvable",
    405: "Méthode non prise en charge",
    406: "Format de réponse non disponible",
    409: "Opération impossible dans l'état actuel",
    415: "Format de demande non pris en charge",
    422: "Demande refusée",
    429: "Trop de tentatives",
    503: "Service momentanément indisponible",
}


def show_error(target: Target, error: DomainError | ValidationError) -> None:
    """Put ``error``'s message where the person reads it (see the module's docstring)."""
    if isinstance(target, HttpRequest):
        if isinstance(error, DomainError):
            messages.error(target, error.message)
        else:
            for message in error.messages:
                messages.error(target, message)
        return
    if isinstance(error, DomainError) and error.field_errors:
        for name, found in error.field_errors.items():
            target.add_error(
                name if name in target.fields else None,
                [ValidationError(message, code=str(error.reason)) for message in found],
            )
    elif isinstance(error, DomainError):
        field = error.field if error.field in target.fields else None
        target.add_error(field, ValidationError(error.message, code=str(error.reason)))
    elif hasattr(error, "error_dict"):
        # A model's ``full_clean`` (or a field validator) reached through a service.
        for name, errors in error.error_dict.items():
            target.add_error(name if name in target.fields else None, errors)
    else:
        target.add_error(None, error)


def refusal_of(target: Target, action: Callable[[], Any]) -> DomainError | ValidationError | None:
    """Run ``action``; its refusal (shown on ``target``) or None when it went through."""
    try:
        action()
    except (DomainError, ValidationError) as error:
        show_error(target, error)
        return error
    return None


def call_service(target: Target, action: Callable[[], Result]) -> Result | None:
    """Run ``action``; its result, or None when it was refused (the message is shown)."""
    try:
        return action()
    except (DomainError, ValidationError) as error:
        show_error(target, error)
        return None


def problem_details(error: DomainError) -> tuple[int, dict[str, Any]]:
    """The API's answer to ``error``: its HTTP status and ``application/problem+json`` body."""
    body: dict[str, Any] = {
        "type": f"{PROBLEM_TYPE_PREFIX}{error.reason}",
        "title": TITLES.get(error.status, TITLES[422]),
        "status": error.status,
        "detail": error.message,
        "reason": str(error.reason),
    }
    if error.field:
        body["field"] = error.field
    if error.field_errors:
        body["errors"] = [
            {"field": name, "detail": message}
            for name, found in error.field_errors.items()
            for message in found
        ]
    return error.status, body
