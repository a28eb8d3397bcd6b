"""Ids for the no-relationship sweep (waypoint/access/tests/test_no_relationship_sweep.py)."""

from waypoint.measures.factories import MeasureFactory


def record_factories(person, coordinator, team):
    return {
        "measure_id": lambda: MeasureFactory(person=person, recorded_by=coordinator).pk,
        "code": lambda: "phq9",
        **_more(person, coordinator),
    }


def _more(person, coordinator):
    from django.utils import timezone

    from waypoint.measures.models import DialogPlusSession, SelfCompletion

    def session():
        measure = MeasureFactory(person=person, recorded_by=coordinator, code="dialog", answers={})
        return DialogPlusSession.objects.create(
            person=person,
            measure=measure,
            domains=["job"],
            recorded_by=coordinator,
            recorded_at=timezone.now(),
        ).pk

    return {
        "self_completion_id": lambda: (
            SelfCompletion.objects.create(
                person=person, code="phq9", timing="baseline", started_by=coordinator
            ).pk
        ),
        "dialog_plus_id": session,
    }
