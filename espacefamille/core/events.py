"""Domain events for the town's other software (webhooks), called by the service that does the
thing (DESIGN convention 13: side effects are called, not hidden).

``events_emit(municipality_id=…, name="booking.created", items=[{…}, …])`` (one event per item)
is called inside the service's transaction; the event leaves only once that transaction commits
(``transaction.on_commit``): a rolled-back booking emits nothing. Core imports no app: the
receivers are named in ``settings.EVENT_RECEIVERS`` (dotted paths, as ``ACTING_RESOLVERS``),
e.g. the API's webhook deliveries. Each item carries ids and the minimum of plain values (never
health data): each receiver reads the rows it needs."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

Receiver = Callable[[int, str, list[dict[str, Any]]], None]


@cache
def _receivers(paths: tuple[str, ...]) -> list[Receiver]:
    return [import_string(path) for path in paths]


def event_receivers() -> list[Receiver]:
    """The receivers of ``settings.EVENT_RECEIVERS``, imported once (``config.warmup`` calls it
    when a worker starts, so a family's first booking imports nothing)."""
    return _receivers(tuple(getattr(settings, "EVENT_RECEIVERS", ())))


def events_emit(*, municipality_id: int, name: str, items: list[dict[str, Any]]) -> None:
    """Hand ``name`` and ``items`` to every receiver after the current transaction commits
    (nothing when ``items`` is empty). A receiver that fails does not undo the commit."""
    receivers = event_receivers()
    if not items:
        return
    for receiver in receivers:
        transaction.on_commit(partial(receiver, municipality_id, name, list(items)), robust=True)
