"""Assessment services: drafts, versions, sign-off, revisions kept, replacement, audit, clock-stop."""

import datetime

import pytest
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.assessments import services
from waypoint.assessments.factories import AssessmentFactory, holistic_answers
from waypoint.assessments.models import Assessment, AssessmentRevision, Kind, Status
from waypoint.audit.models import Action, AuditEvent
from waypoint.measures import four_week
from waypoint.patients.factories import CarerFactory
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import Status as ReferralStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)


def start(coordinator, person, kind=Kind.HOLISTIC, answers=None, columns=None, **kwargs):
    return services.start_assessment(
        by=Actor(coordinator, basis="team"),
        person=person,
        kind=kind,
        answers=answers if answers is not None else holistic_answers(),
        columns=columns or {"assessed_on": TODAY},
        **kwargs,
    )


class TestDrafts:
    def test_start_saves_a_draft_with_its_first_revision_and_audits_field_names_only(
        self, coordinator, person
    ):
        assessment = start(coordinator, person)
        assert assessment.status == Status.DRAFT and assessment.version == 1
        assert assessment.revisions.count() == 1
        event = AuditEvent.objects.get(record_type="assessment", action=Action.CREATE)
        assert event.person == person and event.record_id == str(assessment.pk)
        assert "mental_health_says" in event.fields_changed
        assert "synthetic" not in str(event.fields_changed)

    def test_each_save_keeps_a_revision_and_bumps_the_version(self, coordinator, person):
        assessment = start(coordinator, person)
        answers = dict(assessment.answers, mental_health_says="Sleeping better (synthetic)")
        saved = services.save_assessment(
            by=Actor(coordinator, basis="team"),
            assessment=assessment,
            answers=answers,
            columns={"assessed_on": TODAY},
            version=1,
        )
        assert saved.version == 2
        numbers = list(AssessmentRevision.objects.filter(assessment=saved).values_list("number", flat=True))
        assert sorted(numbers) == [1, 2]
        first = AssessmentRevision.objects.get(assessment=saved, number=1)
        assert first.answers["mental_health_says"] != "Sleeping better (synthetic)"
        event = AuditEvent.objects.get(record_type="assessment", action=Action.UPDATE)
        assert event.fields_changed == ["mental_health_says"]

    def test_a_stale_save_is_refused_and_nothing_changes(self, coordinator, person):
        assessment = start(coordinator, person)
        services.save_assessment(
            by=Actor(coordinator, basis="team"),
            assessment=assessment,
            answers=assessment.answers,
            columns={},
            version=1,
        )
        with pytest.raises(services.StaleAssessment) as exc:
            services.save_assessment(
                by=Actor(coordinator, basis="team"),
                assessment=assessment,
                answers={},
                columns={},
                version=1,
            )
        assert exc.value.current_version == 2
        assert Assessment.objects.get(pk=assessment.pk).answers == assessment.answers


class TestCompletion:
    def test_complete_signs_off_and_then_it_is_read_only(self, coordinator, person):
        assessment = start(coordinator, person)
        done = services.save_assessment(
            by=Actor(coordinator, basis="team"),
            assessment=assessment,
            answers=assessment.answers,
            columns={},
            version=1,
            complete=True,
        )
        assert done.status == Status.COMPLETED
        assert done.completed_by == coordinator and done.completed_at
        assert AuditEvent.objects.filter(record_type="assessment", action=Action.COMPLETE).count() == 1
        assert done.revisions.get(number=2).status == Status.COMPLETED
        with pytest.raises(services.AssessmentCompleted):
            services.save_assessment(
                by=Actor(coordinator, basis="team"),
                assessment=done,
                answers={},
                columns={},
                version=2,
            )

    def test_can_be_completed_straight_away(self, coordinator, person):
        assessment = start(coordinator, person, complete=True)
        assert assessment.is_completed and assessment.revisions.count() == 1

    def test_a_correction_replaces_the_earlier_one_which_stays(self, coordinator, person):
        earlier = start(coordinator, person, complete=True)
        correction = start(coordinator, person, replaces=earlier)
        earlier = Assessment.objects.with_people().get(pk=earlier.pk)
        assert earlier.replacement == correction and not earlier.is_replaced  # not until completed
        services.save_assessment(
            by=Actor(coordinator, basis="team"),
            assessment=correction,
            answers=correction.answers,
            columns={},
            version=1,
            complete=True,
        )
        earlier = Assessment.objects.with_people().get(pk=earlier.pk)
        assert earlier.is_replaced and earlier.is_completed
        assert Assessment.objects.filter(person=person).count() == 2
        assert list(Assessment.objects.filter(person=person).current()) == [
            Assessment.objects.get(pk=correction.pk)
        ]

    def test_only_a_completed_assessment_can_be_replaced_once(self, coordinator, person):
        draft = start(coordinator, person)
        with pytest.raises(services.CannotReplace):
            start(coordinator, person, replaces=draft)
        done = start(coordinator, person, complete=True)
        start(coordinator, person, replaces=done)
        with pytest.raises(services.CannotReplace):
            start(coordinator, person, replaces=done)
        with pytest.raises(services.CannotReplace):
            start(coordinator, person, kind=Kind.INITIAL, answers={}, replaces=done)


