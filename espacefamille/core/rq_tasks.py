"""The task queue on Redis (django-tasks-rq), for deployments with several app nodes and
workers (``TASKS_BACKEND=espacefamille.core.rq_tasks.RetryingRQBackend`` with ``REDIS_URL``).

RQ moves a job whose worker died (``kill -9``, a machine lost) to its failed jobs unless the job
has retries left; this backend gives every job ``ABANDONED_RETRIES`` of them, so the job runs
again on another worker once RQ's maintenance finds it abandoned (its heartbeat expired):
at-least-once, so a task must bear being run again (docs/deployment.md says which do not yet).
A task that raises is retried the same way. ``requeue_abandoned`` is that maintenance, run on
demand (an operator, a fault script)."""

from __future__ import annotations

from typing import Any

import django_rq
from django_tasks.base import TASK_MAX_PRIORITY, Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_rq.backend import Job, RQBackend, failed_callback, success_callback
from rq import Retry
from rq.job import Callback, JobStatus
from rq.registry import StartedJobRegistry

ABANDONED_RETRIES = 3


class RetryingRQBackend(RQBackend):
    """django-tasks-rq's backend whose jobs are queued again when their worker dies."""

    def enqueue(self, task: Task[Any, Any], args: Any, kwargs: Any) -> TaskResult[Any]:
        self.validate_task(task)
        task_result: TaskResult[Any] = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        queue = django_rq.get_queue(task.queue_name, job_class=Job)
        job = queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=task_result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(failed_callback),
            on_success=Callback(success_callback),
            meta={"backend_name": self.alias},
            retry=Retry(max=ABANDONED_RETRIES),
        )
        if task.run_after is None:
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            job = queue.schedule_job(job, task.run_after)
        object.__setattr__(task_result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=task_result)
        return task_result


def requeue_abandoned(queue_name: str = "default", *, at: float | None = None) -> int:
    """RQ's maintenance of the started jobs: those whose heartbeat expired before ``at`` (now
    by default) are queued again while they have retries left. Returns how many were found."""
    queue = django_rq.get_queue(queue_name, job_class=Job)
    registry = StartedJobRegistry(queue=queue)
    expired = registry.get_expired_job_ids(at)
    registry.cleanup(at)
    return len(expired)
