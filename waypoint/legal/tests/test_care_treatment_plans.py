"""Statutory care and treatment plans (Mental Health Act 2025): only once a Trust sets the
commencement date, only for a detention or CTO running on the day prepared; the Legal tab shows
them; access, audit, bad input beside the field, entered in error, never deleted."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.legal import services
from waypoint.legal.factories import CareTreatmentPlanFactory, MhaPeriodFactory, ensure_rules
from waypoint.legal.models import CareTreatmentPlan, RuleSet
from waypoint.legal.tests.test_views import date_post

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
CODE = "mha-2025-care-and-treatment-plans"


def commence(on):
    ensure_rules()
    RuleSet.objects.filter(code=CODE).update(commences_on=on)


def data(period, **overrides):
    values = {
        "period": period,
        "prepared_on": TODAY,
        "prepared_by": "Dr Rowan Example (synthetic)",
        "treatment": "Depot antipsychotic to reduce distressing voices (synthetic)",
        "person_views": "Prefers tablets; agreed to try the depot for three months (synthetic)",
        "advance_choice_considered": True,
    }
    values.update(overrides)
    return values


@pytest.fixture
def by(coordinator):
    return Actor(coordinator)


@pytest.fixture
def section3(person, coordinator):
    return MhaPeriodFactory(
        person=person, created_by=coordinator, starts_on=TODAY - datetime.timedelta(days=20)
    )


def post(period, **overrides):
    values = {
        "period": str(period.pk),
        "prepared_by": "Dr Rowan Example (synthetic)",
        "treatment": "Depot antipsychotic (synthetic)",
        "person_views": "Wants a female nurse for the injection (synthetic)",
        **date_post("prepared_on", TODAY),
    }
    values.update(overrides)
    return values


class TestTheRules:
    def test_refused_before_a_trust_sets_the_commencement_date(self, by, person, section3):
        ensure_rules()
        assert not services.care_treatment_plans_in_force(TODAY)
        with pytest.raises(services.LegalProblem) as problem:
            services.record_care_treatment_plan(by=by, person=person, data=data(section3))
        assert problem.value.field == "prepared_on" and "not in force" in problem.value.message

    def test_follows_the_date_prepared_across_the_commencement(self, by, person, section3):
        commence(TODAY - datetime.timedelta(days=5))
        with pytest.raises(services.LegalProblem, match="not in force"):
            services.record_care_treatment_plan(
                by=by, person=person, data=data(section3, prepared_on=TODAY - datetime.timedelta(days=6))
            )
        plan = services.record_care_treatment_plan(by=by, person=person, data=data(section3))
        assert plan.period == section3 and plan.advance_choice_considered
        row = AuditEvent.objects.get(record_type=RecordType.CARE_TREATMENT_PLAN, action=Action.CREATE)
        assert row.person_id == person.pk and "treatment" in row.fields_changed

    def test_only_for_a_detention_or_cto_running_that_day(self, by, person, coordinator, section3):
        commence(TODAY - datetime.timedelta(days=365))
        guardianship = MhaPeriodFactory(person=person, created_by=coordinator, section="7")
        with pytest.raises(services.LegalProblem, match="detention or a community treatment order"):
            services.record_care_treatment_plan(by=by, person=person, data=data(guardianship))
        with pytest.raises(services.LegalProblem, match="while the section was in place"):
            services.record_care_treatment_plan(
                by=by,
                person=person,
                data=data(section3, prepared_on=section3.starts_on - datetime.timedelta(days=1)),
            )
        other = MhaPeriodFactory(created_by=coordinator)
        with pytest.raises(services.LegalProblem) as problem:
            services.record_care_treatment_plan(by=by, person=person, data=data(other))
        assert problem.value.field == "period"

    def test_required_words_and_a_review_after_the_date(self, by, person, section3):
        commence(TODAY - datetime.timedelta(days=365))
        with pytest.raises(services.LegalProblem) as problem:
            services.record_care_treatment_plan(by=by, person=person, data=data(section3, person_views="  "))
        assert problem.value.field == "person_views"
        with pytest.raises(services.LegalProblem) as problem:
            services.record_care_treatment_plan(by=by, person=person, data=data(section3, review_on=TODAY))
        assert problem.value.field == "review_on"
        assert not CareTreatmentPlan.objects.exists()


class TestPages:
    def test_the_tab_says_nothing_before_commencement_and_the_page_explains(
        self, coordinator_client, person, section3
    ):
        ensure_rules()
        body = coordinator_client.get(reverse("legal:index", args=[person.pk])).content.decode()
        assert "Statutory care and treatment plans" not in body
        url = reverse("legal:new_care_treatment_plan", args=[person.pk])
        response = coordinator_client.get(url)
        assert response.status_code == 200 and "not in force yet" in response.content.decode()
        assert '<form method="post"' not in response.content.decode().split("<main")[-1]

    def test_record_a_plan_and_see_it_on_the_legal_tab(
        self, coordinator_client, coordinator, person, section3
    ):
        commence(TODAY - datetime.timedelta(days=30))
        index = reverse("legal:index", args=[person.pk])
        assert (
            "No statutory care and treatment plan recorded" in coordinator_client.get(index).content.decode()
        )
        url = reverse("legal:new_care_treatment_plan", args=[person.pk])
        body = coordinator_client.get(url).content.decode()
        assert "Section 3 (admission for treatment), from" in body
        response = coordinator_client.post(url, post(section3))
        assert response.status_code == 302
        plan = CareTreatmentPlan.objects.get()
        assert (plan.person, plan.period, plan.created_by) == (person, section3, coordinator)
        body = coordinator_client.get(index).content.decode()
        assert "Wants a female nurse for the injection (synthetic)" in body
        assert AuditEvent.objects.filter(
            record_type=RecordType.CARE_TREATMENT_PLAN, action=Action.CREATE, user=coordinator
        ).exists()

    def test_bad_input_is_shown_beside_the_field_and_kept(self, coordinator_client, person, section3):
        commence(TODAY - datetime.timedelta(days=30))
        url = reverse("legal:new_care_treatment_plan", args=[person.pk])
        body = coordinator_client.post(
            url, post(section3, treatment="", **date_post("review_on", TODAY))
        ).content.decode()
        assert "<title>Error: " in body and "Enter the medical treatment and what it is for" in body
        assert "Wants a female nurse for the injection (synthetic)" in body  # what was typed is kept
        body = coordinator_client.post(url, post(section3, **date_post("review_on", TODAY))).content.decode()
        assert "The review date must be after the date prepared" in body
        body = coordinator_client.post(url, {**post(section3), "period": "999999"}).content.decode()
        assert "Choose one of the person" in body
        assert not CareTreatmentPlan.objects.exists()

    def test_no_current_section_says_so(self, coordinator_client, person):
        commence(TODAY - datetime.timedelta(days=30))
        url = reverse("legal:new_care_treatment_plan", args=[person.pk])
        assert (
            "no current detention or community treatment order"
            in coordinator_client.get(url).content.decode()
        )

    def test_entered_in_error_keeps_it_struck_through(
        self, coordinator_client, coordinator, person, section3
    ):
        commence(TODAY - datetime.timedelta(days=30))
        plan = CareTreatmentPlanFactory(period=section3, created_by=coordinator)
        url = reverse("legal:care_treatment_plan_error", args=[person.pk, plan.pk])
        assert coordinator_client.post(url, {"reason": "Wrong person (synthetic)"}).status_code == 302
        plan.refresh_from_db()
        assert plan.entered_in_error and plan.error_reason == "Wrong person (synthetic)"
        body = coordinator_client.get(reverse("legal:index", args=[person.pk])).content.decode()
        assert "<s>" in body and "Entered in error: Wrong person (synthetic)" in body
        assert AuditEvent.objects.filter(
            record_type=RecordType.CARE_TREATMENT_PLAN, action=Action.ENTERED_IN_ERROR
        ).exists()

    def test_no_relationship_gets_404_and_nothing_is_written(self, client, outsider, person, section3):
        commence(TODAY - datetime.timedelta(days=30))
        plan = CareTreatmentPlanFactory(period=section3)
        client.force_login(outsider)
        for url in (
            reverse("legal:new_care_treatment_plan", args=[person.pk]),
            reverse("legal:care_treatment_plan_error", args=[person.pk, plan.pk]),
        ):
            assert client.get(url).status_code == 404
            assert client.post(url, {**post(section3), "reason": "x"}).status_code == 404
        assert CareTreatmentPlan.objects.count() == 1 and not CareTreatmentPlan.objects.get().entered_in_error
        assert not AuditEvent.objects.filter(person=person, user=outsider).exists()

    def test_the_legal_tab_query_count_does_not_grow_with_plans(
        self, coordinator_client, coordinator, person, section3, django_assert_max_num_queries
    ):
        commence(TODAY - datetime.timedelta(days=30))
        url = reverse("legal:index", args=[person.pk])
        CareTreatmentPlanFactory(period=section3, created_by=coordinator)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        coordinator_client.get(url)
        with CaptureQueriesContext(connection) as one:
            coordinator_client.get(url)
        for _ in range(5):
            CareTreatmentPlanFactory(period=MhaPeriodFactory(person=person), created_by=coordinator)
        with django_assert_max_num_queries(len(one)):
            assert coordinator_client.get(url).status_code == 200
