"""With the database task backend (production's), an invitation leaves no activation token or
link in the task table: the task is given ids, and makes the token itself when it sends the
e-mail. The same for every e-mail task: ids in, rendering in the task (DESIGN convention 11)."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.management import call_command
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

import espacefamille
from espacefamille.accounts.emails import account_email_queue
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Guardian
from espacefamille.onboarding.invitations import account_activate, invitation_send

from ..factories import ChildFactory, GuardianFactory, HouseholdFactory

pytestmark = pytest.mark.django_db(transaction=True)  # tasks are queued after commit

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# What an e-mail task may be given besides ids: nothing rendered, nothing secret.
SCALARS = {"kind", "at", "accepted", "cancellation", "reason", "base_url"}


@pytest.fixture
def guardian(town):  # type: ignore[no-untyped-def]
    household = HouseholdFactory(municipality=town, name="TESTMP")
    ChildFactory(household=household, first_name="Clara")
    return GuardianFactory(household=household, rank=1, email="marc.testmp@example.org")


def _task_table() -> str:
    """Everything the task table holds about each task: its arguments and its result."""
    rows = DBTaskResult.objects.values_list("task_path", "args_kwargs", "return_value")
    return json.dumps(list(rows))


def _run_queued_tasks() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0)


def _token(body: str) -> str:
    found = re.search(r"/activation/([^/\s]+)/", body)
    assert found, body
    return found.group(1)


def test_an_invitation_leaves_no_token_in_the_task_table(guardian: Any, settings: Any) -> None:
    settings.TASKS = DATABASE_BACKEND
    with municipality_scope(guardian.municipality):
        invitation_send(guardian=guardian, base_url="http://famille.test")
    queued = _task_table()
    assert "invitation_email_send" in queued and not mail.outbox  # queued, not sent yet
    assert "/activation/" not in queued
    _run_queued_tasks()
    (message,) = mail.outbox
    token = _token(message.body)
    table = _task_table()
    assert token not in table and "/activation/" not in table
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    # The link the task made works: the wizard's last step spends it.
    mail.outbox.clear()
    account_activate(token=token, password_hash=make_password("Azerty123!"))
    _run_queued_tasks()
    assert [m.subject for m in mail.outbox] == ["Votre compte espace famille a bien été créé"]
    assert token not in _task_table()


def test_queued_email_tasks_hold_no_rendered_body_nor_link(guardian: Any, settings: Any) -> None:
    """The invitation, the account-created mail and a password reset, queued with the
    database backend: every argument is an id or a short scalar, no body, no URL to sign in."""
    settings.TASKS = DATABASE_BACKEND
    with municipality_scope(guardian.municipality):
        invitation_send(guardian=guardian, base_url="http://famille.test")
    _run_queued_tasks()
    account_activate(token=_token(mail.outbox[-1].body), password_hash=make_password("Az1!xyzw"))
    with municipality_scope(guardian.municipality):
        user = Guardian.objects.get(pk=guardian.pk).user
    account_email_queue(user=user, kind="password_reset", base_url="http://famille.test")
    rows = list(DBTaskResult.objects.values_list("task_path", "args_kwargs"))
    assert len(rows) == 3
    for path, args_kwargs in rows:
        for name, value in args_kwargs["kwargs"].items():
            assert name.endswith(("_id", "_ids")) or name in SCALARS, (path, name)
            text = json.dumps(value)
            assert "<" not in text and "/activation/" not in text, (path, name)
            assert not re.search(r"https?://\S+/\S{20,}", text), (path, name)
        assert not args_kwargs["args"], path


def _project_tasks() -> list[Task[Any, Any]]:
    found: dict[str, Task[Any, Any]] = {}
    for module_info in pkgutil.walk_packages(espacefamille.__path__, "espacefamille."):
        if ".migrations" in module_info.name or ".tests" in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if isinstance(value, Task):
                found[value.module_path] = value
    return list(found.values())


def test_every_task_is_given_ids_not_what_it_sends() -> None:
    tasks = _project_tasks()
    names = {task.name for task in tasks}
    assert {"invitation_email_send", "send_invoice_email", "account_email_send"} <= names
    for task in tasks:
        for name in inspect.signature(task.func).parameters:
            assert name.endswith(("_id", "_ids")) or name in SCALARS, (task.module_path, name)
