"""Reads for workforce pages, each with a fixed number of queries however many staff or rows.

Staff lists come with their roles prefetched; `_codes(user)` reads the prefetched roles, so no
query per member of staff.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Max, Prefetch, Q

from waypoint.accounts.models import Membership, Role, RoleCode, Team, User

from .models import (
    Appraisal,
    Approval,
    CaseDiscussion,
    Course,
    DbsCheck,
    LineManagement,
    Placement,
    ProfessionalRegistration,
    Supervision,
    SupervisionKind,
    SupervisionPolicy,
    TrainingCompletion,
)

EXPIRING_DAYS = 60  # registrations, approvals and training expiring within this many days are shown
COUNTS_AS = {SupervisionKind.CASELOAD: SupervisionKind.CLINICAL}  # caseload supervision is clinical


def _codes(user) -> set[str]:
    return {role.code for role in user.roles.all()}


def team_members(team) -> list:
    """Current members of `team`, with their roles (two queries)."""
    member_ids = Membership.objects.current().filter(team=team).values("user_id")
    return list(
        User.objects.filter(pk__in=member_ids, is_active=True)
        .prefetch_related(Prefetch("roles", queryset=Role.objects.all()))
        .order_by("last_name", "first_name")
    )


def staff_with_roles(staff_id) -> User:
    return User.objects.prefetch_related("roles").get(pk=staff_id)


# Training ---------------------------------------------------------------------------------------


@dataclass
class TrainingStatus:
    course: Course
    last: TrainingCompletion | None
    expires_on: date | None

    def state(self, today: date) -> str:
        if self.last is None:
            return "not_done"
        if self.expires_on is None:
            return "done"
        if self.expires_on < today:
            return "overdue"
        if self.expires_on <= today + timedelta(days=EXPIRING_DAYS):
            return "due_soon"
        return "done"


STATE_LABELS = {
    "not_done": ("Not done", "red"),
    "overdue": ("Overdue", "red"),
    "due_soon": ("Due soon", "orange"),
    "done": ("Up to date", "green"),
}


def active_courses() -> list[Course]:
    return list(Course.objects.filter(is_active=True).order_by("name"))


def training_for(staff_list, courses, today) -> dict[int, list[TrainingStatus]]:
    """{staff id: [TrainingStatus for each course their roles must do]} (one query)."""
    ids = [s.pk for s in staff_list]
    latest: dict[tuple[int, int], TrainingCompletion] = {}
    for completion in TrainingCompletion.objects.filter(staff_id__in=ids, course__in=courses).order_by(
        "completed_on", "id"
    ):
        latest[(completion.staff_id, completion.course_id)] = completion
    result = {}
    for staff in staff_list:
        codes = _codes(staff)
        rows = []
        for course in courses:
            if not course.applies_to(codes):
                continue
            last = latest.get((staff.pk, course.pk))
            rows.append(TrainingStatus(course, last, course.expiry_for(last.completed_on) if last else None))
        result[staff.pk] = rows
    return result


@dataclass
class CourseCompliance:
    course: Course
    required: int = 0
    compliant: int = 0
    overdue: list = field(default_factory=list)  # (staff, TrainingStatus)

    @property
    def percent(self) -> int | None:
        return round(100 * self.compliant / self.required) if self.required else None


def team_matrix(team, today) -> dict:
    """The team's training matrix: each member × each course, and compliance per course
    (four queries: members, roles, courses, completions)."""
    members = team_members(team)
    courses = active_courses()
    training = training_for(members, courses, today)
    by_course = {course.pk: CourseCompliance(course) for course in courses}
    cells = {}
    for staff in members:
        row = {status.course.pk: status for status in training[staff.pk]}
        cells[staff.pk] = row
        for status in training[staff.pk]:
            compliance = by_course[status.course.pk]
            compliance.required += 1
            state = status.state(today)
            if state in ("done", "due_soon"):
                compliance.compliant += 1
            else:
                compliance.overdue.append((staff, status))
    return {"members": members, "courses": courses, "cells": cells, "compliance": list(by_course.values())}


# Supervision ------------------------------------------------------------------------------------


@dataclass
class SupervisionDue:
    kind: str
    every_weeks: int
    last: date | None
    due: date

    @property
    def label(self) -> str:
        return SupervisionKind(self.kind).label

    def overdue(self, today: date) -> bool:
        return self.due < today


def supervision_due_for(staff_list, today) -> dict[int, list[SupervisionDue]]:
    """{staff id: what supervision the policy expects of their roles and when it is due} (two
    queries). With no supervision recorded, it is due today."""
    ids = [s.pk for s in staff_list]
    policies = defaultdict(dict)
    for policy in SupervisionPolicy.objects.all():
        policies[policy.role][policy.kind] = policy.every_weeks
    last = {}
    through = Supervision.supervisees.through
    for row in (
        through.objects.filter(user_id__in=ids)
        .values("user_id", "supervision__kind")
        .annotate(last=Max("supervision__held_on"))
    ):
        kind = COUNTS_AS.get(row["supervision__kind"], row["supervision__kind"])
        key = (row["user_id"], kind)
        if key not in last or row["last"] > last[key]:
            last[key] = row["last"]
    result = {}
    for staff in staff_list:
        wanted: dict[str, int] = {}
        for code in _codes(staff):
            for kind, weeks in policies.get(code, {}).items():
                wanted[kind] = min(weeks, wanted.get(kind, weeks))
        rows = []
        for kind, weeks in sorted(wanted.items()):
            held = last.get((staff.pk, kind))
            rows.append(SupervisionDue(kind, weeks, held, held + timedelta(weeks=weeks) if held else today))
        result[staff.pk] = rows
    return result


def supervisions_of(staff, viewer) -> list[dict]:
    """Supervision sessions `staff` received or gave, newest first. `full` when the viewer was
    there (supervisor or supervisee); otherwise only that it happened and its actions."""
    sessions = (
        Supervision.objects.filter(Q(supervisees=staff) | Q(supervisor=staff))
        .distinct()
        .select_related("supervisor")
        .prefetch_related(
            "supervisees", Prefetch("cases", queryset=CaseDiscussion.objects.select_related("person"))
        )
        .order_by("-held_on", "-id")
    )
    rows = []
    for session in sessions:
        supervisees = list(session.supervisees.all())
        present = viewer.pk == session.supervisor_id or any(s.pk == viewer.pk for s in supervisees)
        rows.append({"session": session, "supervisees": supervisees, "full": present})
    return rows


def supervision_for_page(staff, supervision_id):
    """One session `staff` took part in (as supervisee or supervisor), or None."""
    return (
        Supervision.objects.filter(pk=supervision_id)
        .filter(Q(supervisees=staff) | Q(supervisor=staff))
        .distinct()
        .select_related("supervisor")
        .prefetch_related(
            "supervisees", Prefetch("cases", queryset=CaseDiscussion.objects.select_related("person", "task"))
        )
        .first()
    )


# One member of staff ----------------------------------------------------------------------------


def line_manager_of(staff):
    line = LineManagement.objects.current().filter(staff=staff).select_related("manager").first()
    return line.manager if line else None


def approvals_with_hours(staff, today) -> list[dict]:
    """Each approval with the hours recorded in the last 12 months (two queries)."""
    approvals = list(Approval.objects.filter(staff=staff).prefetch_related("hours"))
    year_ago = today - timedelta(days=365)
    rows = []
    for approval in approvals:
        entries = list(approval.hours.all())
        this_year = sum((e.hours for e in entries if e.done_on >= year_ago), start=0)
        rows.append({"approval": approval, "entries": entries, "hours_this_year": this_year})
    return rows


def staff_overview(staff, viewer, today) -> dict:
    """Everything on one member of staff's workforce record (a fixed number of queries)."""
    courses = active_courses()
    return {
        "line_manager": line_manager_of(staff),
        "registrations": list(ProfessionalRegistration.objects.filter(staff=staff)),
        "dbs_checks": list(DbsCheck.objects.filter(staff=staff)),
        "approvals": approvals_with_hours(staff, today),
        "training": training_for([staff], courses, today)[staff.pk],
        "supervision_due": supervision_due_for([staff], today)[staff.pk],
        "supervisions": supervisions_of(staff, viewer),
        "appraisals": list(
            Appraisal.objects.filter(staff=staff).select_related("appraiser").prefetch_related("progress")
        ),
        "placements": list(
            Placement.objects.filter(student=staff).select_related(
                "team", "practice_supervisor", "practice_assessor"
            )
        ),
        "students": list(
            Placement.objects.filter(
                Q(practice_supervisor=staff) | Q(practice_assessor=staff), ends_on__gte=today
            )
            .select_related("student", "team")
            .distinct()
        ),
    }


