"""Reads for the medicines pages, the banner, the clinic list, the worklist and team figures.

Every function here uses a fixed number of queries, however many rows there are.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Subquery

from waypoint.access.policy import open_record
from waypoint.audit.models import RecordType
from waypoint.core.memo import per_request
from waypoint.patients.models import Person, TeamRegistration

from .models import (
    CORE_CHECKS,
    ROTATION,
    Allergy,
    AllergyKind,
    BriefIntervention,
    DepotAdministration,
    DepotPrescription,
    Element,
    FlagAction,
    HealthFlag,
    InjectionSite,
    Measurement,
    Medicine,
    MedicineReference,
    Outcome,
    PhysicalHealthCheck,
    Side,
)

CHECK_INTERVAL = timedelta(days=365)
BENCHMARK_PERCENT = 60  # NHS England: 60% of people with SMI have all six checks each year


# --- Banner and the Medicines tab ---


def allergy_banner(person, user=None):
    """The banner's allergies line: one query (shared with the Medicines tab's section)."""
    current = sorted((a for a in allergies_of(person) if a.is_current), key=lambda a: (a.substance, a.pk))
    allergies = [a for a in current if a.kind != AllergyKind.NO_KNOWN_ALLERGIES]
    if allergies:
        return {"state": "recorded", "allergies": allergies}
    if current:
        return {"state": "none_known", "since": current[0].recorded_on}
    return {"state": "not_recorded"}


@per_request
def medicines_of(person):
    return list(Medicine.objects.filter(person=person).select_related("recorded_by"))


@per_request
def allergies_of(person):
    return list(Allergy.objects.filter(person=person).select_related("recorded_by"))


def references():
    return MedicineReference.objects.all()


def medicine_for_page(request, person_id, medicine_id):
    opened = open_record(
        request, person_id, model=Medicine, record_id=medicine_id, record_type=RecordType.MEDICINE
    )
    return opened, opened.record


def allergy_for_page(request, person_id, allergy_id):
    opened = open_record(
        request, person_id, model=Allergy, record_id=allergy_id, record_type=RecordType.ALLERGY
    )
    return opened, opened.record


# --- Depot: next due, rotation ---


@dataclass(frozen=True)
class DepotStatus:
    depot: DepotPrescription
    last_given_on: date | None
    next_due: date
    window_from: date
    window_to: date
    days_late: int  # days past the due date (0 when not yet due)
    late: bool  # past the tolerance window
    last_not_given: str  # "missed" or "refused" since the last dose, or ""

    @property
    def escalate(self) -> bool:
        return self.days_late > settings.WAYPOINT_DEPOT_ESCALATE_AFTER_DAYS


def _last_given():
    return (
        DepotAdministration.objects.current()
        .filter(prescription=OuterRef("pk"), outcome=Outcome.GIVEN)
        .order_by("-at")
        .values("at")[:1]
    )


def _last_not_given():
    return (
        DepotAdministration.objects.current()
        .filter(prescription=OuterRef("pk"))
        .exclude(outcome=Outcome.GIVEN)
        .order_by("-at")
    )


def _depots_with_last():
    return DepotPrescription.objects.annotate(
        last_given_at=Subquery(_last_given()),
        last_not_given_at=Subquery(_last_not_given().values("at")[:1]),
        last_not_given_outcome=Subquery(_last_not_given().values("outcome")[:1]),
    )


def status_of(depot, today: date) -> DepotStatus:
    """From the annotated depot (`_depots_with_last`): next due = last dose given + interval."""
    from django.utils import timezone

    last = timezone.localdate(depot.last_given_at) if depot.last_given_at else None
    next_due = last + timedelta(days=depot.interval_days) if last else depot.started_on
    tolerance = timedelta(days=depot.tolerance_days)
    days_late = max((today - next_due).days, 0)
    not_given = ""
    if depot.last_not_given_at and (
        depot.last_given_at is None or depot.last_not_given_at > depot.last_given_at
    ):
        not_given = depot.last_not_given_outcome
    return DepotStatus(
        depot=depot,
        last_given_on=last,
        next_due=next_due,
        window_from=next_due - tolerance,
        window_to=next_due + tolerance,
        days_late=days_late,
        late=today > next_due + tolerance,
        last_not_given=not_given,
    )


def depots_of(person, today):
    depots = _depots_with_last().filter(person=person).select_related("team")
    return [status_of(d, today) for d in depots]


def depot_for_page(request, person_id, depot_id, today):
    opened = open_record(
        request, person_id, model=DepotPrescription, record_id=depot_id, record_type=RecordType.DEPOT
    )
    depot = _depots_with_last().select_related("team", "recorded_by", "nurse").get(pk=opened.record.pk)
    return opened, status_of(depot, today)


def administrations_of(depot):
    return list(
        DepotAdministration.objects.filter(prescription=depot).select_related("given_by", "correction__by")
    )


def administration_for_page(request, person_id, administration_id):
    opened = open_record(
        request,
        person_id,
        model=DepotAdministration,
        record_id=administration_id,
        record_type=RecordType.DEPOT_ADMINISTRATION,
    )
    found = (
        DepotAdministration.objects.select_related("prescription", "given_by", "correction__by")
        .filter(pk=opened.record.pk)
        .first()
    )
    return opened, found


def last_sites(depot, count=3):
    """The last `count` sites given (newest first) and the next one the rotation suggests."""
    given = list(
        DepotAdministration.objects.current()
        .filter(prescription=depot, outcome=Outcome.GIVEN)
        .exclude(site="")
        .order_by("-at")[:count]
    )
    suggested = ROTATION[0]
    if given:
        last = (given[0].site, given[0].side)
        if last in ROTATION:
            suggested = ROTATION[(ROTATION.index(last) + 1) % len(ROTATION)]
        recent = {(a.site, a.side) for a in given}
        for step in range(len(ROTATION)):  # the next in turn not used in the last three
            candidate = ROTATION[(ROTATION.index(suggested) + step) % len(ROTATION)]
            if candidate not in recent:
                suggested = candidate
                break
    return given, {
        "site": suggested[0],
        "side": suggested[1],
        "label": f"{InjectionSite(suggested[0]).label}, {Side(suggested[1]).label.lower()}",
    }


# --- The depot clinic ---


def clinic_for(team, day: date, visible_to=None):
    """The team's depot clinic on `day`: due that day, due later that week, overdue. Two queries."""
    depots = (
        _depots_with_last()
        .filter(team=team, started_on__lte=day + timedelta(days=6))
        .exclude(stopped_on__lte=day)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "pk")
    )
    statuses = [status_of(d, day) for d in depots]
    week_end = day + timedelta(days=6 - day.weekday())
    due_today = [s for s in statuses if s.window_from <= day <= s.window_to and not s.late]
    overdue = sorted((s for s in statuses if s.late), key=lambda s: -s.days_late)
    shown = {s.depot.pk for s in due_today} | {s.depot.pk for s in overdue}
    this_week = sorted(
        (s for s in statuses if s.depot.pk not in shown and day < s.next_due <= week_end),
        key=lambda s: s.next_due,
    )
    person_ids = {s.depot.person_id for s in statuses}
    visible = (
        set(Person.objects.visible_to(visible_to).filter(pk__in=person_ids).values_list("pk", flat=True))
        if visible_to
        else person_ids
    )
    return {"due_today": due_today, "this_week": this_week, "overdue": overdue, "visible": visible}


