"""What plans make due (worklist providers), the record section, and the 4-week clock-stop component."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.episodes.models import Allocation, AllocationKind
from waypoint.measures import four_week
from waypoint.patients.factories import TeamRegistrationFactory
from waypoint.plans import worklist
from waypoint.plans.factories import PlanFactory, PlanRevisionFactory
from waypoint.plans.models import PlanKind, RevisionStatus
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import Status
from waypoint.worklist.registry import Severity, due_for, registered_providers

TODAY = timezone.localdate()


def allocate(person, team, worker, kind=AllocationKind.CARE_COORDINATOR, ended=False):
    started = timezone.now() - datetime.timedelta(days=60)
    return Allocation.objects.create(
        person=person,
        team=team,
        worker=worker,
        kind=kind,
        allocated_by=worker,
        started_at=started,
        ended_at=started + datetime.timedelta(days=1) if ended else None,
    )


def agreed_plan(person, team, worker, kind=PlanKind.CARE, **revision):
    plan = PlanFactory(person=person, team=team, created_by=worker, kind=kind)
    return PlanRevisionFactory(plan=plan, agreed=True, **revision)


def items(provider, ids, today=TODAY):
    return list(provider(ids, today))


@pytest.mark.django_db
class TestProviders:
    def test_registered(self):
        assert {"care_plan_review_date", "care_plan_agreed", "safety_plan"} <= set(registered_providers())

    def test_care_plan_review_overdue_due_and_not_yet(self, team, coordinator):
        overdue, soon, later = (TeamRegistrationFactory(team=team).person for _ in range(3))
        agreed_plan(overdue, team, coordinator, review_on=TODAY - datetime.timedelta(days=3))
        agreed_plan(soon, team, coordinator, review_on=TODAY + datetime.timedelta(days=10))
        agreed_plan(later, team, coordinator, review_on=TODAY + datetime.timedelta(days=200))
        found = {
            i.person_id: i for i in items(worklist.care_plan_review_due, [overdue.pk, soon.pk, later.pk])
        }
        assert (
            found[overdue.pk].what == "Care plan review overdue"
            and found[overdue.pk].severity == Severity.OVERDUE
        )
        assert found[overdue.pk].kind == "care_plan_review_date"
        assert found[soon.pk].what == "Care plan review due" and found[soon.pk].severity == Severity.DUE_SOON
        assert later.pk not in found

    def test_a_draft_review_date_does_not_count(self, person, team, coordinator):
        PlanRevisionFactory(
            plan=PlanFactory(person=person, team=team, created_by=coordinator),
            review_on=TODAY - datetime.timedelta(days=3),
        )
        assert items(worklist.care_plan_review_due, [person.pk]) == []

    def test_safety_and_care_plan_missing_only_for_people_with_a_care_coordinator(self, team, coordinator):
        coordinated, assessed, ended = (TeamRegistrationFactory(team=team).person for _ in range(3))
        allocate(coordinated, team, coordinator)
        allocate(assessed, team, coordinator, kind=AllocationKind.ASSESSING)
        allocate(ended, team, coordinator, ended=True)
        ids = [coordinated.pk, assessed.pk, ended.pk]
        assert [(i.person_id, i.what) for i in items(worklist.safety_plan_due, ids)] == [
            (coordinated.pk, "No safety plan")
        ]
        assert [(i.person_id, i.what) for i in items(worklist.no_agreed_care_plan, ids)] == [
            (coordinated.pk, "No agreed care plan")
        ]

    def test_safety_plan_not_reviewed_for_12_months(self, team, coordinator):
        old, recent = (TeamRegistrationFactory(team=team).person for _ in range(2))
        for person in (old, recent):
            allocate(person, team, coordinator)
        agreed_plan(
            old, team, coordinator, kind=PlanKind.SAFETY, agreed_on=TODAY - datetime.timedelta(days=400)
        )
        agreed_plan(
            recent, team, coordinator, kind=PlanKind.SAFETY, agreed_on=TODAY - datetime.timedelta(days=30)
        )
        found = items(worklist.safety_plan_due, [old.pk, recent.pk])
        assert [(i.person_id, i.what, i.severity) for i in found] == [
            (old.pk, "Safety plan not reviewed for 12 months", Severity.OVERDUE)
        ]
        assert found[0].url == reverse("plans:plan", args=[old.pk, old.plans.get().pk])

    def test_draft_only_says_so(self, person, team, coordinator):
        allocate(person, team, coordinator)
        PlanRevisionFactory(plan=PlanFactory(person=person, team=team, created_by=coordinator))
        assert [i.what for i in items(worklist.no_agreed_care_plan, [person.pk])] == [
            "No agreed care plan (draft in progress)"
        ]

    def test_fixed_number_of_queries_for_many_people(self, team, coordinator, django_assert_max_num_queries):
        def make(n):
            ids = []
            for index in range(n):
                person = TeamRegistrationFactory(team=team).person
                allocate(person, team, coordinator)
                agreed_plan(person, team, coordinator, review_on=TODAY - datetime.timedelta(days=index + 1))
                agreed_plan(
                    person,
                    team,
                    coordinator,
                    kind=PlanKind.SAFETY,
                    agreed_on=TODAY - datetime.timedelta(days=400),
                )
                ids.append(person.pk)
            return ids

        few = make(1)
        with django_assert_max_num_queries(60) as baseline:
            due_for(few, TODAY)
        many = few + make(10)
        with django_assert_max_num_queries(len(baseline.captured_queries)):
            found = due_for(many, TODAY)
        assert all(any(i.kind == "care_plan_review_date" for i in found[pk]) for pk in many)

    def test_record_page_shows_no_safety_plan_plainly(self, coordinator_client, person, team, coordinator):
        allocate(person, team, coordinator)
        body = coordinator_client.get(reverse("patients:detail", args=[person.pk])).content.decode()
        assert "No safety plan" in body and "No agreed care plan" in body and "Plans" in body


@pytest.mark.django_db
class TestClockStop:
    def referral(self, person, team, coordinator, **kwargs):
        return ReferralFactory(
            person=person,
            team=team,
            recorded_by=coordinator,
            received_at=timezone.now() - datetime.timedelta(days=20),
            **kwargs,
        )

    def part(self, referral):
        return next(p for p in four_week.clock_for(referral).parts if p.key == "agreed_care_plan")

    def test_first_agreed_care_plan_is_part_four_of_the_clock_stop(self, person, team, coordinator):
        referral = self.referral(
            person,
            team,
            coordinator,
            status=Status.IN_ASSESSMENT,
            first_contact_attended_at=timezone.now() - datetime.timedelta(days=10),
        )
        assert self.part(referral).done_at is None
        plan = PlanFactory(person=person, team=team, created_by=coordinator)
        PlanRevisionFactory(
            plan=plan,
            agreed=True,
            agreed_on=TODAY - datetime.timedelta(days=5),
            status=RevisionStatus.SUPERSEDED,
        )
        PlanRevisionFactory(plan=plan, agreed=True, agreed_on=TODAY - datetime.timedelta(days=1))
        recorded = self.part(referral).done_at
        assert timezone.localtime(recorded).date() == TODAY - datetime.timedelta(days=5)

    def test_a_care_plan_agreed_before_the_referral_or_with_another_team_does_not_count(
        self, person, team, other_team, coordinator
    ):
        referral = self.referral(
            person, team, coordinator, status=Status.IN_ASSESSMENT, first_contact_attended_at=timezone.now()
        )
        PlanRevisionFactory(
            plan=PlanFactory(person=person, team=other_team, created_by=coordinator),
            agreed=True,
            agreed_on=TODAY,
        )
        assert self.part(referral).done_at is None


@pytest.mark.django_db
def test_a_missing_safety_plan_is_overdue_once_the_configured_days_since_allocation_pass(
    team, coordinator, settings
):
    settings.WAYPOINT_SAFETY_ITEMS_DAYS = 10
    person = TeamRegistrationFactory(team=team).person
    allocation = Allocation.objects.create(
        person=person,
        team=team,
        worker=coordinator,
        kind=AllocationKind.CARE_COORDINATOR,
        allocated_by=coordinator,
    )
    today = timezone.localdate()
    [item] = [i for i in due_for([person.pk], today)[person.pk] if i.kind == "safety_plan"]
    assert (item.severity, item.due) == (Severity.DUE_SOON, today + datetime.timedelta(days=10))
    Allocation.objects.filter(pk=allocation.pk).update(
        started_at=timezone.now() - datetime.timedelta(days=11)
    )
    [item] = [i for i in due_for([person.pk], today)[person.pk] if i.kind == "safety_plan"]
    assert (item.what, item.severity) == ("No safety plan", Severity.OVERDUE)
