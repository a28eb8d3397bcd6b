"""Relationships the legal services give (registered with the access policy from extensions.py).

- AMHP: the AMHP allocated a request for a Mental Health Act assessment sees the person until the
  request is closed. Before it is picked up, a member of staff with the AMHP role who is on the
  AMHP rota that day sees the people waiting on the board, so they can pick one up.
- BIA: the Best Interests Assessor allocated a liberty authorisation that has not ended.
"""

from django.db.models import Exists, Q
from django.utils import timezone


def amhp_relationship(user, now):
    from waypoint.accounts.models import RoleCode

    from .models import AmhpShift, AssessmentRequest, RequestStatus

    if not user.has_role(RoleCode.AMHP):
        return AssessmentRequest.objects.none().values("person_id")
    day = timezone.localtime(now).date()
    on_rota = Exists(AmhpShift.objects.filter(day=day, amhp=user))
    condition = Q(status=RequestStatus.ALLOCATED, amhp=user) | (Q(status=RequestStatus.WAITING) & Q(on_rota))
    return AssessmentRequest.objects.filter(condition).values("person_id")


def bia_relationship(user, now):
    from waypoint.accounts.models import RoleCode

    from .models import LibertyAuthorisation

    if not user.has_role(RoleCode.BIA):
        return LibertyAuthorisation.objects.none().values("person_id")
    return LibertyAuthorisation.objects.filter(
        bia=user, ended_on__isnull=True, entered_in_error=False
    ).values("person_id")
