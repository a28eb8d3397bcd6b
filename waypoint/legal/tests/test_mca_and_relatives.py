"""Nearest relative / nominated person, advance decisions, the Mental Capacity Act: services (the
rules, `permissions.require`), pages (audited, bad input beside the field with everything typed
kept), and the completed AMHP assessment trigger."""

import datetime
import importlib

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.accounts.permissions import PermissionRefused
from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.legal import services
from waypoint.legal.factories import (
    AssessmentRequestFactory,
    CapacityAssessmentFactory,
    LibertyAuthorisationFactory,
    MhaPeriodFactory,
    RelativeEventFactory,
    ensure_rules,
)
from waypoint.legal.models import (
    AdvanceDecision,
    AmhpAssessment,
    BestInterestsDecision,
    CapacityAssessment,
    ImcaReferral,
    PowerOfAttorney,
    RelativeEvent,
    RelativeRole,
    RequestStatus,
    RuleSet,
)
from waypoint.legal.tests.test_views import date_post, last_audit
from waypoint.patients.factories import CarerFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
triggers = importlib.import_module(
    "waypoint.legal.migrations.0004_advance_choice_rules_and_read_only_assessment"
)
never_deleted = importlib.import_module("waypoint.legal.migrations.0005_never_deleted_triggers")
plans = importlib.import_module("waypoint.legal.migrations.0006_care_treatment_plans")
reviews = importlib.import_module("waypoint.legal.migrations.0008_dols_queue_and_reviews")


@pytest.fixture
def by(coordinator):
    return Actor(coordinator)


def commence(code, on):
    ensure_rules()
    RuleSet.objects.filter(code=code).update(commences_on=on)


class TestRelative:
    def test_identified_from_a_carer_with_the_term_in_force(self, by, person):
        carer = CarerFactory(person=person, name="Pat Example (synthetic)", relationship="Father")
        event = services.record_relative_event(
            by=by, person=person, data={"kind": "identified", "on": TODAY, "carer": carer}
        )
        assert (event.name, event.relationship, event.role, event.term) == (
            "Pat Example (synthetic)",
            "Father",
            RelativeRole.NEAREST_RELATIVE,
            "nearest relative",
        )
        assert last_audit(person).record_type == RecordType.RELATIVE_EVENT

    def test_a_nomination_before_the_2025_provisions_commence_is_refused(self, by, person):
        with pytest.raises(services.LegalProblem) as problem:
            services.record_relative_event(
                by=by, person=person, data={"kind": "nominated", "on": TODAY, "name": "A"}
            )
        assert problem.value.field == "kind" and "nearest relative" in problem.value.message

    def test_from_commencement_the_nominated_person_replaces_the_nearest_relative(self, by, person):
        commence("mha-2025-nominated-person", TODAY - datetime.timedelta(days=1))
        with pytest.raises(services.LegalProblem):
            services.record_relative_event(
                by=by, person=person, data={"kind": "identified", "on": TODAY, "name": "A"}
            )
        before = services.record_relative_event(
            by=by,
            person=person,
            data={"kind": "identified", "on": TODAY - datetime.timedelta(days=2), "name": "B"},
        )
        event = services.record_relative_event(
            by=by, person=person, data={"kind": "nominated", "on": TODAY, "name": "Chris Example (synthetic)"}
        )
        assert before.role == RelativeRole.NEAREST_RELATIVE
        assert (event.role, event.term) == (RelativeRole.NOMINATED_PERSON, "nominated person")

    def test_displacement_needs_the_court_and_names_the_acting_relative(self, by, person):
        data = {"kind": "displaced", "on": TODAY, "name": "Acting Example (synthetic)"}
        with pytest.raises(services.LegalProblem) as problem:
            services.record_relative_event(by=by, person=person, data=data)
        assert problem.value.field == "court"
        services.record_relative_event(by=by, person=person, data={**data, "court": "County Court, 1 Dec"})

    def test_the_tab_shows_who_holds_the_role_now(self, coordinator_client, person, coordinator):
        RelativeEventFactory(person=person, recorded_by=coordinator, on=TODAY - datetime.timedelta(days=9))
        RelativeEventFactory(
            person=person, recorded_by=coordinator, kind="delegated", name="Lee Example (synthetic)", on=TODAY
        )
        body = coordinator_client.get(reverse("legal:index", args=[person.pk])).content.decode()
        assert "<strong>Sam Example (synthetic)</strong>" in body
        assert "Functions delegated to Lee Example (synthetic)" in body

    def test_page_keeps_what_was_typed_and_audits(self, coordinator_client, person):
        url = reverse("legal:new_relative", args=[person.pk])
        assert coordinator_client.get(url).status_code == 200
        assert (last_audit(person).record_type, last_audit(person).action) == (
            RecordType.RELATIVE_EVENT,
            Action.VIEW,
        )
        data = {"kind": "displaced", "name": "Typed Example (synthetic)", **date_post("on", TODAY)}
        body = coordinator_client.post(url, data).content.decode()
        assert "Enter the court" in body and "Typed Example (synthetic)" in body
        assert not RelativeEvent.objects.exists()
        response = coordinator_client.post(url, {**data, "court": "County Court (synthetic)"})
        assert response.status_code == 302 and RelativeEvent.objects.get().court == "County Court (synthetic)"


