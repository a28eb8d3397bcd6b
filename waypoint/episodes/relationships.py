"""A current allocation gives the allocated worker a relationship with the person."""

from waypoint.access.policy import register_relationship
from waypoint.audit.models import Basis


def allocation_relationship(user, now):
    from .models import Allocation

    return Allocation.objects.current(now).filter(worker=user).values("person_id")


register_relationship(Basis.ALLOCATION, allocation_relationship)
