"""Reading a report is audited as one row (who, when, which report): reports name no person."""

from django.db import transaction

from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType


def record_report_read(by, *, key: str, scope_label: str, action=Action.VIEW) -> None:
    with transaction.atomic():
        audit.write(by, action=action, record_type=RecordType.SERVICE_REPORT, record_id=key[:40])


def record_data_quality_read(by) -> None:
    """The data quality page lists people (those the reader may see): one audit row for the list."""
    with transaction.atomic():
        audit.write(by, action=Action.VIEW, record_type=RecordType.DATA_QUALITY)


def start_extract(by, *, start, end, task, kind):
    """Audit the request (who, when, which period) and start the extract in the background."""
    from waypoint.accounts import permissions
    from waypoint.jobs import services as jobs

    permissions.require(by, "run_mhsds_extract")
    period = f"{start:%Y-%m}"
    with transaction.atomic():
        audit.write(by, action=Action.EXPORT, record_type=RecordType.MHSDS_EXTRACT, record_id=period)
    return jobs.start(
        kind=kind,
        title=f"MHSDS submission for {start:%B %Y}",
        user=by.user,
        task=task,
        params={"start": start.isoformat(), "end": end.isoformat()},
    )


def record_extract_download(by, extract_file) -> None:
    with transaction.atomic():
        audit.write(
            by,
            action=Action.EXPORT,
            record_type=RecordType.MHSDS_EXTRACT,
            record_id=f"{extract_file.job_id}:{extract_file.name}"[:40],
        )
