"""The monthly MHSDS submission (Mental Health Services Data Set, v6 structure) for a reporting period.

One file per table Waypoint feeds, each a CSV whose header row is the national data item names,
with dates as CCYY-MM-DD and times as HH:MM:SS, and the national code lists (mapped from
Waypoint's own codes where they differ). The records that would fail national validation stay in
their file and are listed in `validation` (table, record, data item, problem), never dropped.

Each table is one query (plus the header), however many records: see `build`.

PARTIAL: the data item names and code lists follow the MHSDS v6 technical output specification as
far as Waypoint's authors know it; check every table against the published v6 TOS (and the
ServTeamTypeRefToMH, ActLocTypeCode and CarePlanContentAgreedBy lists) before a live submission.
MHS202 care activities carry no SNOMED CT procedure code yet. MHS401-405 (Mental Health Act) and
MHS606/607 (coded scored assessments) come with the legal and outcome measures modules, which add
their tables with `register_table`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from waypoint.accounts.models import TeamType
from waypoint.contacts.models import Contact, IndirectActivity, LocationType
from waypoint.episodes.models import Allocation, AllocationKind
from waypoint.patients.models import AccommodationStatus, Person
from waypoint.plans.models import MHSDS_CARE_PLAN_TYPE, Plan, PlanRevision
from waypoint.referrals.models import MHSDS_SOURCE_CODES, Referral, Status, Urgency

from . import quality

DATASET_VERSION = "6.0"
# MHSDS ServTeamTypeRefToMH for the team types Waypoint knows.
TEAM_TYPE_CODES = {
    TeamType.CMHT: "A05",
    TeamType.ASSERTIVE_OUTREACH: "A08",
    TeamType.COMPLEX_REHABILITATION: "A09",
    TeamType.EARLY_INTERVENTION: "A14",
    TeamType.CRISIS: "A02",
}
# ClinRespPriorityType: 1 emergency, 2 urgent, 3 routine, 4 very urgent.
PRIORITY_CODES = {Urgency.VERY_URGENT: "4", Urgency.URGENT: "2", Urgency.ROUTINE: "3"}
# ActLocTypeCode, grouped as Waypoint records it.
LOCATION_CODES = {LocationType.HOME: "A01", LocationType.CLINIC: "B01", LocationType.OTHER: "X01"}
# SettledAccommodationInd: Y settled, N not settled, Z not known.
SETTLED = {
    AccommodationStatus.OWNER_OCCUPIER: "Y",
    AccommodationStatus.SOCIAL_TENANT: "Y",
    AccommodationStatus.PRIVATE_TENANT: "Y",
    AccommodationStatus.WITH_FAMILY: "Y",
    AccommodationStatus.SUPPORTED: "Y",
    AccommodationStatus.TEMPORARY: "N",
    AccommodationStatus.HOMELESS: "N",
    AccommodationStatus.OTHER: "Z",
    AccommodationStatus.NOT_KNOWN: "Z",
}


@dataclass
class Failure:
    table: str
    record: str
    item: str
    problem: str


@dataclass
class Extract:
    start: date
    end: date
    tables: dict[str, tuple[list[str], list[list]]] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)

    def add(self, name, columns, rows):
        self.tables[name] = (columns, rows)


def d(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def t(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%H:%M:%S")
    return value.strftime("%H:%M:%S")


def _bounds(start: date, end: date):
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end, time.max), tz),
    )


def pid(person_id) -> str:
    """LocalPatientId: Waypoint's local id is looked up in MHS001; other tables use the same value."""
    return person_id


def org_code() -> str:
    return getattr(settings, "WAYPOINT_ORG_CODE", "") or "RX0"  # PARTIAL: the Trust's ODS code is a setting


# ---- the tables --------------------------------------------------------------------------------


def _referrals(ex: Extract):
    """Referrals open at any time in the period (MHS101, MHS102)."""
    first, last = _bounds(ex.start, ex.end)
    return (
        Referral.objects.filter(received_at__lte=last)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=first))
        .exclude(status__in=[Status.PASSED_ON], closed_at__lt=first)
        .select_related("team", "person")
        .order_by("pk")
    )


def header(ex: Extract, context) -> None:
    ex.add(
        "MHS000Header",
        [
            "DatSetVer",
            "OrgIDProvider",
            "OrgIDSubmit",
            "PrimSystemInUse",
            "ReportingPeriodStartDate",
            "ReportingPeriodEndDate",
            "DateTimeDatSetCreate",
        ],
        [
            [
                DATASET_VERSION,
                org_code(),
                org_code(),
                "Waypoint",
                d(ex.start),
                d(ex.end),
                timezone.localtime(context["created_at"]).strftime("%Y-%m-%dT%H:%M:%S"),
            ]
        ],
    )


