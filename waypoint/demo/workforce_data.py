"""Synthetic workforce records: the training catalogue, line management, and for every demo member
of staff in a team a DBS check, training (some overdue), supervision (some overdue) and an
appraisal; a registration for everyone in a regulated profession; AMHP and BIA approvals (one
ending within 60 days); one student on placement. All numbers are made up."""

from datetime import timedelta

from django.utils import timezone

from waypoint.accounts.models import Profession, RoleCode
from waypoint.workforce.models import (
    Appraisal,
    Approval,
    ApprovalHours,
    ApprovalKind,
    Course,
    DbsCheck,
    DbsLevel,
    LineManagement,
    Placement,
    ProfessionalRegistration,
    RegistrationBody,
    StudentProfession,
    Supervision,
    SupervisionKind,
    TrainingCompletion,
    TrainingMethod,
)

CLINICAL = [
    RoleCode.CARE_COORDINATOR,
    RoleCode.AMHP,
    RoleCode.BIA,
    RoleCode.PSYCHIATRIST,
    RoleCode.PSYCHOLOGIST,
    RoleCode.TEAM_MANAGER,
    RoleCode.SUPPORT_WORKER,
    RoleCode.STUDENT,
]
# name, roles that must do it (empty: everyone), valid for months
COURSES = [
    ("Information governance and data security", [], 12),
    ("Fire safety", [], 24),
    ("Equality, diversity and human rights", [], 36),
    ("Basic life support", CLINICAL, 12),
    ("Safeguarding adults level 3", [RoleCode.CARE_COORDINATOR, RoleCode.AMHP, RoleCode.TEAM_MANAGER], 36),
    ("Mental Capacity Act and DoLS", [RoleCode.CARE_COORDINATOR, RoleCode.AMHP, RoleCode.BIA], 36),
    ("Prevent", [], 36),
]
BODY = {
    Profession.NURSE: RegistrationBody.NMC,
    Profession.SOCIAL_WORKER: RegistrationBody.SWE,
    Profession.OCCUPATIONAL_THERAPIST: RegistrationBody.HCPC,
    Profession.PSYCHOLOGIST: RegistrationBody.HCPC,
    Profession.DOCTOR: RegistrationBody.GMC,
}
# Whose supervision is overdue, whose training has lapsed, whose appraisal is due (demo usernames).
SUPERVISION_OVERDUE = {"socialworker", "support", "outreach"}
TRAINING_LAPSED = {"coordinator", "support", "psychiatrist", "rehab"}
APPRAISAL_DUE = {"coordinator", "support"}
REGISTRATION_EXPIRING = {"socialworker"}


