"""The care plan's "About me" (PRSB personalised care and support plan), in the person's words."""

import pytest
from django.urls import reverse

from waypoint.plans.models import PlanRevision
from waypoint.plans.tests.test_views import care_plan_post

pytestmark = pytest.mark.django_db


def test_about_me_is_written_shown_and_in_the_persons_copy(coordinator_client, person):
    coordinator_client.post(reverse("plans:start", args=[person.pk, "care"]))
    revision = PlanRevision.objects.get(plan__person=person)
    edit = reverse("plans:edit", args=[person.pk, revision.pk])
    assert "About me, in the person&#39;s own words" in coordinator_client.get(edit).content.decode()
    words = "I am a dad first. Mornings are hard; please call after 11."
    coordinator_client.post(edit, care_plan_post(revision.version, about_me=words))
    revision.refresh_from_db()
    assert revision.content["about_me"] == words
    page = coordinator_client.get(reverse("plans:plan", args=[person.pk, revision.plan.pk])).content.decode()
    assert "About me" in page and "I am a dad first." in page
    form = coordinator_client.get(edit).content.decode()
    assert "I am a dad first." in form  # kept when the draft is opened again