def referrals(ex: Extract, context) -> None:
    rows, teams = [], []
    for r in _referrals(ex):
        context["people"].add(r.person_id)
        srid = f"R{r.pk}"
        source = MHSDS_SOURCE_CODES.get(r.source, "")
        if not source:
            ex.failures.append(
                Failure("MHS101Referral", srid, "SourceOfReferralMH", "Source of referral missing")
            )
        closed_in_period = r.closed_at and r.closed_at.date() <= ex.end
        rows.append(
            [
                srid,
                r.person.local_id,
                org_code(),
                d(r.received_at),
                t(r.received_at),
                source,
                PRIORITY_CODES.get(r.urgency or r.urgency_requested, ""),
                d(r.closed_at) if closed_in_period else "",
                t(r.closed_at) if closed_in_period else "",
            ]
        )
        rejected = r.status == Status.REJECTED
        teams.append(
            [
                srid,
                f"T{r.team_id}",
                TEAM_TYPE_CODES.get(r.team.team_type, ""),
                d(r.closed_at) if closed_in_period and not rejected else "",
                d(r.triaged_at) if rejected else "",
                r.rejection_reason if rejected else "",
            ]
        )
    ex.add(
        "MHS101Referral",
        [
            "ServiceRequestId",
            "LocalPatientId",
            "OrgIDComm",
            "ReferralRequestReceivedDate",
            "ReferralRequestReceivedTime",
            "SourceOfReferralMH",
            "ClinRespPriorityType",
            "ServDischDate",
            "ServDischTime",
        ],
        rows,
    )
    ex.add(
        "MHS102ServiceTypeReferredTo",
        [
            "ServiceRequestId",
            "CareProfTeamLocalId",
            "ServTeamTypeRefToMH",
            "ReferClosureDate",
            "ReferRejectionDate",
            "ReferRejectReason",
        ],
        teams,
    )


def _service_request_for(person_field="person_id", team_field="team_id", day_field="date"):
    """The person's latest referral to the team received by the day: its ServiceRequestId."""
    return Subquery(
        Referral.objects.filter(
            person_id=OuterRef(person_field),
            team_id=OuterRef(team_field),
            received_at__date__lte=OuterRef(day_field),
        )
        .order_by("-received_at")
        .values("pk")[:1]
    )


def contacts(ex: Extract, context) -> None:
    contacts_rows, activity_rows = [], []
    found = (
        Contact.objects.current()
        .filter(date__gte=ex.start, date__lte=ex.end)
        .annotate(referral_id=_service_request_for())
        .select_related("person")
        .prefetch_related("staff")
        .order_by("date", "occurred_at", "pk")
    )
    for c in found:
        context["people"].add(c.person_id)
        ccid = f"C{c.pk}"
        if c.referral_id is None:
            ex.failures.append(
                Failure(
                    "MHS201CareContact", ccid, "ServiceRequestId", "No referral to the team for this contact"
                )
            )
        if c.attendance == "5" and not c.duration_minutes:
            ex.failures.append(
                Failure("MHS201CareContact", ccid, "ClinContDurOfCareCont", "Care contact duration missing")
            )
        contacts_rows.append(
            [
                ccid,
                c.person.local_id,
                f"R{c.referral_id}" if c.referral_id else "",
                f"T{c.team_id}",
                d(c.date),
                t(c.occurred_at),
                c.duration_minutes if c.duration_minutes is not None else "",
                c.mechanism,
                LOCATION_CODES.get(c.location_type, ""),
                c.attendance,
            ]
        )
        staff = sorted(c.staff.all(), key=lambda u: u.pk)
        for index, activity in enumerate(c.activities or [], start=1):
            activity_rows.append(
                [
                    f"{ccid}-{index}",
                    ccid,
                    f"S{staff[0].pk}" if staff else "",
                    c.duration_minutes if c.duration_minutes is not None and len(c.activities) == 1 else "",
                    "",
                    activity,
                ]
            )
    ex.add(
        "MHS201CareContact",
        [
            "CareContactId",
            "LocalPatientId",
            "ServiceRequestId",
            "CareProfTeamLocalId",
            "CareContDate",
            "CareContTime",
            "ClinContDurOfCareCont",
            "ConsMechanismMH",
            "ActLocTypeCode",
            "AttendOrDNACode",
        ],
        contacts_rows,
    )
    ex.add(
        "MHS202CareActivity",
        [
            "CareActId",
            "CareContactId",
            "CareProfLocalId",
            "ClinContactDurOfCareAct",
            "CodeProcAndProcStatus",
            "WaypointActivity",
        ],
        activity_rows,
    )


