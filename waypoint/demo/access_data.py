"""Demo supervision: the student and the support worker are supervised by the North CMHT
coordinator, who countersigns their notes (see docs/permissions.md)."""

from datetime import date

from waypoint.access.models import Supervision

STAFF_SINCE = date(2020, 1, 6)


def build_supervision(*, staff):
    for supervisee in ("student", "support"):
        if supervisee in staff and "coordinator" in staff:
            Supervision.objects.get_or_create(
                supervisee=staff[supervisee],
                supervisor=staff["coordinator"],
                defaults={"started_on": STAFF_SINCE},
            )