def nurses_for(team_ids):
    """Current members of these teams, who may be chosen to give a depot."""
    from waypoint.accounts.models import Membership, User

    member_ids = Membership.objects.current().filter(team_id__in=team_ids).values("user_id")
    return list(User.objects.filter(pk__in=member_ids, is_active=True).order_by("last_name", "first_name"))


def depots_given_by(user, today: date) -> list[DepotStatus]:
    """The current depots this nurse gives (`DepotPrescription.nurse`), with their status. One query."""
    depots = (
        _depots_with_last()
        .filter(nurse=user)
        .exclude(stopped_on__lte=today)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "pk")
    )
    return [status_of(d, today) for d in depots]


# --- Worklist reads (shared by the providers in one request) ---


@per_request
def what_is_recorded_for(person_ids, today) -> dict[str, set[int]]:
    """Which of these people have a current depot, a current antipsychotic, a check, a flag with
    no action: one query, so the reads below run only for the people who have something (the
    record overview of someone with none of these costs this one query)."""
    current_depot = DepotPrescription.objects.filter(person=OuterRef("pk")).exclude(stopped_on__lte=today)
    antipsychotic = Medicine.objects.filter(person=OuterRef("pk"), is_antipsychotic=True).exclude(
        stopped_on__lte=today
    )
    checked = PhysicalHealthCheck.objects.current().filter(person=OuterRef("pk"))
    unactioned = HealthFlag.objects.filter(
        person=OuterRef("pk"), actions__isnull=True, check_record__correction__isnull=True
    )
    found: dict[str, set[int]] = {"depot": set(), "antipsychotic": set(), "check": set(), "flag": set()}
    rows = (
        Person.objects.filter(pk__in=person_ids)
        .annotate(
            has_depot=Exists(current_depot),
            has_antipsychotic=Exists(antipsychotic),
            has_check=Exists(checked),
            has_flag=Exists(unactioned),
        )
        .values_list("pk", "has_depot", "has_antipsychotic", "has_check", "has_flag")
    )
    for pk, *flags in rows:
        for name, present in zip(("depot", "antipsychotic", "check", "flag"), flags, strict=True):
            if present:
                found[name].add(pk)
    return found