def indirect(ex: Extract, context) -> None:
    rows = []
    found = (
        IndirectActivity.objects.filter(
            date__gte=ex.start, date__lte=ex.end, entered_in_error_at__isnull=True
        )
        .annotate(referral_id=_service_request_for())
        .order_by("date", "pk")
    )
    for a in found:
        if a.referral_id is None:
            ex.failures.append(
                Failure("MHS204IndirectActivity", f"I{a.pk}", "ServiceRequestId", "No referral to the team")
            )
        rows.append(
            [
                f"R{a.referral_id}" if a.referral_id else "",
                f"T{a.team_id}",
                d(a.date),
                "",
                a.duration_minutes,
                f"S{a.recorded_by_id}",
            ]
        )
    ex.add(
        "MHS204IndirectActivity",
        [
            "ServiceRequestId",
            "CareProfTeamLocalId",
            "IndirectActDate",
            "IndirectActTime",
            "DurationIndirectAct",
            "CareProfLocalId",
        ],
        rows,
    )


def care_coordinators(ex: Extract, context) -> None:
    first, last = _bounds(ex.start, ex.end)
    rows = []
    found = (
        Allocation.objects.filter(kind=AllocationKind.CARE_COORDINATOR)
        .filter(Q(started_at__isnull=True) | Q(started_at__lte=last))
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=first))
        .select_related("person", "team")
        .order_by("pk")
    )
    for a in found:
        context["people"].add(a.person_id)
        if a.started_at is None:
            ex.failures.append(
                Failure(
                    "MHS006MHCareCoord", f"A{a.pk}", "StartDateAssCareCoord", "Allocation without a start"
                )
            )
        ended_in_period = a.ended_at and a.ended_at <= last
        rows.append(
            [
                a.person.local_id,
                f"S{a.worker_id}",
                d(a.started_at),
                d(a.ended_at) if ended_in_period else "",
                TEAM_TYPE_CODES.get(a.team.team_type, ""),
            ]
        )
    ex.add(
        "MHS006MHCareCoord",
        [
            "LocalPatientId",
            "CareProfLocalId",
            "StartDateAssCareCoord",
            "EndDateAssCareCoord",
            "CareProfServOrTeamTypeAssoc",
        ],
        rows,
    )


def care_plans(ex: Extract, context) -> None:
    first, last = _bounds(ex.start, ex.end)
    # A plan is in the submission once it exists or has been agreed by the period's end (a plan
    # recorded after its agreement counts from its first agreement).
    plans = (
        Plan.objects.filter(kind__in=list(MHSDS_CARE_PLAN_TYPE))
        .filter(Q(created_at__lte=last) | Q(revisions__agreed_on__lte=ex.end))
        .distinct()
        .select_related("person")
        .order_by("pk")
    )
    latest = {}
    for rev in (
        PlanRevision.objects.filter(plan__kind__in=list(MHSDS_CARE_PLAN_TYPE))
        .filter(Q(updated_at__lte=last) | Q(agreed_on__lte=ex.end))
        .values("plan_id", "updated_at", "agreed_on")
        .order_by("plan_id", "updated_at")
    ):
        entry = latest.setdefault(rev["plan_id"], {"updated": None, "implemented": None})
        entry["updated"] = rev["updated_at"] if rev["updated_at"] <= last else rev["agreed_on"]
        if rev["agreed_on"] and entry["implemented"] is None:
            entry["implemented"] = rev["agreed_on"]
    rows = []
    for p in plans:
        if p.person_id not in context["people"]:
            continue  # MHSDS: care plans of people in the submission
        info = latest.get(p.pk, {})
        created = p.created_at if p.created_at <= last else None
        context["plans"].add(p.pk)
        rows.append(
            [
                f"P{p.pk}",
                p.person.local_id,
                MHSDS_CARE_PLAN_TYPE[p.kind],
                d(created) or d(info.get("implemented")),
                t(created),
                d(info.get("updated")),
                d(info.get("implemented")),
            ]
        )
    ex.add(
        "MHS008CarePlanType",
        [
            "CarePlanID",
            "LocalPatientId",
            "CarePlanTypeMH",
            "CarePlanCreatDate",
            "CarePlanCreationTime",
            "CarePlanLastUpdateDate",
            "CarePlanImplementDate",
        ],
        rows,
    )
    agreements = []
    for rev in (
        PlanRevision.objects.filter(
            plan__kind__in=list(MHSDS_CARE_PLAN_TYPE), agreed_on__gte=ex.start, agreed_on__lte=ex.end
        )
        .select_related("plan")
        .order_by("agreed_on", "pk")
    ):
        if rev.plan_id not in context["plans"]:
            continue  # agreements of the plans in MHS008 only
        agreements.append(
            [
                f"P{rev.plan_id}",
                "10" if rev.agreed_with_person else "",
                d(rev.agreed_on),
                t(rev.agreement_recorded_at),
            ]
        )
        if not rev.agreed_with_person:
            ex.failures.append(
                Failure(
                    "MHS009CarePlanAgreement",
                    f"P{rev.plan_id}",
                    "CarePlanContentAgreedBy",
                    "The person did not agree the plan: who agreed it is not recorded",
                )
            )
    ex.add(
        "MHS009CarePlanAgreement",
        ["CarePlanID", "CarePlanContentAgreedBy", "CarePlanContentAgreedDate", "CarePlanContentAgreedTime"],
        agreements,
    )