def registration_for_page(staff, registration_id):
    return ProfessionalRegistration.objects.filter(pk=registration_id, staff=staff).first()


def approval_for_page(staff, approval_id):
    return Approval.objects.filter(pk=approval_id, staff=staff).first()


def appraisal_for_page(staff, appraisal_id):
    return (
        Appraisal.objects.filter(pk=appraisal_id, staff=staff)
        .select_related("appraiser")
        .prefetch_related("progress")
        .first()
    )


def placement_for_page(staff, placement_id):
    return (
        Placement.objects.filter(pk=placement_id, student=staff)
        .select_related("team", "practice_supervisor", "practice_assessor")
        .first()
    )


def course_by_id(course_id):
    return Course.objects.filter(pk=course_id).first()


def active_course_queryset():
    return Course.objects.filter(is_active=True).order_by("name")


def all_courses():
    return list(Course.objects.order_by("-is_active", "name"))


def staff_in_teams(team_ids) -> list:
    member_ids = Membership.objects.current().filter(team_id__in=team_ids).values("user_id")
    return list(User.objects.filter(pk__in=member_ids, is_active=True).order_by("last_name", "first_name"))


def teams_by_ids(team_ids):
    return list(Team.objects.filter(pk__in=team_ids).order_by("name"))


def line_manager_candidates(staff) -> list:
    """Staff in the same teams as `staff`, other than them (one query)."""
    team_ids = Membership.objects.current().filter(user=staff).values("team_id")
    member_ids = Membership.objects.current().filter(team_id__in=team_ids).values("user_id")
    return list(User.objects.filter(pk__in=member_ids, is_active=True).exclude(pk=staff.pk))