@per_request
def depot_statuses_for(person_ids, today):
    ids = sorted(what_is_recorded_for(person_ids, today)["depot"])
    if not ids:
        return []
    depots = _depots_with_last().filter(person_id__in=ids).exclude(stopped_on__lte=today)
    return [status_of(d, today) for d in depots]


@per_request
def current_antipsychotics_for(person_ids, today):
    ids = sorted(what_is_recorded_for(person_ids, today)["antipsychotic"])
    if not ids:
        return []
    return list(
        Medicine.objects.filter(person_id__in=ids, is_antipsychotic=True)
        .exclude(stopped_on__lte=today)
        .order_by("started_on")
    )


@per_request
def check_dates_for(person_ids, today):
    """person id -> the dates of their current checks, newest first. One query."""
    ids = sorted(what_is_recorded_for(person_ids, today)["check"])
    found: dict[int, list[date]] = {}
    if not ids:
        return found
    person_ids = ids
    for person_id, checked_on in (
        PhysicalHealthCheck.objects.current()
        .filter(person_id__in=person_ids)
        .order_by("-checked_on")
        .values_list("person_id", "checked_on")
    ):
        found.setdefault(person_id, []).append(checked_on)
    return found


def core_dates_for(person_ids, since: date | None = None) -> dict[int, dict[str, date]]:
    """person id -> {core check: the latest date it was measured} (from current checks). One query."""
    rows = Measurement.objects.filter(
        person_id__in=person_ids,
        check_record__correction__isnull=True,
        element__in=[e for elements in CORE_CHECKS.values() for e in elements],
    )
    if since is not None:
        rows = rows.filter(measured_on__gte=since)
    element_to_check = {e: name for name, elements in CORE_CHECKS.items() for e in elements}
    found: dict[int, dict[str, date]] = {}
    for person_id, element, measured_on in rows.values_list("person_id", "element", "measured_on"):
        checks = found.setdefault(person_id, {})
        name = element_to_check[element]
        if name not in checks or measured_on > checks[name]:
            checks[name] = measured_on
    return found


def unactioned_flags_for(person_ids, today=None):
    if today is not None:
        person_ids = sorted(what_is_recorded_for(person_ids, today)["flag"])
        if not person_ids:
            return []
    return list(
        HealthFlag.objects.filter(
            person_id__in=person_ids, actions__isnull=True, check_record__correction__isnull=True
        ).select_related("check_record")
    )


# --- Antipsychotic monitoring (NICE CG178) ---

MILESTONES = (  # (name, days after starting, how early a check counts)
    ("Baseline", 0, 30),
    ("12-week", 84, 14),
    ("Annual", 365, 14),
)


def monitoring_schedule(medicine, check_dates: list[date]):
    """Baseline, 12-week and annual physical health monitoring after starting an antipsychotic:
    [(name, due, done_on or None)]. A check counts for a milestone from shortly before it is due."""
    schedule = []
    for name, after, early in MILESTONES:
        due = medicine.started_on + timedelta(days=after)
        counts_from = due - timedelta(days=early)
        done = min((d for d in check_dates if d >= counts_from), default=None)
        schedule.append((name, due, done))
    return schedule


# --- Physical health pages ---


def checks_of(person):
    return list(
        PhysicalHealthCheck.objects.filter(person=person)
        .select_related("recorded_by", "correction")
        .prefetch_related(
            "measurements", Prefetch("flags", queryset=HealthFlag.objects.prefetch_related("actions"))
        )
    )


def check_for_page(request, person_id, check_id):
    opened = open_record(
        request,
        person_id,
        model=PhysicalHealthCheck,
        record_id=check_id,
        record_type=RecordType.PHYSICAL_HEALTH_CHECK,
    )
    check = (
        PhysicalHealthCheck.objects.filter(pk=opened.record.pk)
        .select_related("recorded_by", "correction__by")
        .prefetch_related(
            "measurements",
            Prefetch(
                "flags",
                queryset=HealthFlag.objects.prefetch_related(
                    Prefetch("actions", queryset=FlagAction.objects.select_related("by"))
                ),
            ),
        )
        .first()
    )
    return opened, check


