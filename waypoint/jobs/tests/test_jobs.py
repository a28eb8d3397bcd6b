"""Background jobs: enqueued on the task framework (run at once in tests), with progress."""

import pytest
from django_tasks import task

from waypoint.accounts.factories import UserFactory
from waypoint.jobs import services as jobs
from waypoint.jobs.models import Job, JobStatus


@task()
def counting_task(job_id: int) -> None:
    with jobs.running(job_id):
        for done in range(1, 4):
            jobs.progress(job_id, done=done, total=3, message=f"Step {done}")


@task()
def failing_task(job_id: int) -> None:
    with jobs.running(job_id):
        raise ValueError("synthetic failure")


@pytest.mark.django_db
def test_a_job_runs_on_the_task_framework_and_records_its_progress():
    job = jobs.start(kind="test", title="Counting", user=UserFactory(), task=counting_task)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.done == 3 and job.total == 3 and job.percent == 100
    assert job.task_result_id and job.finished_at is not None


@pytest.mark.django_db
def test_a_failed_job_says_so():
    job = jobs.start(kind="test", title="Failing", user=UserFactory(), task=failing_task)
    job = Job.objects.get(pk=job.pk)
    assert job.status == JobStatus.FAILED and job.message == "Failed: ValueError"