def people(ex: Extract, context) -> None:
    """MHS001, MHS002, MHS003, MHS004 for everyone in the other tables (one query)."""
    mpi, gp, accommodation, employment = [], [], [], []
    for p in (
        Person.objects.filter(pk__in=context["people"]).select_related("gp_practice").order_by("local_id")
    ):
        row = {
            "person__nhs_number": p.nhs_number,
            "person__ethnicity": p.ethnicity,
            "person__gp_practice__ods_code": p.gp_practice.ods_code if p.gp_practice else "",
            "person__postcode": p.postcode,
        }
        for rule in quality.person_problems(row):
            ex.failures.append(
                Failure("MHS001MPI", p.local_id, quality.RULE_ITEMS[rule], quality.RULE_LABELS[rule])
            )
        mpi.append(
            [
                p.local_id,
                org_code(),
                p.nhs_number or "",
                "01" if p.nhs_number else "07",
                d(p.date_of_birth),
                (p.postcode or "").upper(),
                p.sex,
                p.gender_identity,
                p.ethnicity,
                d(p.deceased_on),
            ]
        )
        if p.gp_practice:
            gp.append([p.local_id, p.gp_practice.ods_code, ""])
        if p.accommodation_status:
            accommodation.append([p.local_id, SETTLED.get(p.accommodation_status, "Z"), d(p.updated_at)])
        if p.employment_status:
            employment.append([p.local_id, p.employment_status, d(p.updated_at)])
    ex.add(
        "MHS001MPI",
        [
            "LocalPatientId",
            "OrgIDLocalPatientId",
            "NHSNumber",
            "NHSNumberStatus",
            "PersonBirthDate",
            "Postcode",
            "Gender",
            "GenderIDCode",
            "EthnicCategory",
            "PersDeathDate",
        ],
        mpi,
    )
    ex.add("MHS002GP", ["LocalPatientId", "GMPReg", "EndDateGMPRegistration"], gp)
    ex.add(
        "MHS003AccommStatus",
        ["LocalPatientId", "SettledAccommodationInd", "AccommodationTypeDate"],
        accommodation,
    )
    ex.add("MHS004EmpStatus", ["LocalPatientId", "EmployStatus", "EmployStatusRecDate"], employment)


# The order matters: the activity tables collect the people; MHS001-004 come last; care plans
# after the activity (of people in the submission).
_steps: list[tuple[str, Callable]] = [
    ("Header", header),
    ("Referrals (MHS101, MHS102)", referrals),
    ("Care contacts and activities (MHS201, MHS202)", contacts),
    ("Indirect activity (MHS204)", indirect),
    ("Care coordinators (MHS006)", care_coordinators),
    ("Care plans (MHS008, MHS009)", care_plans),
    ("People (MHS001, MHS002, MHS003, MHS004)", people),
]

TABLE_ORDER = [
    "MHS000Header",
    "MHS001MPI",
    "MHS002GP",
    "MHS003AccommStatus",
    "MHS004EmpStatus",
    "MHS006MHCareCoord",
    "MHS008CarePlanType",
    "MHS009CarePlanAgreement",
    "MHS101Referral",
    "MHS102ServiceTypeReferredTo",
    "MHS201CareContact",
    "MHS202CareActivity",
    "MHS204IndirectActivity",
    "MHS401MHActPeriod",
    "MHS404CommTreatOrder",
    "MHS606CodedScoreAssessmentRefer",
]


def register_table(
    label: str, step: Callable, before: str = "People (MHS001, MHS002, MHS003, MHS004)"
) -> None:
    """A module adds a table (e.g. MHS401 from the legal module): step(extract, context) adds it."""
    position = next((i for i, (name, _) in enumerate(_steps) if name == before), len(_steps))
    _steps.insert(position, (label, step))


def build(start: date, end: date, progress: Callable[[int, int, str], None] | None = None) -> Extract:
    ex = Extract(start, end)
    context = {"people": set(), "plans": set(), "created_at": timezone.now()}
    for index, (label, step) in enumerate(_steps):
        if progress:
            progress(index, len(_steps), label)
        step(ex, context)
    if progress:
        progress(len(_steps), len(_steps), "Finished")
    ordered = {name: ex.tables[name] for name in TABLE_ORDER if name in ex.tables}
    ex.tables = ordered | {k: v for k, v in ex.tables.items() if k not in ordered}
    return ex
