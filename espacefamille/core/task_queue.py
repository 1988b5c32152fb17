"""Queue a task that must run only if the current transaction commits (an e-mail, a PDF, an
invoicing run): ``task_enqueue_on_commit(task, **ids)``.

By default it is queued after the commit (``transaction.on_commit``): a queue outside the
database (RQ) or a backend that runs the task at once (the tests') must not see it before the
rows it reads exist. With the database backend on SQLite its row is written inside the
transaction instead. It then commits with the change or not at all, and no worker can read it
sooner; written after the commit, it would take SQLite's single write lock a second time, and a
rush of validations queues for that lock twice (bench (c), 200 parents: 43–50 % of the trivial
page's rate before, 53–61 % after, in back-to-back runs). On PostgreSQL it stays after the
commit: there the transaction's row locks (the capacity ledger's) are released sooner."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import connections, router, transaction
from django_tasks.base import Task


def task_enqueue_on_commit(task: Task[Any, Any], **kwargs: Any) -> None:
    """Queue ``task`` with ``kwargs`` (ids and plain values) once the transaction commits;
    nothing is queued if it rolls back."""
    if _stored_in_this_transaction(task):
        task.enqueue(**kwargs)
    else:
        transaction.on_commit(partial(task.enqueue, **kwargs))


def _stored_in_this_transaction(task: Task[Any, Any]) -> bool:
    """The task's backend writes it to a SQLite database in which a transaction is open."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task.get_backend(), DatabaseBackend):
        return False
    connection = connections[router.db_for_write(DBTaskResult)]
    return connection.vendor == "sqlite" and connection.in_atomic_block
