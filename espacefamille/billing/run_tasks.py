"""A monthly run started from the back office: ``invoice_run_start`` marks the run "en cours de
calcul" and queues ``invoice_run_task`` once committed; the task drafts the month (its progress,
households done out of the total, is written per chunk on the run) and, when asked, makes it
final. Since the state lives on the run, the agent's page survives a reload and shows what
the worker has done; a second start of the same month meanwhile is refused."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from espacefamille.audit.records import action_record
from espacefamille.catalog.models import Service
from espacefamille.core.task_queue import task_enqueue_on_commit
from espacefamille.core.tenancy import municipality_scope

from .closed_days import month_refusal
from .emails import send_run_emails
from .errors import BillingError, BillingReason
from .models import InvoiceRun, RunState
from .runs import invoice_run_draft, invoice_run_finalize

if TYPE_CHECKING:
    from espacefamille.accounts.models import User

# A run "en cours" for longer than this lost its worker (killed, machine restarted): it may
# be started again rather than stay blocked forever.
STALE_AFTER = timedelta(hours=2)
FAILURE_MESSAGE_LENGTH = 300


def run_is_in_progress(run: InvoiceRun) -> bool:
    if run.state != RunState.RUNNING or run.failure or run.started_at is None:
        return False
    return timezone.now() - run.started_at < STALE_AFTER


@transaction.atomic
def invoice_run_start(*, service: Service, month: date, final: bool, user: User) -> InvoiceRun:
    """Mark the month's run as started and queue its computation. Refused when the month is
    already final or a computation of it is still going on, for a month to come, and a final
    run of a month that is not over."""
    run = _claim(service=service, month=month, final=final, user=user, via="")
    municipality_id, run_id = run.municipality_id, run.pk
    task_enqueue_on_commit(invoice_run_task, municipality_id=municipality_id, run_id=run_id)
    return run


def invoice_run_compute(*, service: Service, month: date, final: bool, via: str) -> InvoiceRun:
    """The same run computed here and now, with no agent (the command line, which ``via``
    names in the action log): the same refusals as ``invoice_run_start``, then the same
    computation as its task."""
    run = _claim(service=service, month=month, final=final, user=None, via=via)
    return _compute(run, via=via)


@transaction.atomic
def _claim(
    *, service: Service, month: date, final: bool, user: User | None, via: str
) -> InvoiceRun:
    first = month.replace(day=1)
    refusal = month_refusal(first, final=final, today=timezone.localdate())
    if refusal is not None:
        raise BillingError(BillingReason.MONTH_NOT_ALLOWED, refusal)
    run, _created = InvoiceRun.objects.get_or_create(
        municipality_id=service.municipality_id, service=service, month=first
    )
    run = InvoiceRun.objects.select_for_update().get(pk=run.pk)
    if run.state == RunState.FINAL:
        raise BillingError(
            BillingReason.RUN_FINAL,
            _("La facturation de %(month)s est déjà définitive : corrigez par un avoir.")
            % {"month": f"{first:%m/%Y}"},
        )
    if run_is_in_progress(run):
        raise BillingError(
            BillingReason.RUN_IN_PROGRESS,
            _("Une facturation de %(month)s est déjà en cours de calcul : attendez sa fin.")
            % {"month": f"{first:%m/%Y}"},
        )
    run.state = RunState.RUNNING
    run.households_done = 0
    run.household_count = 0
    run.started_at = timezone.now()
    run.started_by = user
    run.finalize_when_drafted = final
    run.failure = ""
    run.save()
    changes = {"mode": "définitive" if final else "brouillon"}
    if via:
        changes["via"] = via
    action_record(
        municipality_id=run.municipality_id,
        actor=user,
        action="invoice_run.start",
        obj=run,
        changes=changes,
    )
    return run


def _compute(run: InvoiceRun, *, via: str = "") -> InvoiceRun:
    """Draft the run's month and, when asked, make it final; a failure is written on the run
    (the agent's page shows it) before it is raised."""
    try:
        # A run already drafted (its task died before making it final) is not drafted again.
        drafted = (
            run
            if run.state == RunState.DRAFT
            else invoice_run_draft(service=run.service, month=run.month)
        )
        if run.finalize_when_drafted:
            return invoice_run_finalize(run=drafted, user=run.started_by, via=via)
        return drafted
    except Exception as error:
        message = str(error) if isinstance(error, BillingError) else _("Erreur technique.")
        InvoiceRun.objects.filter(pk=run.pk).update(failure=message[:FAILURE_MESSAGE_LENGTH])
        raise


@task()
def invoice_run_task(*, municipality_id: int, run_id: int) -> None:
    with municipality_scope(municipality_id):
        run = InvoiceRun.objects.select_related("service", "started_by").get(pk=run_id)
        finished = run.state == RunState.FINAL or (
            run.state == RunState.DRAFT and not run.finalize_when_drafted
        )
        if finished:
            # The task run again (RQ queues a killed worker's task again) after its work had
            # committed: nothing is computed twice. Its worker may have died between the final
            # commit and the queuing of the e-mails: they are queued again, and sent once
            # (billing.emails claims each sending).
            if run.state == RunState.FINAL and run.finalize_when_drafted:
                send_run_emails.enqueue(municipality_id=municipality_id, run_id=run_id)
            return
        _compute(run)