class TestAdvance:
    def test_an_adrt_needs_the_refusal_and_life_sustaining_needs_writing(self, by, person):
        data = {"kind": "adrt", "made_on": TODAY, "wishes": "x"}
        with pytest.raises(services.LegalProblem) as problem:
            services.record_advance_decision(by=by, person=person, data=data)
        assert problem.value.field == "refuses"
        data.update(refuses="Ventilation", life_sustaining=True)
        with pytest.raises(services.LegalProblem) as problem:
            services.record_advance_decision(by=by, person=person, data=data)
        assert problem.value.field == "in_writing_signed_witnessed"
        data["in_writing_signed_witnessed"] = True
        assert services.record_advance_decision(by=by, person=person, data=data).life_sustaining

    def test_advance_choice_documents_wait_for_commencement(self, by, person, coordinator_client):
        data = {"kind": "choice", "made_on": TODAY, "wishes": "Treat me at home if you can"}
        with pytest.raises(services.LegalProblem):
            services.record_advance_decision(by=by, person=person, data=data)
        url = reverse("legal:new_advance", args=[person.pk])
        assert "Advance choice document" not in coordinator_client.get(url).content.decode()
        commence("mha-2025-advance-choice-documents", TODAY)
        assert services.record_advance_decision(by=by, person=person, data=data).kind == "choice"
        assert "Advance choice document" in coordinator_client.get(url).content.decode()

    def test_page_records_and_audits(self, coordinator_client, person):
        url = reverse("legal:new_advance", args=[person.pk])
        data = {"kind": "statement", "wishes": "Call my sister (synthetic)", **date_post("made_on", TODAY)}
        assert coordinator_client.post(url, data).status_code == 302
        found = AdvanceDecision.objects.get()
        assert (last_audit(person).record_type, last_audit(person).record_id) == (
            RecordType.ADVANCE_DECISION,
            str(found.pk),
        )


