"""Audit of the downtime pack pages. A download is a read, so it is allowed while Waypoint is
read-only (its audit rows go to the spool if the database refuses them)."""

from django.db import transaction

from waypoint.accounts import permissions
from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType
from waypoint.patients.models import Person

from .packs import PackInfo

ACTION = "download_downtime_pack"


def record_pack_list(by, team) -> None:
    with transaction.atomic():
        audit.write(by, action=Action.VIEW, record_type=RecordType.DOWNTIME_PACK, record_id=team.pk)


def record_download(by, info: PackInfo) -> int:
    """One row for the download (the team's pack, no person) and one against each person in it,
    so each person's access history shows that their details left Waypoint in a pack."""
    if not permissions.may(by.user, ACTION):  # not `require`: a download is a read, allowed when read-only
        raise permissions.PermissionRefused(ACTION)
    people = list(Person.objects.filter(pk__in=info.person_ids).order_by("pk"))
    with transaction.atomic():
        audit.write(by, action=Action.EXPORT, record_type=RecordType.DOWNTIME_PACK, record_id=info.team_id)
        for person in people:
            audit.write(
                by,
                action=Action.EXPORT,
                record_type=RecordType.DOWNTIME_PACK,
                person=person,
                record_id=info.team_id,
            )
    return len(people)
