"""Start background jobs and report their progress. The one way Waypoint runs long work.

    job = jobs.start(kind="mhsds_extract", title="MHSDS extract for November 2026",
                     user=request.user, task=run_extract_task, params={...})

`task` is a function decorated with `django_tasks.task`; it is enqueued with the job's id as its
only argument and should call `jobs.progress(job_id, done, total)` as it goes, inside `jobs.running`:

    @task()
    def run_extract_task(job_id: int) -> None:
        with jobs.running(job_id) as job:
            ...
            jobs.progress(job_id, done=3, total=12, message="MHS101 referrals")

With the database backend (the default) a worker runs it (`manage.py db_worker`, started by
`make demo` and `make worker`); the test settings use the immediate backend, so tests run it at once.
"""

import logging
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone

from .models import Job, JobStatus

log = logging.getLogger(__name__)


def start(*, kind: str, title: str, user, task, params: dict | None = None) -> Job:
    with transaction.atomic():
        job = Job.objects.create(kind=kind, title=title, requested_by=user, params=params or {})
    result = task.enqueue(job.pk)
    Job.objects.filter(pk=job.pk, task_result_id="").update(task_result_id=str(result.id))
    job.refresh_from_db()
    return job


def progress(job_id: int, *, done: int, total: int, message: str = "") -> None:
    Job.objects.filter(pk=job_id).update(done=done, total=total, message=message[:300])


@contextmanager
def running(job_id: int):
    """Mark the job running, yield it, then mark it done, or failed (and re-raise) on an error."""
    Job.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, started_at=timezone.now())
    job = Job.objects.get(pk=job_id)
    try:
        yield job
    except Exception as error:
        log.exception("Background job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, finished_at=timezone.now(), message=f"Failed: {type(error).__name__}"
        )
        raise
    Job.objects.filter(pk=job_id).update(status=JobStatus.DONE, finished_at=timezone.now())