class TestMentalCapacityAct:
    BASE = {
        "decision": "Where to live (synthetic)",
        "assessed_on": TODAY,
        "support_given": "Pictures, at home",
        "reasons": "Could not recall the options",
        "impairment": True,
        "impairment_detail": "Dementia",
        "understands": True,
        "retains": False,
        "uses_or_weighs": True,
        "communicates": True,
    }

    @pytest.mark.parametrize(
        ("changes", "lacks"),
        [
            ({"because_of_impairment": True}, True),
            ({"because_of_impairment": False}, False),  # not because of the impairment
            ({"because_of_impairment": True, "retains": True}, False),  # all four abilities
            ({"because_of_impairment": True, "impairment": False, "impairment_detail": ""}, False),
        ],
    )
    def test_the_two_stage_test(self, by, person, changes, lacks):
        found = services.record_capacity_assessment(by=by, person=person, data={**self.BASE, **changes})
        assert found.lacks_capacity is lacks
        assert last_audit(person).record_type == RecordType.CAPACITY_ASSESSMENT

    def test_capacity_is_for_a_specific_decision(self, by, person):
        with pytest.raises(services.LegalProblem) as problem:
            services.record_capacity_assessment(by=by, person=person, data={**self.BASE, "decision": " "})
        assert problem.value.field == "decision"

    def test_best_interests_only_where_the_person_lacks_capacity(self, by, person, coordinator):
        has = CapacityAssessmentFactory(person=person, assessor=coordinator, lacks_capacity=False)
        data = {
            "capacity_assessment": has,
            "decision": "Where to live",
            "decided_on": TODAY,
            "decision_maker": "Care coordinator",
            "wishes": "Stay near the park",
            "consulted": "Sister",
            "less_restrictive": "More home care",
            "outcome": "Move",
            "reasons": "Safest",
        }
        with pytest.raises(services.LegalProblem) as problem:
            services.record_best_interests(by=by, person=person, data=data)
        assert problem.value.field == "capacity_assessment"
        lacks = CapacityAssessmentFactory(person=person, assessor=coordinator)
        found = services.record_best_interests(
            by=by, person=person, data={**data, "capacity_assessment": lacks}
        )
        assert found.consulted == "Sister" and last_audit(person).record_type == RecordType.BEST_INTERESTS

    def test_best_interests_page_needs_who_was_consulted(self, coordinator_client, person):
        url = reverse("legal:new_best_interests", args=[person.pk])
        data = {
            "decision": "Where to live",
            "decision_maker": "Care coordinator",
            "wishes": "Stay near the park (typed)",
            "less_restrictive": "More home care",
            "outcome": "Move",
            "reasons": "Safest",
            **date_post("decided_on", TODAY),
        }
        body = coordinator_client.post(url, data).content.decode()
        assert "Enter who was consulted" in body and "Stay near the park (typed)" in body
        assert not BestInterestsDecision.objects.exists()
        assert coordinator_client.post(url, {**data, "consulted": "Sister"}).status_code == 302

    def test_attorney_and_imca_pages(self, coordinator_client, person):
        response = coordinator_client.post(
            reverse("legal:new_attorney", args=[person.pk]),
            {"kind": "lpa_property", "attorney": "Jo Example (synthetic)", "life_sustaining": "on"},
        )
        assert "Only a health and welfare attorney" in response.content.decode()
        response = coordinator_client.post(
            reverse("legal:new_attorney", args=[person.pk]),
            {"kind": "lpa_health", "attorney": "Jo Example (synthetic)", **date_post("registered_on", TODAY)},
        )
        assert response.status_code == 302 and PowerOfAttorney.objects.get().registered_on == TODAY
        response = coordinator_client.post(
            reverse("legal:new_imca", args=[person.pk]),
            {
                "reason": "accommodation",
                "decision": "Where to live",
                "service": "Example Advocacy",
                **date_post("referred_on", TODAY),
            },
        )
        assert response.status_code == 302 and ImcaReferral.objects.get().service == "Example Advocacy"
        body = coordinator_client.get(reverse("legal:index", args=[person.pk])).content.decode()
        assert "Jo Example (synthetic)" in body and "Example Advocacy" in body

    def test_entered_in_error_keeps_the_entry_with_the_reason(self, coordinator_client, person, coordinator):
        found = CapacityAssessmentFactory(person=person, assessor=coordinator)
        url = reverse("legal:capacity_error", args=[person.pk, found.pk])
        assert coordinator_client.post(url, {"reason": "Wrong person (synthetic)"}).status_code == 302
        found.refresh_from_db()
        assert found.entered_in_error and found.error_reason == "Wrong person (synthetic)"
        event = last_audit(person)
        assert (event.record_type, event.action) == (RecordType.CAPACITY_ASSESSMENT, Action.ENTERED_IN_ERROR)
        assert CapacityAssessment.objects.count() == 1


