"""Reads that may go to a streaming replica, writes that never do.

With ``DATABASE_REPLICA_URL`` set (``settings.DATABASES["replica"]``), ``ReplicaRouter`` sends a
read to the replica only when three things hold:

- the code asked for it: a view wrapped in ``replica_reads_view`` or a block under
  ``replica_reads()``. Only pages that tolerate a second of staleness opt in (the family's
  agenda week, the town's dashboard, the kitchen's counts and their exports); everything else —
  every domain service, every lock (``select_for_update`` is a write), the session and the
  sign-in — reads the primary, as without a replica;
- the request is not pinned to the primary: a browser that wrote in the last
  ``REPLICA_PIN_SECONDS`` seconds (``PrimaryPinMiddleware`` sets a short-lived cookie after any
  POST/PUT/PATCH/DELETE) and a request that has written already read the primary, so a parent
  who just validated sees the booking even when the replica lags;
- no transaction is open on the primary (what is read in one stays consistent with it), and the
  replica did not fail in the last ``REPLICA_RETRY_SECONDS`` seconds.

A page wrapped in ``replica_reads_view`` whose replica fails (stopped, unreachable) is computed
again on the primary, and the replica is left alone for ``REPLICA_RETRY_SECONDS``: the page
answers, a little later, never with an error of its own. Without a replica alias nothing
changes anywhere (no cookie, no routing).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse
from django.utils.connection import ConnectionDoesNotExist

logger = logging.getLogger(__name__)

REPLICA = "replica"
PIN_COOKIE = "ef_primary"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Apps whose tables are always read on the primary: the session and the sign-in (a session
# created a moment ago must exist), the login limits and the task queue.
PRIMARY_ONLY_APPS = frozenset(
    {"sessions", "accounts", "axes", "otp_totp", "otp_static", "django_tasks_db"}
)

_allowed: ContextVar[bool] = ContextVar("replica_reads_allowed", default=False)
_pinned: ContextVar[bool] = ContextVar("primary_pinned", default=False)
_replica_down_until = 0.0  # time.monotonic() before which the replica is not tried again

P = ParamSpec("P")
R = TypeVar("R")


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_available() -> bool:
    return replica_configured() and time.monotonic() >= _replica_down_until


def mark_replica_down() -> None:
    """Leave the replica alone for ``REPLICA_RETRY_SECONDS`` (this process)."""
    global _replica_down_until
    _replica_down_until = time.monotonic() + settings.REPLICA_RETRY_SECONDS
    with contextlib.suppress(DatabaseError, ConnectionDoesNotExist):
        connections[REPLICA].close()


def reset_replica_state() -> None:
    """Forget a replica failure (tests, and an operator's shell after a repair)."""
    global _replica_down_until
    _replica_down_until = 0.0


@contextlib.contextmanager
def replica_reads() -> Iterator[None]:
    """Within the block, reads outside a transaction may go to the replica (see the module)."""
    token = _allowed.set(True)
    try:
        yield
    finally:
        _allowed.reset(token)


@contextlib.contextmanager
def primary_pinned() -> Iterator[None]:
    """Within the block every read goes to the primary (a session that wrote lately)."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def reads_go_to_replica() -> bool:
    return _allowed.get() and not _pinned.get() and replica_available() and not _in_transaction()


def _in_transaction() -> bool:
    """Whether the code opened a transaction on the primary (the test case's own transactions,
    which wrap every test, do not count)."""
    blocks = connections[DEFAULT_DB_ALIAS].atomic_blocks
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


def replica_reads_view(view: Callable[P, R]) -> Callable[P, R]:
    """A view whose reads may come from the replica; computed again on the primary when the
    replica fails. For pages that only read (a write made by the view pins the rest of the
    request to the primary all the same)."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        if not replica_available():
            return view(*args, **kwargs)
        request = next((a for a in args if isinstance(a, HttpRequest)), None)
        if request is not None and hasattr(request, "user"):
            # The session and the user on the primary, before any read may go elsewhere.
            bool(request.user.is_authenticated)
        try:
            with replica_reads():
                return view(*args, **kwargs)
        except DatabaseError as error:
            if not _failed_on_replica(error):
                raise
            logger.warning("replica unavailable (%s), reading the primary", type(error).__name__)
            mark_replica_down()
            return view(*args, **kwargs)

    return wrapped


def _failed_on_replica(error: DatabaseError) -> bool:
    """Whether ``error`` came from the replica's connection (not from the primary)."""
    if not replica_configured():
        return False
    replica = connections[REPLICA]
    if replica.connection is None or replica.is_usable() is False:
        return True
    return bool(getattr(replica, "errors_occurred", False))


class ReplicaRouter:
    """Reads of opted-in code to the replica (module docstring), all else to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        if model._meta.app_label not in PRIMARY_ONLY_APPS and reads_go_to_replica():
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: Any, **hints: Any) -> str:
        if model._meta.app_label not in PRIMARY_ONLY_APPS:
            _pinned.set(True)  # what follows in this request reads what it wrote
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database and its copy

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


class PrimaryPinMiddleware:
    """Pins to the primary the requests of a browser that wrote in the last
    ``REPLICA_PIN_SECONDS`` seconds (a cookie with that lifetime, set after each write). The
    cookie only routes reads: a forged one reads the primary, nothing else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        token = _pinned.set(PIN_COOKIE in request.COOKIES)
        try:
            response = self.get_response(request)
            wrote = _pinned.get() and PIN_COOKIE not in request.COOKIES
        finally:
            _pinned.reset(token)
        if request.method in UNSAFE_METHODS or wrote:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
