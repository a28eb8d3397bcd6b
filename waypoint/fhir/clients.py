"""System clients: another system of the Trust's reading Waypoint over FHIR with no member of staff.

A system client is an OAuth 2.0 application (django-oauth-toolkit, client credentials grant) owned
by a *service account*: a Waypoint user with the `system_client` role, no usable password and no
team, registered by the system administrator with a named purpose (`SystemClient`). Its access is
decided by the same policy as staff, through its own basis, `shared_care_record`: the people with an
open episode of care in any team (the people the Trust is caring for now), never the discharged, the
never-referred or anyone only on a waiting list. (The relationship is a subquery the policy adds for
every user; for anyone without the role it is empty.) Every read is audited under the service account.
"""

from django.db.models import Q


def shared_care_record_person_ids(user, now):
    from waypoint.episodes.models import OPEN_EPISODE_STATUSES, Episode

    if not user.has_role("system_client"):
        return Episode.objects.none().values("person_id")
    return Episode.objects.filter(Q(status__in=OPEN_EPISODE_STATUSES)).values("person_id")
