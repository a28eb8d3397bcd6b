"""Ids the reports' URLs take, for the no-relationship sweep (access/tests/test_no_relationship_sweep.py)."""

from waypoint.jobs.models import Job
from waypoint.reports.models import ExtractFile


def record_factories(person, coordinator, team):
    def job():
        found = Job.objects.create(
            kind="mhsds_extract", title="MHSDS submission (synthetic)", requested_by=coordinator
        )
        ExtractFile.objects.create(job=found, name="MHS001MPI", rows=0, content="LocalPatientId\r\n")
        return found.pk

    return {"job_id": job, "table": lambda: "MHS001MPI", "key": lambda: "caseloads"}