def build_workforce(*, teams, staff):
    if Course.objects.exists():  # built once; the demo can be rebuilt on top of itself
        return
    today = timezone.localdate()
    manager = staff["manager"]
    courses = Course.objects.bulk_create(
        [
            Course(name=name, required_roles=sorted(roles), valid_for_months=months)
            for name, roles, months in COURSES
        ]
    )
    members = [u for name, u in staff.items() if u.current_team_ids() and name != "workforceadmin"]
    LineManagement.objects.bulk_create(
        [
            LineManagement(staff=u, manager=manager, started_on=today - timedelta(days=400))
            for u in members
            if u.pk != manager.pk
        ]
    )
    registrations, checks, completions, supervisions, appraisals = [], [], [], [], []
    supervisees = []
    for index, user in enumerate(members):
        name = user.username
        body = BODY.get(user.profession)
        if body and name != "student":
            expires = today + timedelta(days=25 if name in REGISTRATION_EXPIRING else 200 + 30 * index)
            registrations.append(
                ProfessionalRegistration(
                    staff=user,
                    body=body,
                    number=f"DEMO{90000 + index}",
                    registered_on=today - timedelta(days=3000 + 40 * index),
                    expires_on=expires,
                    renewal_due_on=expires - timedelta(days=14),
                    recorded_by=manager,
                )
            )
        checks.append(
            DbsCheck(
                staff=user,
                checked_on=today - timedelta(days=300 + 50 * index),
                level=DbsLevel.ENHANCED_BARRED,
                update_service=index % 2 == 0,
                recorded_by=manager,
            )
        )
        codes = user.role_codes()
        for number, course in enumerate(courses):
            if not course.applies_to(codes):
                continue
            months = course.valid_for_months
            lapsed = name in TRAINING_LAPSED and number % 3 == index % 3
            done = today - timedelta(days=months * 31 + 20 if lapsed else 20 + 11 * ((index + number) % 9))
            completions.append(
                TrainingCompletion(
                    staff=user,
                    course=course,
                    completed_on=done,
                    method=TrainingMethod.E_LEARNING if number % 2 else TrainingMethod.FACE_TO_FACE,
                    evidence=f"LMS-DEMO-{index}-{number}",
                    recorded_by=manager,
                )
            )
        weeks_ago = 9 if name in SUPERVISION_OVERDUE else 2
        for kind, offset in ((SupervisionKind.CLINICAL, 0), (SupervisionKind.MANAGERIAL, 1)):
            held = today - timedelta(weeks=weeks_ago + offset)
            if user.pk == manager.pk:
                supervisor = staff["psychiatrist"]
            elif kind == SupervisionKind.CLINICAL and name != "psychologist":
                supervisor = staff["psychologist"]
            else:
                supervisor = manager
            supervisions.append(
                Supervision(
                    kind=kind,
                    held_on=held,
                    supervisor=supervisor,
                    themes="Caseload pressures; a complex family situation (synthetic).",
                    wellbeing="Managing well; talked about leave (synthetic).",
                    actions="Book the AMHP refresher; review two care plans (synthetic).",
                    next_on=held + timedelta(weeks=4),
                    team=teams.get("North CMHT"),
                    recorded_by=manager,
                )
            )
            supervisees.append(user)
        appraisal_held = today - timedelta(days=350 if name in APPRAISAL_DUE else 100 + 10 * index)
        appraisals.append(
            Appraisal(
                staff=user,
                appraiser=manager if user.pk != manager.pk else staff["psychiatrist"],
                held_on=appraisal_held,
                objectives="Complete the leadership module; lead the team's carers' group (synthetic).",
                development_needs="More experience of family work (synthetic).",
                development_plan="Family interventions course; shadow the Early Intervention team (synthetic).",
                next_due_on=appraisal_held + timedelta(days=365),
                recorded_by=manager,
            )
        )
    ProfessionalRegistration.objects.bulk_create(registrations)
    DbsCheck.objects.bulk_create(checks)
    TrainingCompletion.objects.bulk_create(completions)
    made = Supervision.objects.bulk_create(supervisions)
    Supervision.supervisees.through.objects.bulk_create(
        [
            Supervision.supervisees.through(supervision_id=s.pk, user_id=u.pk)
            for s, u in zip(made, supervisees, strict=True)
        ]
    )
    Appraisal.objects.bulk_create(appraisals)
    approvals = Approval.objects.bulk_create(
        [
            Approval(
                staff=staff["amhp"],
                kind=ApprovalKind.AMHP,
                approving_authority="Demo County Council",
                approved_from=today - timedelta(days=5 * 365 - 40),
                approved_until=today + timedelta(days=40),
                hours_required_per_year=18,
                other_requirements="Re-approval panel with evidence of AMHP practice (synthetic).",
                recorded_by=manager,
            ),
            Approval(
                staff=staff["bia"],
                kind=ApprovalKind.BIA,
                approving_authority="Demo County Council",
                approved_from=today - timedelta(days=400),
                approved_until=today + timedelta(days=330),
                hours_required_per_year=6,
                recorded_by=manager,
            ),
        ]
    )
    ApprovalHours.objects.bulk_create(
        [
            ApprovalHours(
                approval=approvals[0],
                done_on=today - timedelta(days=60),
                hours=7,
                activity="AMHP legal update",
                recorded_by=manager,
            ),
            ApprovalHours(
                approval=approvals[0],
                done_on=today - timedelta(days=200),
                hours=4,
                activity="Reflective AMHP forum",
                recorded_by=manager,
            ),
            ApprovalHours(
                approval=approvals[1],
                done_on=today - timedelta(days=90),
                hours=6,
                activity="BIA refresher",
                recorded_by=manager,
            ),
        ]
    )
    Placement.objects.create(
        student=staff["student"],
        team=teams["North CMHT"],
        profession=StudentProfession.NURSING,
        university="University of Demoford",
        year_of_study=2,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=50),
        practice_supervisor=staff["coordinator"],
        practice_assessor=staff["amhp"],
        midpoint_on=today - timedelta(days=2),
        midpoint_outcome="on_track",
        recorded_by=manager,
    )
