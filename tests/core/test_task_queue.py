"""``task_enqueue_on_commit``: a task queued in a transaction exists once it commits and never if
it rolls back. With the database backend on SQLite its row is written inside the transaction
(no second write lock after the commit); on PostgreSQL, and with any other backend, it is queued
after the commit."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django_tasks.signals import task_enqueued
from django_tasks_db.models import DBTaskResult

from espacefamille.accounts.emails import account_email_send
from espacefamille.core.task_queue import task_enqueue_on_commit

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _queue() -> None:
    task_enqueue_on_commit(account_email_send, user_id=1, kind="reset", base_url="https://x/")


def test_a_queued_task_is_stored_with_the_commit_and_not_before_where_it_matters(
    settings: Any,
) -> None:
    settings.TASKS = DATABASE_BACKEND
    with transaction.atomic():
        _queue()
        inside = DBTaskResult.objects.count()
    # SQLite: in the transaction itself; PostgreSQL: after it.
    assert inside == (1 if connection.vendor == "sqlite" else 0)
    assert DBTaskResult.objects.count() == 1
    stored = DBTaskResult.objects.get()
    assert stored.task_path == "espacefamille.accounts.emails.account_email_send"
    assert stored.args_kwargs["kwargs"] == {"user_id": 1, "kind": "reset", "base_url": "https://x/"}


def test_a_rolled_back_transaction_queues_nothing(settings: Any) -> None:
    settings.TASKS = DATABASE_BACKEND
    with transaction.atomic():
        _queue()
        transaction.set_rollback(True)
    assert not DBTaskResult.objects.exists()


def test_another_backend_is_given_the_task_after_the_commit(settings: Any) -> None:
    """The tests' backend runs a task as soon as it is given it: that must be after the
    commit, when the rows it reads exist."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    given: list[bool] = []

    def record(**kwargs: Any) -> None:
        given.append(connection.in_atomic_block)

    task_enqueued.connect(record)
    try:
        with transaction.atomic():
            _queue()
            assert given == []
    finally:
        task_enqueued.disconnect(record)
    assert given == [False]
