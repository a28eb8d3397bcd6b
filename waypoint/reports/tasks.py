"""The MHSDS extract as a background task (django-tasks, ADR 0015), with progress on its page."""

import io
from datetime import date

from django.db import transaction
from django_tasks import task

from waypoint.core.csv_export import writer
from waypoint.jobs import services as jobs

from . import mhsds
from .models import ExtractFile

KIND = "mhsds_extract"


def as_csv(columns, rows) -> str:
    handle = io.StringIO()
    out = writer(handle, lineterminator="\r\n")
    out.writerow(columns)
    out.writerows(rows)
    return handle.getvalue()


def save_extract(job_id: int, extract: mhsds.Extract) -> None:
    with transaction.atomic():
        files = [
            ExtractFile(job_id=job_id, name=name, rows=len(rows), content=as_csv(columns, rows))
            for name, (columns, rows) in extract.tables.items()
        ]
        failures = [[f.table, f.record, f.item, f.problem] for f in extract.failures]
        files.append(
            ExtractFile(
                job_id=job_id,
                name="validation",
                rows=len(failures),
                content=as_csv(["Table", "Record", "DataItem", "Problem"], failures),
            )
        )
        ExtractFile.objects.bulk_create(files)


@task()
def run_mhsds_extract(job_id: int) -> None:
    with jobs.running(job_id) as job:
        start = date.fromisoformat(job.params["start"])
        end = date.fromisoformat(job.params["end"])

        def progress(done, total, message):
            jobs.progress(job_id, done=done, total=total, message=message)

        save_extract(job_id, mhsds.build(start, end, progress))
