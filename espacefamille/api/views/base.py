"""What every view of the API shares: the query parameters read through a serializer (bad input
is a 422 problem, never a 500), another town's id answering 404 (the queries run in the key's
town scope, so a foreign id simply matches nothing), the acting key."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.request import Request

from ..errors import ApiError, ApiReason

M = TypeVar("M", bound=Model)

MAX_DAYS = 62


def query_params(request: Request, serializer_class: type[serializers.Serializer[Any]]) -> Any:
    """The query string read by ``serializer_class`` (its ``validated_data``)."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def found(query: QuerySet[M], pk: Any) -> M:
    """The row of the key's town with this id; 404 for any other (another town's too)."""
    row = query.filter(pk=pk).first()
    if row is None:
        raise ApiError(ApiReason.NOT_FOUND, _("Introuvable."))
    return row


def period(start: date, end: date | None, *, days: int = MAX_DAYS) -> tuple[date, date]:
    end = end or start
    if end < start:
        raise ApiError(ApiReason.INVALID_INPUT, _("La fin précède le début."), field="end")
    if (end - start).days >= days:
        raise ApiError(
            ApiReason.INVALID_INPUT,
            _("Demandez au plus %(days)s jours à la fois.") % {"days": days},
            field="end",
        )
    return start, end


def id_param(help_text: str, *, required: bool = False) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=required, min_value=1, max_value=2**63 - 1, help_text=help_text
    )
