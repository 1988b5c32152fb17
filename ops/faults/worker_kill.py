"""Fault: ``kill -9`` of a task worker in the middle of an invoicing run, then of another in the
middle of the run's e-mails, on the local cluster (``make cluster``). Expected: the run
completes once (RQ queues the dead worker's task again, the other worker runs it), its totals
equal a clean run's (the same month drafted here first), no invoice twice, no number skipped,
and each invoice e-mail sent exactly once: counted in the database (``InvoiceEmail``) and by
the SMTP sink this script runs (aiosmtpd) and points the workers at. Ends with one line of JSON.

    .venv/bin/python ops/faults/worker_kill.py [--households 700] [--smtp-delay 0.3]

The bench town (``banc-panne-worker-<households>``, bench/bench_invoicing.py's builder: 2
children per household, REPAS and GOUTER on the 20 school days of March 2026) is built once in
the cluster's database; every run starts by forgetting the previous one's invoices."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

OPS = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(OPS), str(OPS / "faults"), str(OPS.parent), str(OPS.parent / "bench")]

import cluster  # noqa: E402
import cluster_layout as L  # noqa: E402

SLUG = "banc-panne-worker-{households}"
MONTH = date(2026, 3, 1)
SMTP_PORT = L.PORT_BASE + 40
RUN_TASK = "espacefamille.billing.run_tasks.invoice_run_task"
EMAIL_TASK = "espacefamille.billing.emails.send_invoice_email"


class Sink:
    """An SMTP server on loopback that counts the messages each address received. It waits
    ``delay`` before accepting a message (a mail server's time), so that a kill lands during
    the SMTP exchange more often; a message counts once the server accepted it."""

    def __init__(self, delay: float) -> None:
        from aiosmtpd.controller import Controller

        self.received: Counter[str] = Counter()
        self.in_flight = 0  # messages whose DATA the server holds and has not accepted yet
        self.lock = threading.Lock()
        self.delay = delay
        self.controller = Controller(self, hostname="127.0.0.1", port=SMTP_PORT)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.in_flight += 1
        await asyncio.sleep(self.delay)
        with self.lock:
            self.in_flight -= 1
            self.received.update(envelope.rcpt_tos)
        return "250 OK"

    def total(self) -> int:
        with self.lock:
            return sum(self.received.values())


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=700)
    parser.add_argument("--smtp-delay", type=float, default=0.3, help="seconds per message")
    parser.add_argument("--timeout", type=float, default=900, help="seconds for the whole play")
    return parser.parse_args()


def setup(households: int) -> Any:
    """Django on the cluster's primary (through its pgbouncer), tasks on the cluster's Redis,
    with the bench town."""
    os.environ.update(L.app_env())
    os.environ["DATABASE_URL"] = L.database_url(L.BOUNCER_PORTS["primary"])
    os.environ.pop("DATABASE_REPLICA_URL", None)
    import django

    django.setup()
    import bench_invoicing

    slug = SLUG.format(households=households)
    bench_invoicing.build_town(slug, households)
    from espacefamille.catalog.models import Service
    from espacefamille.core.models import Municipality
    from espacefamille.core.tenancy import municipality_scope

    town = Municipality.objects.get(slug=slug)
    with municipality_scope(town):
        service = Service.objects.get(products__name="GOUTER")
    return town, service


def workers_restart(*, smtp: bool) -> None:
    """Both workers started again, sending to the sink (``smtp``) or not (the cluster's own)."""
    if smtp:
        os.environ.update(CLUSTER_EMAIL_HOST="127.0.0.1", CLUSTER_EMAIL_PORT=str(SMTP_PORT))
    else:
        os.environ.pop("CLUSTER_EMAIL_HOST", None)
        os.environ.pop("CLUSTER_EMAIL_PORT", None)
    for index in range(L.WORKERS):
        cluster.stop_pid(f"worker{index + 1}")
        cluster.worker_start(index)


def clean_run(town: Any, service: Any) -> dict[str, Any]:
    """The month drafted here, without a fault: the totals the faulted run must equal."""
    import bench_invoicing

    from espacefamille.billing.runs import invoice_run_draft
    from espacefamille.core.tenancy import municipality_scope

    bench_invoicing.reset_runs(town.slug)
    begun = time.perf_counter()
    with municipality_scope(town):
        run = invoice_run_draft(service=service, month=MONTH)
    figures = {
        "invoices": run.invoice_count,
        "lines": run.line_count,
        "total": str(run.total),
        "draft_s": round(time.perf_counter() - begun, 1),
    }
    bench_invoicing.reset_runs(town.slug)
    return figures


def busy_worker(task_path: str) -> tuple[int, int, str] | None:
    """(worker index, pid, job id) of one of the cluster's workers now running ``task_path``."""
    import django_rq
    from rq import Worker

    ours = {L.pid_of(f"worker{index + 1}"): index for index in range(L.WORKERS)}
    for worker in Worker.all(connection=django_rq.get_connection()):
        job = worker.get_current_job()
        if job is not None and job.func_name == task_path and worker.pid in ours:
            return ours[worker.pid], worker.pid, job.id
    return None


def wait_for(what: str, condition: Any, deadline: float, step: float = 0.2) -> Any:
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(step)
    raise SystemExit(f"worker_kill: timed out waiting for {what}")


def work_horses(pid: int) -> list[int]:
    """The processes RQ forked from the worker ``pid`` to run its job (each in a process group
    of its own, so that killing the worker's group leaves them running)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid:
            found.append(int(stat.parent.name))
    return found


def kill_and_requeue(task_path: str, deadline: float) -> dict[str, Any]:
    """``kill -9`` the worker running ``task_path``, its work horse first (a machine lost
    takes both), then RQ's maintenance of abandoned jobs once that job's heartbeat expired
    (at most 90 s after the kill): the job is queued again, for the other worker."""
    import django_rq
    from django_tasks_rq.backend import Job
    from rq.registry import StartedJobRegistry

    index, pid, job_id = wait_for(
        f"a worker running {task_path}", lambda: busy_worker(task_path), deadline, 0.05
    )
    horses = work_horses(pid)
    for horse in horses:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(horse, signal.SIGKILL)
    os.killpg(pid, signal.SIGKILL)
    killed_at = time.monotonic()
    L.pid_of(f"worker{index + 1}")  # reaped (this script started it)
    registry = StartedJobRegistry(queue=django_rq.get_queue("default", job_class=Job))
    wait_for(
        "the killed job's heartbeat to expire",
        lambda: job_id in registry.get_expired_job_ids(),
        deadline,
        1.0,
    )
    registry.cleanup()  # what RQ's maintenance (core.rq_tasks.requeue_abandoned) does
    return {
        "worker": f"worker{index + 1}",
        "work_horses_killed": len(horses),
        "job": job_id,
        "requeued_after_s": round(time.monotonic() - killed_at, 1),
        "index": index,
    }


def run_state(run_id: int, town: Any) -> Any:
    from espacefamille.billing.models import InvoiceRun
    from espacefamille.core.tenancy import municipality_scope

    with municipality_scope(town):
        return InvoiceRun.objects.get(pk=run_id)


def emails_settled(run_id: int, town: Any, expected: int) -> bool:
    from espacefamille.billing.models import EmailSendStatus, InvoiceEmail
    from espacefamille.core.tenancy import municipality_scope

    with municipality_scope(town):
        sent = InvoiceEmail.objects.filter(invoice__run_id=run_id, status=EmailSendStatus.SENT)
        return sent.count() >= expected


def play(town: Any, service: Any, sink: Sink, deadline: float) -> dict[str, Any]:
    from django.db import transaction

    from espacefamille.billing.emails import invoice_email_address
    from espacefamille.billing.models import Invoice, InvoiceEmail, RunState
    from espacefamille.billing.run_tasks import invoice_run_start
    from espacefamille.core.tenancy import municipality_scope

    with municipality_scope(town), transaction.atomic():
        run = invoice_run_start(service=service, month=MONTH, final=True, user=None)  # type: ignore[arg-type]
    begun = time.monotonic()
    # First kill: while the run drafts (a chunk of households is committed, not all).
    wait_for(
        "the run's first chunk",
        lambda: (
            run_state(run.pk, town).households_done > 0
            or run_state(run.pk, town).state != RunState.RUNNING
        ),
        deadline,
    )
    at_kill = run_state(run.pk, town)
    first = kill_and_requeue(RUN_TASK, deadline)
    first["killed_at"] = (
        f"{at_kill.state}: {at_kill.households_done}/{at_kill.household_count} households"
    )
    final = wait_for(
        "the run to be final",
        lambda: run_state(run.pk, town).state == RunState.FINAL,
        deadline,
        0.5,
    )
    cluster.worker_start(first.pop("index"))  # a supervisor starts the dead worker again
    run = run_state(run.pk, town)
    with municipality_scope(town):
        invoices = list(Invoice.objects.filter(run=run).select_related("recipient__user"))
        expected = Counter(a for a in (invoice_email_address(i) for i in invoices) if a)
    # Second kill: while the e-mails go out (a quarter of them accepted by the sink).
    wait_for("a quarter of the e-mails", lambda: sink.total() >= len(expected) // 4, deadline)
    # ... at a moment when both workers are in the middle of an SMTP exchange with the sink.
    wait_for(
        "both workers in an SMTP exchange", lambda: sink.in_flight >= L.WORKERS, deadline, 0.01
    )
    second = kill_and_requeue(EMAIL_TASK, deadline)
    second["killed_at"] = f"{sink.total()} of {len(expected)} e-mails accepted"
    cluster.worker_start(second.pop("index"))
    wait_for(
        "every e-mail sent", lambda: emails_settled(run.pk, town, len(expected)), deadline, 1.0
    )
    time.sleep(2)  # a duplicate still on its way would reach the sink now
    elapsed = time.monotonic() - begun
    assert final
    with municipality_scope(town):
        rows = InvoiceEmail.objects.filter(invoice__run=run)
        statuses = Counter(rows.values_list("status", flat=True))
        taken_over = rows.filter(attempts__gt=1).count()
    numbers = sorted(int(i.number.rsplit("-", 1)[-1]) for i in invoices)
    received = dict(sink.received)
    return {
        "run": {
            "state": run.state,
            "invoices": run.invoice_count,
            "lines": run.line_count,
            "total": str(run.total),
            "seconds": round(elapsed, 1),
        },
        "invoice_rows": len(invoices),
        "households_invoiced_twice": len(invoices) - len({i.household_id for i in invoices}),
        "numbers_skipped": (numbers[-1] - numbers[0] + 1 - len(numbers)) if numbers else 0,
        "numbers_first_last": [numbers[0], numbers[-1]] if numbers else [],
        "kill_during_run": first,
        "kill_during_emails": second,
        "emails_expected": len(expected),
        "email_rows": dict(statuses),
        "email_rows_taken_over": taken_over,
        "smtp_received": sum(received.values()),
        "smtp_duplicates": sum(count - 1 for count in received.values() if count > 1),
        "smtp_missing": sum(1 for address in expected if address not in received),
    }


def main() -> None:
    args = arguments()
    deadline = time.monotonic() + args.timeout
    town, service = setup(args.households)
    import common

    sink = Sink(args.smtp_delay)
    sink.controller.start()
    try:
        workers_restart(smtp=True)
        clean = clean_run(town, service)
        figures = play(town, service, sink, deadline)
    finally:
        sink.controller.stop()
        workers_restart(smtp=False)
    run = figures["run"]
    same = (run["invoices"], run["lines"], run["total"]) == (
        clean["invoices"],
        clean["lines"],
        clean["total"],
    )
    ok = (
        same
        and run["state"] == "final"
        and figures["invoice_rows"] == clean["invoices"]
        and figures["households_invoiced_twice"] == 0
        and figures["numbers_skipped"] == 0
        and figures["smtp_duplicates"] == 0
        and figures["smtp_missing"] == 0
        and figures["email_rows"] == {"sent": figures["emails_expected"]}
    )
    print(
        f"worker_kill: run {run['state']} in {run['seconds']} s, totals "
        f"{'equal to' if same else 'DIFFERENT from'} a clean run's ({clean['total']} €, "
        f"{clean['invoices']} invoices); e-mails {figures['smtp_received']} received for "
        f"{figures['emails_expected']} expected, {figures['smtp_duplicates']} twice, "
        f"{figures['smtp_missing']} missing — {'OK' if ok else 'MISSED'}"
    )
    common.emit({"fault": "worker_kill", "ok": ok, "clean_run": clean, **figures})


if __name__ == "__main__":
    main()
