"""The crisis plan shows the person's advance statements and decisions in force (issue 12 item 6):
withdrawn and entered-in-error ones are left out; other plans do not read them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.legal.factories import AdvanceDecisionFactory
from waypoint.legal.models import AdvanceKind
from waypoint.plans.factories import PlanFactory, PlanRevisionFactory
from waypoint.plans.models import PlanKind

pytestmark = pytest.mark.django_db


def page(client, person, plan):
    response = client.get(reverse("plans:plan", args=[person.pk, plan.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_crisis_plan_shows_what_the_person_asked_for_in_advance(
    coordinator_client, person, team, coordinator
):
    plan = PlanFactory(person=person, team=team, created_by=coordinator, kind=PlanKind.CRISIS)
    PlanRevisionFactory(plan=plan, content={})
    assert "No advance statement or decision recorded" in page(coordinator_client, person, plan)
    AdvanceDecisionFactory(person=person, created_by=coordinator, wishes="Call my sister first (synthetic)")
    AdvanceDecisionFactory(
        person=person,
        created_by=coordinator,
        kind=AdvanceKind.ADRT,
        wishes="",
        refuses="Haloperidol (synthetic)",
        entered_in_error=True,
    )
    AdvanceDecisionFactory(
        person=person,
        created_by=coordinator,
        wishes="An old wish (synthetic)",
        withdrawn_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    body = page(coordinator_client, person, plan)
    assert "Call my sister first (synthetic)" in body
    assert "Haloperidol" not in body and "An old wish" not in body


def test_a_care_plan_does_not_show_them(coordinator_client, person, team, coordinator):
    plan = PlanFactory(person=person, team=team, created_by=coordinator, kind=PlanKind.CARE)
    PlanRevisionFactory(plan=plan)
    AdvanceDecisionFactory(person=person, created_by=coordinator, wishes="Call my sister first (synthetic)")
    body = page(coordinator_client, person, plan)
    assert "Call my sister first" not in body and "Advance statements and decisions" not in body
