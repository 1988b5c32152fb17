"""Which task is running: the id a retried task keeps, so that what it claimed before its
worker died (billing.emails) is taken over by its own retry and by no other task."""

from __future__ import annotations


def current_task_id() -> str:
    """The id of the RQ job this code runs in (django-tasks-rq gives the task's result id to
    its job, and RQ keeps it across retries), "" outside an RQ worker."""
    from rq import get_current_job

    job = get_current_job()
    return job.id if job is not None else ""