# The team manager's page ------------------------------------------------------------------------


def manager_page(team, today) -> dict:
    """Supervision overdue, training compliance per course, registrations and approvals expiring
    within 60 days, appraisals due and students on placement, for one team (fixed queries)."""
    matrix = team_matrix(team, today)
    members = matrix["members"]
    ids = [m.pk for m in members]
    by_id = {m.pk: m for m in members}
    horizon = today + timedelta(days=EXPIRING_DAYS)
    due = supervision_due_for(members, today)
    supervision_overdue = [
        (by_id[staff_id], item) for staff_id, items in due.items() for item in items if item.overdue(today)
    ]
    supervision_overdue.sort(key=lambda pair: (pair[1].due, pair[0].last_name))

    latest_registration = {}
    for registration in ProfessionalRegistration.objects.filter(staff_id__in=ids).order_by(
        "expires_on", "id"
    ):
        latest_registration[(registration.staff_id, registration.body)] = registration
    registrations = sorted(
        (
            r
            for r in latest_registration.values()
            if r.expires_on <= horizon or (r.renewal_due_on and r.renewal_due_on <= horizon)
        ),
        key=lambda r: min(r.expires_on, r.renewal_due_on or r.expires_on),
    )
    latest_approval = {}
    for approval in Approval.objects.filter(staff_id__in=ids).order_by("approved_until", "id"):
        latest_approval[(approval.staff_id, approval.kind)] = approval
    approvals = sorted(
        (a for a in latest_approval.values() if a.approved_until <= horizon), key=lambda a: a.approved_until
    )

    latest_appraisal = {
        row["staff_id"]: row["due"]
        for row in Appraisal.objects.filter(staff_id__in=ids)
        .values("staff_id")
        .annotate(due=Max("next_due_on"))
    }
    appraisals_due = sorted(
        (
            (by_id[staff_id], latest_appraisal.get(staff_id))
            for staff_id in ids
            if latest_appraisal.get(staff_id) is None or latest_appraisal[staff_id] <= horizon
        ),
        key=lambda pair: (pair[1] or date.min, pair[0].last_name),
    )
    students = list(
        Placement.objects.filter(team=team, ends_on__gte=today)
        .select_related("student", "practice_supervisor", "practice_assessor")
        .order_by("starts_on")
    )
    return {
        "members": members,
        "by_id": by_id,
        "supervision_overdue": supervision_overdue,
        "compliance": matrix["compliance"],
        "registrations": registrations,
        "approvals": approvals,
        "appraisals_due": appraisals_due,
        "students": students,
        "horizon": horizon,
    }


def is_team_manager_of(viewer, team) -> bool:
    return viewer.has_role(RoleCode.TEAM_MANAGER) and team.pk in viewer.current_team_ids()
