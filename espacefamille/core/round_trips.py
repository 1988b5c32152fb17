"""Statements sent to PostgreSQL together, their answers read in one round trip (issue 17).

Each statement of a request waits for its answer: the worker sleeps, the server wakes, and
under a rush each round trip costs both processes a context switch and cold caches. A
validation ran 17 (each extra round trip took about one point off the 200-parent rush's rate
in interleaved runs). Where the next statement does not need the previous one's answer —
the transaction's ``BEGIN``, the bound on its lock waits and its first write — psycopg's
pipeline mode sends them together and reads their answers at the end of the block (a fetch
inside the block reads the answers sent so far, and the block's end then costs one more round
trip: read rows after the block).

Inside ``one_round_trip`` a statement's ``rowcount`` is known only once the block has ended
or a fetch has read the answers: use it for statements whose count is read after the block
(``PreparedWrite.send`` returns it so) or whose rows are fetched. ORM calls that read a count
(``save``, ``update``) must stay outside. Errors surface at that fetch or at the block's end,
as Django's exceptions. On SQLite (in-process: no round trips) and behind pgbouncer (the
server does not bind the parameters there) the block changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections


def pipelines(connection: Any) -> bool:
    """Whether ``connection`` can send statements together: PostgreSQL with the parameters
    bound by the server (config/settings.py)."""
    return (
        connection.vendor == "postgresql"
        and connection.settings_dict.get("OPTIONS", {}).get("server_side_binding") is True
    )


@contextmanager
def one_round_trip(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """The statements run in the block are sent together; their answers are read at the first
    fetch, or at the end of the block (which raises any error one of them met)."""
    connection = connections[using]
    if not pipelines(connection):
        yield
        return
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield
