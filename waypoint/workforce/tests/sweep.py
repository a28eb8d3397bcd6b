"""Workforce ids for the no-relationship sweep: records of `coordinator` (a member of staff on
`team`); the sweep's outsider is in another team and has no line relationship to them."""

from waypoint.workforce.factories import (
    AppraisalFactory,
    ApprovalFactory,
    CourseFactory,
    PlacementFactory,
    RegistrationFactory,
    SupervisionFactory,
)


def record_factories(person, coordinator, team):
    return {
        "staff_id": lambda: coordinator.pk,
        "registration_id": lambda: RegistrationFactory(staff=coordinator).pk,
        "approval_id": lambda: ApprovalFactory(staff=coordinator).pk,
        "supervision_id": lambda: SupervisionFactory(supervisor=coordinator, supervisees=[coordinator]).pk,
        "appraisal_id": lambda: AppraisalFactory(staff=coordinator, appraiser=coordinator).pk,
        "placement_id": lambda: (
            PlacementFactory(
                student=coordinator, team=team, practice_supervisor=coordinator, practice_assessor=coordinator
            ).pk
        ),
        "course_id": lambda: CourseFactory().pk,
    }