def test_every_legal_service_checks_the_role(person, coordinator):
    """A student may take none of the legal actions: each service refuses before it writes."""
    student = Actor(make_staff(roles=[RoleCode.STUDENT]))
    period = MhaPeriodFactory(person=person, created_by=coordinator)
    request_obj = AssessmentRequestFactory(person=person, logged_by=coordinator)
    liberty = LibertyAuthorisationFactory(person=person, created_by=coordinator)
    calls = [
        lambda: services.record_period(by=student, person=person, data={"section": "3", "starts_on": TODAY}),
        lambda: services.renew_period(by=student, period=period, renewed_on=TODAY, version=None),
        lambda: services.record_event(by=student, period=period, kind="leave", on=TODAY),
        lambda: services.end_period(
            by=student, period=period, ended_on=TODAY, reason="expired", version=None
        ),
        lambda: services.period_entered_in_error(by=student, period=period, reason="x"),
        lambda: services.record_rights(by=student, period=period, data={}),
        lambda: services.record_aftercare(by=student, person=person, data={}),
        lambda: services.request_assessment(by=student, person=person, data={}),
        lambda: services.pick_up(by=student, request_obj=request_obj),
        lambda: services.save_assessment(by=student, request_obj=request_obj, data={}, version=None),
        lambda: services.complete_assessment(by=student, request_obj=request_obj),
        lambda: services.join_amhp_rota(by=student, day=TODAY),
        lambda: services.record_authorisation(by=student, person=person, data={}),
        lambda: services.record_liberty_assessment(by=student, authorisation=liberty, data={}),
        lambda: services.extend_urgent(by=student, authorisation=liberty, extended_to=TODAY),
        lambda: services.record_relative_event(by=student, person=person, data={}),
        lambda: services.record_advance_decision(by=student, person=person, data={}),
        lambda: services.record_capacity_assessment(by=student, person=person, data={}),
        lambda: services.record_best_interests(by=student, person=person, data={}),
        lambda: services.record_power_of_attorney(by=student, person=person, data={}),
        lambda: services.record_imca_referral(by=student, person=person, data={}),
    ]
    before = AuditEvent.objects.count()
    for call in calls:
        with pytest.raises(PermissionRefused):
            call()
    assert AuditEvent.objects.count() == before


class TestCompletedAssessmentTrigger:
    @pytest.fixture
    def assessment(self, person, coordinator):
        request_obj = AssessmentRequestFactory(
            person=person, logged_by=coordinator, amhp=coordinator, status=RequestStatus.ALLOCATED
        )
        return AmhpAssessment.objects.create(request=request_obj, updated_by=coordinator, interview="Seen")

    def refused(self, action):
        with pytest.raises(DatabaseError), transaction.atomic():
            action()

    def test_the_trigger_exists(self):
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'legal_%'"
                )
            else:
                cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'legal_%'")
            assert {row[0] for row in cursor.fetchall()} == (
                set(triggers.TRIGGER_NAMES)
                | set(never_deleted.TRIGGER_NAMES)
                | set(plans.TRIGGER_NAMES)
                | set(reviews.TRIGGER_NAMES)
            )

    def test_open_assessments_change_completed_ones_do_not(self, assessment):
        AmhpAssessment.objects.filter(pk=assessment.pk).update(interview="Seen at home")
        AmhpAssessment.objects.filter(pk=assessment.pk).update(completed_at=timezone.now())
        self.refused(lambda: AmhpAssessment.objects.filter(pk=assessment.pk).update(outcome="3"))
        self.refused(lambda: AmhpAssessment.objects.filter(pk=assessment.pk).update(completed_at=None))

        def raw():
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE legal_amhpassessment SET reasons = %s WHERE id = %s", ["x", assessment.pk]
                )

        self.refused(raw)
        assessment.refresh_from_db()
        assert assessment.interview == "Seen at home" and assessment.outcome == ""

    def test_sqlite_trigger_comes_back_after_migrate(self):
        if connection.vendor != "sqlite":
            pytest.skip("SQLite only")
        from waypoint.legal.apps import ensure_sqlite_triggers

        with connection.cursor() as cursor:
            cursor.execute(triggers.SQLITE_REVERSE[0])
        ensure_sqlite_triggers(sender=None, using="default")
        self.test_the_trigger_exists()
