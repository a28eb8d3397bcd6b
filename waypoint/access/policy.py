"""The one place that answers: may this member of staff see this person now, and on what basis?

A *relationship provider* says which people a user has a legitimate relationship with, as a
queryset of person ids. Each bounded context registers its own: `access` registers the team
relationship (the person is on the books of a team the user belongs to); referrals, episodes
(episode, allocation, transfer), duty and tasks register theirs with `register_relationship`, and
nothing here changes. Why: docs/decisions/0004-relationship-providers.md.
Break-glass is checked last and only ever grants time-limited access.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from waypoint.audit.models import Basis

# basis -> function(user, now) returning a queryset of person ids
RelationshipProvider = Callable[[object, object], QuerySet]
_providers: dict[str, RelationshipProvider] = {}


def register_relationship(basis: str, provider: RelationshipProvider) -> None:
    """Plug a new kind of legitimate relationship into the policy (idempotent per basis)."""
    _providers[basis] = provider


def registered_bases() -> list[str]:
    return list(_providers)


@dataclass(frozen=True)
class Access:
    basis: str
    break_glass_reason: str = ""


def _break_glass_person_ids(user, now):
    from .models import BreakGlass

    return BreakGlass.objects.active(now).filter(user=user).values("person_id")


def visible_person_ids(user, now=None):
    """A subquery of the ids of every person the user may see now (relationships or break-glass)."""
    from waypoint.patients.models import Person

    now = now or timezone.now()
    if user is None or not user.is_authenticated or not user.is_active:
        return Person.objects.none().values("pk")
    queryset = Person.objects.filter(pk__in=_break_glass_person_ids(user, now))
    for provider in _providers.values():
        queryset = queryset | Person.objects.filter(pk__in=provider(user, now))
    return queryset.values("pk")


def access_for(user, person, now=None) -> Access | None:
    """The basis on which the user may see the person now, or None."""
    from .models import BreakGlass

    now = now or timezone.now()
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    for basis, provider in _providers.items():
        if provider(user, now).filter(person_id=person.pk).exists():
            return Access(basis=basis)
    grant = (
        BreakGlass.objects.active(now).filter(user=user, person_id=person.pk).order_by("-started_at").first()
    )
    if grant:
        return Access(basis=Basis.BREAK_GLASS, break_glass_reason=grant.reason)
    return None


def get_person_for_view(request, person_id, *, record_type="person", record_id=None, action="view"):
    """Fetch a person the user may see, write the audit row for this view, or raise 404.

    Views never query patient data directly: they come through here (or `visible_to`).
    """
    from waypoint.audit import services as audit
    from waypoint.patients.models import Person

    person = Person.objects.filter(pk=person_id).select_related("gp_practice").first()
    access = access_for(request.user, person) if person else None
    if person is None or access is None:
        raise Http404("No person found")
    audit.record(
        user=request.user,
        person=person,
        action=action,
        record_type=record_type,
        record_id=record_id if record_id is not None else person.pk,
        basis=access.basis,
        break_glass_reason=access.break_glass_reason,
        path=request.path,
    )
    request.person_access = access
    return person, access
