"""The booking tests' town, family and frozen clock (tests/bookings/conftest.py)."""

import threading
from collections.abc import Callable

from django.db import connection

from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope

from ..bookings.conftest import frozen, setup  # noqa: F401


def two_workers_at_once(town: Municipality, send: Callable[..., int]) -> list[int]:
    """Run ``send(municipality=town)`` in two threads released together (two task workers on
    the same periodic command); the counts each sent, sorted. PostgreSQL only: SQLite's shared
    in-memory test base refuses the second writer."""
    barrier = threading.Barrier(2)
    written: list[int] = []

    def worker() -> None:
        try:
            with municipality_scope(town):
                barrier.wait()
                written.append(send(municipality=town))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(written)
