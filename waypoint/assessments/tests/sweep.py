"""Ids for the no-relationship sweep (waypoint/access/tests/test_no_relationship_sweep.py)."""

from waypoint.assessments.factories import AssessmentFactory


def record_factories(person, coordinator, team):
    made = {}

    def assessment():
        if "assessment" not in made:
            made["assessment"] = AssessmentFactory(person=person, created_by=coordinator)
        return made["assessment"]

    return {
        "assessment_id": lambda: assessment().pk,
        "assessment_revision_id": lambda: assessment().revisions.first().pk,
    }