def flag_for_page(request, person_id, check_id, flag_id):
    opened = open_record(
        request,
        person_id,
        model=HealthFlag,
        record_id=flag_id,
        where={"check_record_id": check_id},
        record_type=RecordType.PHYSICAL_HEALTH_CHECK,
        audit_record_id=check_id,
    )
    return opened, HealthFlag.objects.select_related("check_record").get(pk=opened.record.pk)


TREND_ELEMENTS = (
    Element.WEIGHT,
    Element.BMI,
    Element.BLOOD_PRESSURE,
    Element.HBA1C,
    Element.TOTAL_CHOLESTEROL,
)


def trends_of(person):
    """element -> [measurement] oldest first, from current checks. One query."""
    found: dict[str, list[Measurement]] = {e: [] for e in TREND_ELEMENTS}
    for measurement in Measurement.objects.filter(
        person=person, element__in=TREND_ELEMENTS, check_record__correction__isnull=True
    ).order_by("measured_on", "pk"):
        found[measurement.element].append(measurement)
    return found


def brief_interventions_of(person):
    """Newest first, entered-in-error ones too (shown crossed out). One query."""
    return list(
        BriefIntervention.objects.filter(person=person).select_related("by", "contact", "correction__by")
    )


def brief_interventions_on_contact(contact):
    """The brief interventions recorded on this contact (the contact's page). One query."""
    return list(
        BriefIntervention.objects.filter(contact=contact)
        .select_related("by", "correction__by")
        .order_by("pk")
    )


def brief_intervention_for_page(request, person_id, brief_intervention_id):
    opened = open_record(
        request,
        person_id,
        model=BriefIntervention,
        record_id=brief_intervention_id,
        record_type=RecordType.BRIEF_INTERVENTION,
    )
    found = BriefIntervention.objects.select_related("by", "contact", "correction__by").get(
        pk=opened.record.pk
    )
    return opened, found


def contact_choices(person):
    from waypoint.contacts.models import Contact

    return Contact.objects.filter(person=person).order_by("-pk")[:20]


# --- Team figures ---


def team_figures(team, today: date):
    """The share of the team's caseload with all six checks in the last 12 months. Two queries."""
    person_ids = list(
        TeamRegistration.objects.current().filter(team=team).values_list("person_id", flat=True).distinct()
    )
    dates = core_dates_for(person_ids, since=today - CHECK_INTERVAL) if person_ids else {}
    complete = sum(1 for pid in person_ids if len(dates.get(pid, {})) == len(CORE_CHECKS))
    by_check = {name: sum(1 for pid in person_ids if name in dates.get(pid, {})) for name in CORE_CHECKS}
    total = len(person_ids)
    percent = round(100 * complete / total) if total else 0
    return {
        "caseload": total,
        "complete": complete,
        "percent": percent,
        "benchmark": BENCHMARK_PERCENT,
        "by_check": by_check,
    }


# --- The Medicines tab's sections (loaders take the request's RecordContext) ---


def medicines_section(record):
    medicines = medicines_of(record.person)
    return {
        "current": [m for m in medicines if m.is_current(record.today)],
        "past": [m for m in medicines if not m.is_current(record.today)],
        "allergies": allergies_of(record.person),
        "today": record.today,
    }


def depots_section(record):
    return {"depots": depots_of(record.person, record.today), "today": record.today}


def physical_health_section(record):
    checks = checks_of(record.person)
    current = [c for c in checks if c.entered_in_error is None]
    dates = [c.checked_on for c in current]
    antipsychotics = [
        (m, monitoring_schedule(m, dates))
        for m in sorted(medicines_of(record.person), key=lambda m: m.started_on)
        if m.is_antipsychotic and m.is_current(record.today)
    ]
    since = record.today - CHECK_INTERVAL
    element_to_check = {e: name for name, elements in CORE_CHECKS.items() for e in elements}
    core: dict[str, date] = {}
    for check in current:
        for measurement in check.measurements.all():
            name = element_to_check.get(measurement.element)
            if (
                name
                and measurement.measured_on >= since
                and measurement.measured_on > core.get(name, date.min)
            ):
                core[name] = measurement.measured_on
    return {
        "checks": checks[:5],
        "count": len(checks),
        "unactioned": [f for c in current for f in c.flags.all() if not f.actions.all()],
        "core": [(name.replace("_", " ").capitalize(), core.get(name)) for name in CORE_CHECKS],
        "monitoring": antipsychotics,
        "interventions": brief_interventions_of(record.person)[:5],
        "today": record.today,
    }
