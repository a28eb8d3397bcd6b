"""What each resource type offers: its records (always scoped by the access policy), its search
parameters and how each narrows the records. One place, so the CapabilityStatement, the searches
and the tests say the same thing."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from waypoint.audit.models import RecordType

from . import resources


class BadParameter(ValueError):
    """A search parameter whose value cannot be understood (answered with an OperationOutcome)."""


PREFIXES = {"eq": "", "ge": "__gte", "le": "__lte", "gt": "__gt", "lt": "__lt"}


def date_filter(field_name: str) -> Callable[[QuerySet, str], QuerySet]:
    def narrow(records: QuerySet, value: str) -> QuerySet:
        match = re.fullmatch(r"(eq|ge|le|gt|lt)?(\d{4}-\d{2}-\d{2})", value)
        if not match:
            raise BadParameter(
                f"Dates are searched as yyyy-mm-dd with an optional prefix (ge, le): {value!r}"
            )
        try:
            on = date.fromisoformat(match.group(2))
        except ValueError as error:
            raise BadParameter(f"Not a date: {value!r}") from error
        return records.filter(**{f"{field_name}{PREFIXES[match.group(1) or 'eq']}": on})

    return narrow


def patient_filter(person_field: str) -> Callable[[QuerySet, str], QuerySet]:
    def narrow(records: QuerySet, value: str) -> QuerySet:
        pk = value.removeprefix("Patient/")
        if not pk.isascii() or not pk.isdigit() or len(pk) > 18:
            return records.none()
        return records.filter(**{f"{person_field}_id": int(pk)})

    return narrow


def id_filter(records: QuerySet, value: str) -> QuerySet:
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        return records.none()
    return records.filter(pk=int(value))


def identifier_filter(records: QuerySet, value: str) -> QuerySet:
    system, _, code = value.rpartition("|")
    code = code.replace(" ", "")
    if system in ("", resources.NHS_NUMBER_SYSTEM) and code.isdigit() and len(code) == 10:
        query = Q(nhs_number=code)
        if system == "":
            query |= Q(local_id=code)
        return records.filter(query)
    if system in ("", resources.LOCAL_ID_SYSTEM):
        return records.filter(local_id=code)
    return records.none()


def name_filter(field_name: str) -> Callable[[QuerySet, str], QuerySet]:
    # FHIR string search: case-insensitive, matching the start of the name.
    def narrow(records: QuerySet, value: str) -> QuerySet:
        if not value.strip():
            raise BadParameter("A name to search for is needed")
        return records.filter(**{f"{field_name}__istartswith": value.strip()})

    return narrow


def choice_filter(
    field_name: str, mapping: dict[str, tuple[str, ...]]
) -> Callable[[QuerySet, str], QuerySet]:
    def narrow(records: QuerySet, value: str) -> QuerySet:
        wanted = [v for token in value.split(",") for v in mapping.get(token.strip(), ())]
        return records.filter(**{f"{field_name}__in": wanted})

    return narrow


def last_updated_filter(field_name: str) -> Callable[[QuerySet, str], QuerySet]:
    return date_filter(f"{field_name}__date")


@dataclass(frozen=True)
class ResourceType:
    name: str
    record_type: RecordType
    records: Callable[[Any], QuerySet]  # user -> the records the user may see, ready to map
    to_fhir: Callable[[Any], dict]
    person_of: Callable[[Any], int]
    version_of: Callable[[Any], int]
    parameters: dict[str, Callable[[QuerySet, str], QuerySet]] = field(default_factory=dict)
    documentation: dict[str, str] = field(default_factory=dict)
    # The basis every audit row of this type is written with, when it is not the relationship
    # (the privacy officer reads the audit under `privacy_review`).
    audit_basis: str = ""
    # A resource type served from more than one table (Observation: outcome measures and physical
    # health measurements) has one part per table. Each further part has the same parameters and
    # its own id prefix ("ph-12"), so ids never collide; the first part's ids are plain numbers.
    id_prefix: str = ""
    more: tuple["ResourceType", ...] = ()

    @property
    def parts(self) -> tuple["ResourceType", ...]:
        return (self, *self.more)

    def id_of(self, record) -> str:
        return f"{self.id_prefix}{record.pk}"

    def part_for(self, record_id: str) -> tuple["ResourceType", int] | None:
        """The part an id belongs to and its primary key, or None for an id no part could hold."""
        for part in sorted(self.parts, key=lambda p: -len(p.id_prefix)):
            if record_id.startswith(part.id_prefix):
                pk = record_id[len(part.id_prefix) :]
                if pk.isascii() and pk.isdigit() and len(pk) <= 18:
                    return part, int(pk)
                return None
        return None


def _visible(records: QuerySet, user) -> QuerySet:
    """The records of people the user may see now, each with the basis for its audit row
    (`with_access`: the access check and the basis in the record's own query)."""
    from waypoint.access.policy import with_access

    return with_access(records, user, person_ref="person_id")


def _visible_people(user):
    """The people, each with their open Mental Health Act periods and any deprivation of liberty
    authorisation in force today (for the legal status extension), in two queries a page."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce
    from django.utils import timezone

    from waypoint.legal.models import LibertyAuthorisation, MhaPeriod
    from waypoint.patients.models import Person

    today = timezone.localdate()
    in_force = (
        LibertyAuthorisation.objects.filter(
            person=OuterRef("pk"), entered_in_error=False, ended_on__isnull=True, starts_on__lte=today
        )
        .annotate(ends=Coalesce("extended_to", "expires_on"))
        .filter(ends__gte=today)
        .order_by("-starts_on", "-pk")
    )
    from waypoint.access.policy import with_access

    # The basis for each person's audit row comes in the same query (`with_access`), not a second.
    return (
        with_access(Person.objects.all(), user)
        .select_related("gp_practice")
        .prefetch_related(
            Prefetch(
                "mha_periods",
                queryset=MhaPeriod.objects.open().select_related("rule").order_by("starts_on", "pk"),
                to_attr="open_mha_periods",
            )
        )
        .annotate(
            liberty_kind=Subquery(in_force.values("kind")[:1]),
            liberty_starts=Subquery(in_force.values("starts_on")[:1]),
            liberty_ends=Subquery(in_force.values("ends")[:1]),
        )
        .order_by("pk")
    )


def _visible_episodes(user):
    from waypoint.episodes.models import Allocation, AllocationKind, Episode

    coordinators = Prefetch(
        "allocations",
        queryset=Allocation.objects.current()
        .filter(kind=AllocationKind.CARE_COORDINATOR)
        .select_related("worker")
        .order_by("-started_at"),
        to_attr="coordinator_allocations",
    )
    return (
        _visible(Episode.objects.all(), user)
        .select_related("team")
        .prefetch_related(coordinators)
        .order_by("pk")
    )


def _visible_alerts(user):
    from waypoint.patients.models import Alert

    return _visible(Alert.objects.all(), user).order_by("pk")


def _visible_carers(user):
    from waypoint.patients.models import Carer

    return _visible(Carer.objects.all(), user).order_by("pk")


def _visible_plans(user):
    from waypoint.plans.models import Plan, PlanRevision, RevisionStatus

    live = Prefetch(
        "revisions",
        queryset=PlanRevision.objects.exclude(status=RevisionStatus.SUPERSEDED).order_by("-number"),
        to_attr="live_revisions",
    )
    return _visible(Plan.objects.all(), user).prefetch_related(live).order_by("pk")


def _plan_to_fhir(plan):
    from waypoint.plans.sections import sections_for

    revisions = getattr(plan, "live_revisions", [])
    agreed = [r for r in revisions if r.status == "agreed"]
    plan.current_revision = agreed[0] if agreed else (revisions[0] if revisions else None)
    plan.sections = sections_for(plan.kind)
    return resources.care_plan(plan)


def _visible_contacts(user):
    from waypoint.contacts.models import Contact

    return (
        _visible(Contact.objects.current().filter(entered_in_error_at__isnull=True), user)
        .select_related("team")
        .prefetch_related("staff")
        .order_by("pk")
    )


def _visible_appointments(user):
    from waypoint.contacts.models import Appointment

    return _visible(Appointment.objects.all(), user).prefetch_related("staff", "contacts").order_by("pk")


def _visible_tasks(user):
    from waypoint.tasks.models import Task

    return _visible(Task.objects.all(), user).select_related("assigned_to", "assigned_by").order_by("pk")


def _audit_events(user):
    """The audit, for privacy officers only (everyone else sees none of it): their review of who
    saw a person's record does not need a relationship with the person (access.roles)."""
    from waypoint.audit.models import AuditEvent

    if not user.has_role("privacy_officer"):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(person__isnull=False).select_related("user").order_by("pk")


def _visible_measures(user):
    from waypoint.measures.models import Measure

    return _visible(Measure.objects.current().all(), user).order_by("pk")


def _measure_filter(records: QuerySet, value: str) -> QuerySet:
    """`code`: the measure's SNOMED code or Waypoint's code (PHQ9, GAD7...), with or without a system."""
    from waypoint.measures.definitions import builtin

    _, _, code = value.rpartition("|")
    wanted = {code}
    for entry in builtin.BUILT_IN:
        if entry.get("snomed") == code:
            wanted.add(str(entry["code"]))
    return records.filter(code__in=wanted)


def _episode_to_fhir(episode):
    allocations = getattr(episode, "coordinator_allocations", [])
    episode.current_coordinator = allocations[0].worker if allocations else None
    return resources.episode_of_care(episode)


def _visible_medicines(user):
    from waypoint.medicines.models import Medicine

    return _visible(Medicine.objects.all(), user).select_related("reference").order_by("pk")


def _visible_depots(user):
    from waypoint.medicines.models import DepotPrescription

    return _visible(DepotPrescription.objects.all(), user).select_related("reference", "team").order_by("pk")


def _statement_status(records: QuerySet, value: str) -> QuerySet:
    """`status`: active (not stopped, or stopping later) or stopped; a medicine is never deleted."""
    from django.utils import timezone

    today = timezone.localdate()
    wanted = {token.strip() for token in value.split(",")}
    query = Q(pk__in=[])
    if "active" in wanted:
        query |= Q(stopped_on__isnull=True) | Q(stopped_on__gt=today)
    if "stopped" in wanted or "completed" in wanted:
        query |= Q(stopped_on__lte=today)
    return records.filter(query)


def _visible_administrations(user):
    from waypoint.medicines.models import DepotAdministration

    return (
        _visible(DepotAdministration.objects.all(), user)
        .select_related("prescription", "prescription__reference", "given_by", "correction")
        .order_by("pk")
    )


def _administration_status(records: QuerySet, value: str) -> QuerySet:
    wanted = {token.strip() for token in value.split(",")}
    query = Q(pk__in=[])
    if "completed" in wanted:
        query |= Q(outcome="given", correction__isnull=True)
    if "not-done" in wanted:
        query |= Q(outcome__in=("missed", "refused"), correction__isnull=True)
    if "entered-in-error" in wanted:
        query |= Q(correction__isnull=False)
    return records.filter(query)


def _visible_measurements(user):
    """Physical health measurements of checks not entered in error, with the check's red-zone
    flags (one query for the page's flags)."""
    from waypoint.medicines.models import Measurement

    return (
        _visible(Measurement.objects.filter(check_record__correction__isnull=True), user)
        .select_related("check_record")
        .prefetch_related("check_record__flags")
        .order_by("pk")
    )


def _measurement_filter(records: QuerySet, value: str) -> QuerySet:
    """`code` for physical health: a LOINC or SNOMED code from `resources.PHYSICAL_HEALTH_CODES`,
    or Waypoint's element name (bmi, blood_pressure...), with or without a system."""
    system, _, code = value.rpartition("|")
    wanted = set()
    for element, codes in resources.PHYSICAL_HEALTH_CODES.items():
        for coding in codes["coding"]:
            if coding["code"] == code and system in ("", coding["system"]):
                wanted.add(element)
    if (
        system in ("", resources.WAYPOINT_CODES + "physical-health")
        and code in resources.PHYSICAL_HEALTH_CODES
    ):
        wanted.add(code)
    return records.filter(element__in=wanted)


PHYSICAL_HEALTH_OBSERVATION = ResourceType(
    "Observation",
    RecordType.PHYSICAL_HEALTH_CHECK,
    _visible_measurements,
    resources.physical_health_observation,
    lambda measurement: measurement.person_id,
    lambda measurement: 1,
    {
        "patient": patient_filter("person"),
        "date": date_filter("measured_on"),
        "code": _measurement_filter,
    },
    id_prefix="ph-",
)

DEPOT_STATEMENT = ResourceType(
    "MedicationStatement",
    RecordType.DEPOT,
    _visible_depots,
    resources.depot_medication_statement,
    lambda depot: depot.person_id,
    lambda depot: depot.version,
    {
        "patient": patient_filter("person"),
        "status": _statement_status,
        "effective": date_filter("started_on"),
    },
    id_prefix="depot-",
)


RESOURCE_TYPES: dict[str, ResourceType] = {
    "Patient": ResourceType(
        "Patient",
        RecordType.PERSON,
        _visible_people,
        resources.patient,
        lambda person: person.pk,
        lambda person: person.version,
        {
            "_id": id_filter,
            "identifier": identifier_filter,
            "family": name_filter("family_name"),
            "given": name_filter("given_name"),
            "birthdate": date_filter("date_of_birth"),
            "_lastUpdated": last_updated_filter("updated_at"),
        },
        {
            "identifier": "NHS number: https://fhir.nhs.uk/Id/nhs-number|9990000018",
            "family": "Family name, from its start, ignoring case",
            "given": "Given name, from its start, ignoring case",
            "birthdate": "Date of birth, yyyy-mm-dd, with ge/le/gt/lt",
            "_lastUpdated": "Date last changed, yyyy-mm-dd, with ge/le/gt/lt",
        },
    ),
    "EpisodeOfCare": ResourceType(
        "EpisodeOfCare",
        RecordType.EPISODE,
        _visible_episodes,
        _episode_to_fhir,
        lambda episode: episode.person_id,
        lambda episode: episode.version,
        {
            "patient": patient_filter("person"),
            "status": choice_filter(
                "status", {"active": ("open", "transfer_pending"), "finished": ("closed",)}
            ),
            "date": date_filter("started_on"),
        },
        {
            "patient": "Patient/<id>",
            "status": "active or finished",
            "date": "Start of the episode, yyyy-mm-dd, with ge/le/gt/lt",
        },
    ),
    "Flag": ResourceType(
        "Flag",
        RecordType.ALERT,
        _visible_alerts,
        resources.flag,
        lambda alert: alert.person_id,
        lambda alert: 1,
        {
            "patient": patient_filter("person"),
            "status": lambda records, value: (
                records.filter(ended_at__isnull={"active": True, "inactive": False}.get(value, None))
                if value in ("active", "inactive")
                else records.none()
            ),
        },
        {"patient": "Patient/<id>", "status": "active or inactive"},
    ),
    "RelatedPerson": ResourceType(
        "RelatedPerson",
        RecordType.CARER,
        _visible_carers,
        resources.related_person,
        lambda carer: carer.person_id,
        lambda carer: 1,
        {"patient": patient_filter("person")},
        {"patient": "Patient/<id>"},
    ),
    "CarePlan": ResourceType(
        "CarePlan",
        RecordType.PLAN,
        _visible_plans,
        _plan_to_fhir,
        lambda plan: plan.person_id,
        lambda plan: plan.current_revision.version if getattr(plan, "current_revision", None) else 1,
        {
            "patient": patient_filter("person"),
            "category": choice_filter(
                "kind", {k: (k,) for k in ("care", "crisis", "relapse_prevention", "safety", "wellness")}
            ),
        },
        {"patient": "Patient/<id>", "category": "care, crisis, relapse_prevention, safety or wellness"},
    ),
    "Encounter": ResourceType(
        "Encounter",
        RecordType.CONTACT,
        _visible_contacts,
        resources.encounter,
        lambda contact: contact.person_id,
        lambda contact: 1,
        {"patient": patient_filter("person"), "date": date_filter("date")},
        {"patient": "Patient/<id>", "date": "Date of the contact, yyyy-mm-dd, with ge/le/gt/lt"},
    ),
    "Appointment": ResourceType(
        "Appointment",
        RecordType.APPOINTMENT,
        _visible_appointments,
        resources.appointment,
        lambda booked: booked.person_id,
        lambda booked: 1,
        {"patient": patient_filter("person"), "date": date_filter("date")},
        {"patient": "Patient/<id>", "date": "Date of the appointment, yyyy-mm-dd, with ge/le/gt/lt"},
    ),
    "Task": ResourceType(
        "Task",
        RecordType.TASK,
        _visible_tasks,
        resources.task,
        lambda delegated: delegated.person_id,
        lambda delegated: delegated.version,
        {
            "patient": patient_filter("person"),
            "status": choice_filter(
                "status", {"requested": ("open",), "completed": ("done",), "cancelled": ("cancelled",)}
            ),
        },
        {"patient": "Patient/<id>", "status": "requested, completed or cancelled"},
    ),
    "Observation": ResourceType(
        "Observation",
        RecordType.OUTCOME_MEASURE,
        _visible_measures,
        resources.observation,
        lambda measure: measure.person_id,
        lambda measure: 1,
        {"patient": patient_filter("person"), "date": date_filter("completed_on"), "code": _measure_filter},
        {
            "patient": "Patient/<id>",
            "date": "Date completed or measured, yyyy-mm-dd, with ge/le/gt/lt",
            "code": "An outcome measure (its SNOMED code or Waypoint's code: PHQ9, GAD7, CORE10...) or a "
            "physical health measurement (LOINC or SNOMED, e.g. http://loinc.org|39156-5 for BMI, or "
            "Waypoint's element: bmi, blood_pressure, hba1c...)",
        },
        more=(PHYSICAL_HEALTH_OBSERVATION,),
    ),
    "QuestionnaireResponse": ResourceType(
        "QuestionnaireResponse",
        RecordType.OUTCOME_MEASURE,
        _visible_measures,
        resources.questionnaire_response,
        lambda measure: measure.person_id,
        lambda measure: 1,
        {"patient": patient_filter("person"), "authored": date_filter("recorded_at__date")},
        {"patient": "Patient/<id>", "authored": "Day recorded, yyyy-mm-dd, with ge/le/gt/lt"},
    ),
    "MedicationStatement": ResourceType(
        "MedicationStatement",
        RecordType.MEDICINE,
        _visible_medicines,
        resources.medication_statement,
        lambda medicine: medicine.person_id,
        lambda medicine: medicine.version,
        {
            "patient": patient_filter("person"),
            "status": _statement_status,
            "effective": date_filter("started_on"),
        },
        {
            "patient": "Patient/<id>",
            "status": "active or stopped",
            "effective": "Date started, yyyy-mm-dd, with ge/le/gt/lt",
        },
        more=(DEPOT_STATEMENT,),
    ),
    "MedicationAdministration": ResourceType(
        "MedicationAdministration",
        RecordType.DEPOT_ADMINISTRATION,
        _visible_administrations,
        resources.medication_administration,
        lambda given: given.person_id,
        lambda given: 2 if given.entered_in_error else 1,
        {
            "patient": patient_filter("person"),
            "status": _administration_status,
            "effective-time": date_filter("at__date"),
        },
        {
            "patient": "Patient/<id>",
            "status": "completed (given), not-done (missed or refused) or entered-in-error",
            "effective-time": "Day given (or missed), yyyy-mm-dd, with ge/le/gt/lt",
        },
    ),
    "AuditEvent": ResourceType(
        "AuditEvent",
        RecordType.ACCESS_HISTORY,
        _audit_events,
        resources.audit_event,
        lambda event: event.person_id,
        lambda event: 1,
        {"patient": patient_filter("person"), "date": date_filter("occurred_at__date")},
        {
            "patient": "Patient/<id>",
            "date": "Day recorded, yyyy-mm-dd, with ge/le/gt/lt (privacy officers only)",
        },
        audit_basis="privacy_review",
    ),
}

# `_include=<Type>:patient` is offered on every type searched by patient (not the audit: the
# privacy officer's review needs no relationship with the person, so their Patient is not theirs).
INCLUDES_PATIENT = frozenset(
    name for name, t in RESOURCE_TYPES.items() if "patient" in t.parameters and not t.audit_basis
)

# Parameters every search takes (and nothing else: an unknown parameter is refused).
COMMON_PARAMETERS = ("_count", "_offset", "_format", "_total", "_totalMethod")
DEFAULT_COUNT, MAX_COUNT = 20, 100
