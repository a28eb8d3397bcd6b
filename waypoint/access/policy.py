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

from django.db import transaction
from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils import timezone

from waypoint.audit.models import Action, Basis, RecordType

from .actor import Actor

__all__ = [
    "Access",
    "Actor",
    "RecordAccess",
    "access_for",
    "bases_for",
    "actor_for",
    "open_record",
    "register_relationship",
    "visible_condition",
    "with_access",
    "access_of",
]

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


def _may_see(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _relationships(user, now):
    """Each relationship's query of person ids for the user now, in registration order, leaving out
    those that are empty (`.none()`: a provider answers so when, say, the user has no team): they
    match nobody, and building and planning their subqueries on every request cost more than the
    rest of an API read (docs/fhir.md, speed)."""
    for basis, provider in _providers.items():
        person_ids = provider(user, now)
        if not person_ids.query.is_empty():
            yield basis, person_ids


def visible_condition(user, now=None, person_ref: str = "pk") -> Q:
    """A filter on people (or on rows whose `person_ref` is a person id): the user may see them now.

    One correlated EXISTS per relationship (and break-glass), each probing its table's person_id
    index for the rows in hand. So the database starts from whatever else narrows the query (an
    NHS number, a name's trigram index, a caseload's ids) and checks only those people; the
    older `pk IN (a) OR pk IN (b) ...` made PostgreSQL build every relationship's full list of
    ids (thousands for a large team) and read every person, on every search.
    """
    from .models import BreakGlass

    now = now or timezone.now()
    if not _may_see(user):
        return Q(pk__in=[])
    outer = OuterRef(person_ref)
    condition = Q(Exists(BreakGlass.objects.active(now).filter(user=user, person_id=outer)))
    for _basis, person_ids in _relationships(user, now):
        condition |= Q(Exists(person_ids.filter(person_id=outer)))
    return condition


def with_access(queryset, user, now=None, person_ref: str = "pk") -> QuerySet:
    """The rows of `queryset` (people, or rows whose `person_ref` is a person id) the user may see
    now, each carrying its basis (`access_of(row)`): `visible_condition` and `bases_for` in one
    query, for an API that must audit every row it returns with its basis. The basis is the first
    relationship that holds, in registration order, else an active break-glass grant (the latest,
    with its reason), exactly as `bases_for` answers."""
    from .models import BreakGlass

    now = now or timezone.now()
    if not _may_see(user):
        return queryset.none()
    outer = OuterRef(person_ref)
    grants = BreakGlass.objects.active(now).filter(user=user, person_id=outer).order_by("-started_at")
    cases = [
        When(Exists(person_ids.filter(person_id=outer)), then=Value(basis))
        for basis, person_ids in _relationships(user, now)
    ]
    cases.append(When(Exists(grants), then=Value(Basis.BREAK_GLASS)))
    return queryset.annotate(
        access_basis=Case(*cases, default=None, output_field=CharField()),
        access_break_glass_reason=Subquery(grants.values("reason")[:1]),
    ).filter(access_basis__isnull=False)


def access_of(row) -> Access | None:
    """The basis `with_access` gave a row (None for a row that did not come through it)."""
    basis = getattr(row, "access_basis", None)
    if not basis:
        return None
    reason = row.access_break_glass_reason or "" if basis == Basis.BREAK_GLASS else ""
    return Access(basis=basis, break_glass_reason=reason)


def visible_person_ids(user, now=None):
    """A subquery of the ids of every person the user may see now (relationships or break-glass)."""
    from waypoint.patients.models import Person

    if not _may_see(user):
        return Person.objects.none().values("pk")
    return Person.objects.filter(visible_condition(user, now)).values("pk")


def access_for(user, person, now=None) -> Access | None:
    """The basis on which the user may see the person now, or None.

    One query answers every relationship at once (an EXISTS each, in registration order); a
    second is made only when there is none, for a break-glass grant and its reason."""
    from waypoint.patients.models import Person

    from .models import BreakGlass

    now = now or timezone.now()
    if not _may_see(user):
        return None
    bases = list(_relationships(user, now))
    if bases:
        flags = {
            f"basis_{index}": Exists(person_ids.filter(person_id=person.pk))
            for index, (_basis, person_ids) in enumerate(bases)
        }
        row = Person.objects.filter(pk=person.pk).annotate(**flags).values(*flags).first() or {}
        for index, (basis, _person_ids) in enumerate(bases):
            if row.get(f"basis_{index}"):
                return Access(basis=basis)
    grant = (
        BreakGlass.objects.active(now).filter(user=user, person_id=person.pk).order_by("-started_at").first()
    )
    if grant:
        return Access(basis=Basis.BREAK_GLASS, break_glass_reason=grant.reason)
    return None


def bases_for(user, person_ids, now=None) -> dict[int, Access]:
    """The basis for each of these people the user may see now (absent: none), however many
    people: for lists and APIs that answer many at once. One query (an EXISTS per relationship, in
    registration order, the first that holds is the basis), and a second for break-glass grants
    only if someone is left without a relationship. (It was one query per relationship provider,
    each built anew: most of the cost of a FHIR read, docs/fhir.md.)"""
    from waypoint.patients.models import Person

    from .models import BreakGlass

    now = now or timezone.now()
    wanted = {pk for pk in person_ids if pk is not None}
    found: dict[int, Access] = {}
    if user is None or not user.is_authenticated or not user.is_active or not wanted:
        return found
    bases = list(_relationships(user, now))
    if bases:
        outer = OuterRef("pk")
        flags = {
            f"basis_{index}": Exists(person_ids.filter(person_id=outer))
            for index, (_basis, person_ids) in enumerate(bases)
        }
        for row in Person.objects.filter(pk__in=wanted).annotate(**flags).values("pk", *flags):
            for index, (basis, _person_ids) in enumerate(bases):
                if row[f"basis_{index}"]:
                    found[row["pk"]] = Access(basis=basis)
                    break
    remaining = wanted - found.keys()
    if remaining:
        grants = (
            BreakGlass.objects.active(now).filter(user=user, person_id__in=remaining).order_by("started_at")
        )
        for grant in grants:
            found[grant.person_id] = Access(basis=Basis.BREAK_GLASS, break_glass_reason=grant.reason)
    return found


def actor_for(request, basis: str = Basis.NONE, break_glass_reason: str = "") -> Actor:
    """The acting user for a page that is not about one person (a search, a team's list): the
    basis is what the page is about (`team`, `none`, `privacy_review`)."""
    return Actor(user=request.user, basis=basis, break_glass_reason=break_glass_reason, path=request.path)


def acting_on(request, person) -> Actor:
    """The acting user for a change about a person whose record is not open on this page (a
    referral recorded at intake): the basis the policy gives them now, or `none`. No audit row."""
    access = access_for(request.user, person)
    if access is None:
        return actor_for(request, Basis.NONE)
    return actor_for(request, access.basis, access.break_glass_reason)


class RecordAccess:
    """What `open_record` answers: the person, the basis, the actor for services, the record (or
    None) and, on first use, the person's current alerts for the banner."""

    def __init__(self, person, access: Access, actor: Actor, record=None):
        self.person = person
        self.access = access
        self.actor = actor
        self.record = record
        self._alerts: list | None = None

    @property
    def alerts(self):
        if self._alerts is None:
            from waypoint.patients.selectors import current_alerts

            self._alerts = list(current_alerts(self.person))
        return self._alerts


def open_record(
    request,
    person_id,
    *,
    model=None,
    record_id=None,
    person_field: str = "person",
    where=None,
    check=None,
    record_type: RecordType = RecordType.PERSON,
    audit_record_id=None,
    action: str = Action.VIEW,
) -> RecordAccess:
    """The one way a view opens a person's record, or one record of theirs.

    1. The person must exist and the user must have a basis for them now (`access_for`).
    2. With `model` and `record_id`, the record must belong to that person (`person_field`, for
       example "plan__person" for a plan revision) and match `where` (a dict or Q, for example
       another id in the URL, or "drafts only for their author"), and `check(record)` must be
       true when given (a rule that is not a query, such as "may cancel this task").
    Any failure is a 404, before anything is audited. Then exactly one audit row is written:
    `action` on `record_type`, with the record's id (or `audit_record_id`), the basis and any
    break-glass reason. Returns a RecordAccess.
    """
    from waypoint.audit import services as audit_services
    from waypoint.patients.models import Person

    person = Person.objects.filter(pk=person_id).select_related("gp_practice").first()
    access = access_for(request.user, person) if person else None
    if person is None or access is None:
        raise Http404("No person found")
    record = None
    if model is not None:
        if record_id is None:
            raise Http404("No record found")
        queryset = model._default_manager.filter(pk=record_id, **{f"{person_field}_id": person.pk})
        if where is not None:
            queryset = queryset.filter(where) if isinstance(where, Q) else queryset.filter(**where)
        record = queryset.first()
        if record is None or (check is not None and not check(record)):
            raise Http404("No record found")
    actor = Actor(
        user=request.user,
        basis=access.basis,
        break_glass_reason=access.break_glass_reason,
        path=request.path,
    )
    if audit_record_id is not None:
        audited_id = audit_record_id
    elif record is not None:
        audited_id = record.pk
    else:  # the person's own page, or a list of their records of one type (no record id)
        audited_id = person.pk if record_type == RecordType.PERSON else ""
    with transaction.atomic():
        audit_services.write(
            actor, action=action, record_type=record_type, person=person, record_id=audited_id
        )
    request.person_access = access
    return RecordAccess(person, access, actor, record)