class TestClockStop:
    def test_completing_a_holistic_needs_assessment_records_the_first_assessment(
        self, coordinator, person, team
    ):
        referral = ReferralFactory(
            person=person, team=team, recorded_by=coordinator, status=ReferralStatus.IN_ASSESSMENT
        )
        assessment = start(coordinator, person, complete=True)
        referral.refresh_from_db()
        assert referral.first_assessment_at == assessment.completed_at
        parts = {part.key: part for part in four_week.clock_for(referral).parts}
        assert parts["coded_assessment"].done_at == assessment.completed_at
        assert AuditEvent.objects.filter(
            record_type="referral", fields_changed=["first_assessment_at"]
        ).exists()

    def test_a_draft_or_a_carers_assessment_does_not_count(self, coordinator, person, team):
        referral = ReferralFactory(
            person=person, team=team, recorded_by=coordinator, status=ReferralStatus.WAITING
        )
        start(coordinator, person)
        carer = CarerFactory(person=person)
        start(
            coordinator,
            person,
            kind=Kind.CARER,
            answers={"offered_on": "2026-11-01", "response": "declined", "declined_on": "2026-11-02"},
            columns={"carer": carer},
            complete=True,
        )
        referral.refresh_from_db()
        assert referral.first_assessment_at is None

    def test_the_linked_referral_counts_and_an_earlier_time_is_kept(self, coordinator, person, team):
        earlier = timezone.now() - datetime.timedelta(days=2)
        referral = ReferralFactory(
            person=person,
            team=team,
            recorded_by=coordinator,
            status=ReferralStatus.CLOSED,
            first_assessment_at=earlier,
        )
        start(
            coordinator,
            person,
            kind=Kind.INITIAL,
            answers={},
            columns={"assessed_on": TODAY, "referral": referral},
            complete=True,
        )
        referral.refresh_from_db()
        assert referral.first_assessment_at == earlier


class TestCarersAssessment:
    def test_carer_status_on_the_carer_follows_the_assessment(self, coordinator, person):
        carer = CarerFactory(person=person)
        assessment = start(
            coordinator,
            person,
            kind=Kind.CARER,
            answers={"offered_on": "2026-11-01", "response": "waiting"},
            columns={"carer": carer},
        )
        carer.refresh_from_db()
        assert carer.carer_assessment == "offered"
        services.save_assessment(
            by=Actor(coordinator, basis="team"),
            assessment=assessment,
            answers={"offered_on": "2026-11-01", "response": "accepted"},
            columns={"carer": carer, "assessed_on": TODAY, "review_on": TODAY + datetime.timedelta(days=365)},
            version=1,
            complete=True,
        )
        carer.refresh_from_db()
        assert carer.carer_assessment == "completed"
        assert (
            AuditEvent.objects.filter(record_type="carer", fields_changed=["carer_assessment"]).count() == 2
        )

    def test_declined(self, coordinator, person):
        carer = CarerFactory(person=person)
        assessment = start(
            coordinator,
            person,
            kind=Kind.CARER,
            answers={"offered_on": "2026-11-01", "response": "declined", "declined_on": "2026-11-03"},
            columns={"carer": carer},
            complete=True,
        )
        assert assessment.carer_state == "declined"
        assert assessment.declined_on == datetime.date(2026, 11, 3)


def test_factory_makes_a_revision(coordinator, person):
    assessment = AssessmentFactory(person=person, created_by=coordinator, completed=True)
    assert assessment.revisions.count() == 1 and assessment.is_completed


class TestDatabaseRefusesChanges:
    def test_a_completed_assessment_cannot_be_updated_even_directly(self, coordinator, person):
        from django.db import DatabaseError, transaction

        done = AssessmentFactory(person=person, created_by=coordinator, completed=True)
        with pytest.raises(DatabaseError), transaction.atomic():
            Assessment.objects.filter(pk=done.pk).update(answers={})
        draft = AssessmentFactory(person=person, created_by=coordinator)
        Assessment.objects.filter(pk=draft.pk).update(answers={})  # a draft can change
        with pytest.raises(DatabaseError), transaction.atomic():
            AssessmentRevision.objects.filter(assessment=draft).update(answers={})
        assert AssessmentRevision.objects.get(assessment=draft).answers != {}
