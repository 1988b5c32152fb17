"""Every error of the API as ``application/problem+json`` (RFC 9457), through the one error
contract: a service's ``DomainError`` goes through ``core.service_calls.problem_details``; DRF's
own errors (no key, a missing scope, bad input, too many requests…) become an ``ApiError`` with
a stable reason first, so a client reads one shape whatever refused it. Bad input never
reaches a 500: a value DRF cannot read is a 400/422 here."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response

from espacefamille.core.errors import DomainError
from espacefamille.core.service_calls import problem_details

from .errors import ApiError, ApiReason

PROBLEM_JSON = "application/problem+json"

_REASONS: list[tuple[type[exceptions.APIException], ApiReason]] = [
    (exceptions.NotAuthenticated, ApiReason.NOT_AUTHENTICATED),
    (exceptions.AuthenticationFailed, ApiReason.NOT_AUTHENTICATED),
    (exceptions.PermissionDenied, ApiReason.SCOPE_MISSING),
    (exceptions.NotFound, ApiReason.NOT_FOUND),
    (exceptions.MethodNotAllowed, ApiReason.METHOD_NOT_ALLOWED),
    (exceptions.NotAcceptable, ApiReason.NOT_ACCEPTABLE),
    (exceptions.UnsupportedMediaType, ApiReason.UNSUPPORTED_MEDIA_TYPE),
    (exceptions.ParseError, ApiReason.PARSE_ERROR),
    (exceptions.Throttled, ApiReason.RATE_LIMITED),
]


def _flat(detail: Any, prefix: str = "") -> list[tuple[str, str]]:
    """DRF's nested error details as ``(field, message)`` pairs (``days.0`` for a list item)."""
    if isinstance(detail, dict):
        return [
            pair
            for name, value in detail.items()
            for pair in _flat(value, f"{prefix}.{name}" if prefix else str(name))
        ]
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return [(prefix or "non_field_errors", str(item)) for item in detail]
        return [pair for i, item in enumerate(detail) for pair in _flat(item, f"{prefix}.{i}")]
    return [(prefix or "non_field_errors", str(detail))]


def _as_api_error(exc: Exception) -> DomainError | None:
    if isinstance(exc, DomainError):
        return exc
    if isinstance(exc, Http404):
        return ApiError(ApiReason.NOT_FOUND, _("Introuvable."))
    if isinstance(exc, DjangoPermissionDenied):
        return ApiError(ApiReason.SCOPE_MISSING, _("Accès refusé."))
    if isinstance(exc, DjangoValidationError):
        return ApiError(ApiReason.INVALID_INPUT, " ".join(exc.messages), status=422)
    if isinstance(exc, exceptions.ValidationError):
        pairs = _flat(exc.detail)
        errors: dict[str, list[str]] = {}
        for name, message in pairs:
            errors.setdefault(name, []).append(message)
        return ApiError(
            ApiReason.INVALID_INPUT,
            _("La demande contient des valeurs invalides."),
            status=422,
            field_errors=errors,
        )
    for kind, reason in _REASONS:
        if isinstance(exc, kind):
            return ApiError(reason, str(exc.detail), status=exc.status_code)
    if isinstance(exc, exceptions.APIException):
        return ApiError(ApiReason.INVALID_INPUT, str(exc.detail), status=exc.status_code)
    return None


def problem_response(error: DomainError, headers: dict[str, str] | None = None) -> Response:
    status, body = problem_details(error)
    return Response(body, status=status, content_type=PROBLEM_JSON, headers=headers)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's ``EXCEPTION_HANDLER``."""
    error = _as_api_error(exc)
    if error is None:
        return None  # a server error: Django's own 500 handling (and its log)
    headers: dict[str, str] = {}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    if error.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return problem_response(error, headers)
