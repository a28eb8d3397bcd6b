"""Registration, DBS, approvals, training, appraisal and placements: forms, bad input, services."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.workforce.factories import (
    AppraisalFactory,
    ApprovalFactory,
    CourseFactory,
    PlacementFactory,
    RegistrationFactory,
)
from waypoint.workforce.models import ApprovalHours, DbsCheck, ProfessionalRegistration, TrainingCompletion

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _date(prefix, day):
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def test_every_form_page_opens_for_the_team_manager(manager_client, coordinator, team):
    registration = RegistrationFactory(staff=coordinator)
    approval = ApprovalFactory(staff=coordinator)
    appraisal = AppraisalFactory(staff=coordinator)
    placement = PlacementFactory(student=coordinator, team=team)
    for name, args in [
        ("workforce:staff", [coordinator.pk]),
        ("workforce:line_manager", [coordinator.pk]),
        ("workforce:registration_new", [coordinator.pk]),
        ("workforce:registration_edit", [coordinator.pk, registration.pk]),
        ("workforce:dbs_new", [coordinator.pk]),
        ("workforce:approval_new", [coordinator.pk]),
        ("workforce:approval_hours_new", [coordinator.pk, approval.pk]),
        ("workforce:completion_new", [coordinator.pk]),
        ("workforce:supervision_new", [coordinator.pk]),
        ("workforce:appraisal_new", [coordinator.pk]),
        ("workforce:appraisal", [coordinator.pk, appraisal.pk]),
        ("workforce:placement_new", [coordinator.pk]),
        ("workforce:placement", [coordinator.pk, placement.pk]),
        ("workforce:team", []),
        ("workforce:matrix", []),
        ("workforce:group_supervision", []),
    ]:
        response = manager_client.get(reverse(name, args=args))
        assert response.status_code == 200, name


class TestRegistration:
    def test_saved_and_audited_with_the_staff_id(self, manager_client, coordinator):
        data = {"body": "hcpc", "number": "SW99999", **_date("registered_on", TODAY - timedelta(days=400))}
        data.update(_date("expires_on", TODAY + timedelta(days=300)))
        response = manager_client.post(reverse("workforce:registration_new", args=[coordinator.pk]), data)
        assert response.status_code == 302
        registration = ProfessionalRegistration.objects.get()
        assert registration.staff == coordinator and registration.body == "hcpc"
        row = AuditEvent.objects.get(record_type=RecordType.STAFF_REGISTRATION, action=Action.CREATE)
        assert row.record_id == str(coordinator.pk) and "number" in row.fields_changed and row.person is None

    def test_expiry_before_issue_and_unknown_body_beside_the_field_values_kept(
        self, manager_client, coordinator
    ):
        data = {
            "body": "made_up_body",
            "number": "TYPED-123",
            **_date("registered_on", TODAY - timedelta(days=10)),
        }
        data.update(_date("expires_on", TODAY - timedelta(days=20)))
        response = manager_client.post(reverse("workforce:registration_new", args=[coordinator.pk]), data)
        body = response.content.decode()
        assert response.status_code == 200
        assert "Choose the registration body: NMC, HCPC, Social Work England or GMC" in body
        assert "Expiry date must be after the date registered" in body
        assert 'value="TYPED-123"' in body
        assert body.count("nhsuk-error-message") >= 2
        assert ProfessionalRegistration.objects.count() == 0

    def test_renewal_is_version_checked(self, manager_client, coordinator):
        registration = RegistrationFactory(staff=coordinator)
        url = reverse("workforce:registration_edit", args=[coordinator.pk, registration.pk])
        data = {"body": "nmc", "number": registration.number, "version": "1"}
        data.update(_date("registered_on", registration.registered_on))
        data.update(_date("expires_on", TODAY + timedelta(days=1000)))
        ProfessionalRegistration.objects.filter(pk=registration.pk).update(version=2)
        response = manager_client.post(url, data)
        assert "Someone else changed this record" in response.content.decode()
        data["version"] = "2"
        assert manager_client.post(url, data).status_code == 302
        registration.refresh_from_db()
        assert registration.expires_on == TODAY + timedelta(days=1000) and registration.version == 3


def test_dbs_is_not_recorded_by_the_member_of_staff_themselves(coordinator, manager_client):
    own = Client()
    own.force_login(coordinator)
    assert own.get(reverse("workforce:dbs_new", args=[coordinator.pk])).status_code == 404
    data = {"level": "enhanced_barred", **_date("checked_on", TODAY - timedelta(days=3))}
    assert manager_client.post(reverse("workforce:dbs_new", args=[coordinator.pk]), data).status_code == 302
    assert DbsCheck.objects.get().level == "enhanced_barred"


def test_approval_and_hours_towards_reapproval(manager_client, coordinator):
    data = {"kind": "amhp", "approving_authority": "Testshire Council", "hours_required_per_year": "18"}
    data.update(_date("approved_from", TODAY - timedelta(days=100)))
    data.update(_date("approved_until", TODAY + timedelta(days=30)))
    assert (
        manager_client.post(reverse("workforce:approval_new", args=[coordinator.pk]), data).status_code == 302
    )
    from waypoint.workforce.models import Approval

    approval = Approval.objects.get()
    hours = {"hours": "6.5", "activity": "AMHP legal update", **_date("done_on", TODAY - timedelta(days=5))}
    url = reverse("workforce:approval_hours_new", args=[coordinator.pk, approval.pk])
    assert manager_client.post(url, hours).status_code == 302
    assert ApprovalHours.objects.get().hours == 6.5
    page = manager_client.get(reverse("workforce:staff", args=[coordinator.pk])).content.decode()
    assert "6.5 hours</strong> recorded in the last 12 months" in page and "11.5 still needed" in page


def test_training_date_in_the_future_is_refused_beside_the_field(manager_client, coordinator):
    course = CourseFactory(name="Basic life support")
    data = {"course": str(course.pk), "method": "face_to_face", "evidence": "CERT-77"}
    data.update(_date("completed_on", TODAY + timedelta(days=3)))
    response = manager_client.post(reverse("workforce:completion_new", args=[coordinator.pk]), data)
    body = response.content.decode()
    assert "Completion date must be today or in the past" in body and 'value="CERT-77"' in body
    data.update(_date("completed_on", TODAY))
    assert (
        manager_client.post(reverse("workforce:completion_new", args=[coordinator.pk]), data).status_code
        == 302
    )
    assert TrainingCompletion.objects.get().evidence == "CERT-77"


def test_appraisal_and_progress(manager_client, coordinator, manager):
    data = {"objectives": "Lead the carers' group", "development_plan": "AMHP training"}
    data.update(_date("held_on", TODAY - timedelta(days=1)))
    data.update(_date("next_due_on", TODAY + timedelta(days=364)))
    assert (
        manager_client.post(reverse("workforce:appraisal_new", args=[coordinator.pk]), data).status_code
        == 302
    )
    from waypoint.workforce.models import Appraisal

    appraisal = Appraisal.objects.get()
    assert appraisal.appraiser == manager
    own = Client()
    own.force_login(coordinator)
    url = reverse("workforce:appraisal", args=[coordinator.pk, appraisal.pk])
    response = own.post(url, {"text": "Started the AMHP course", **_date("reviewed_on", TODAY)})
    assert response.status_code == 302
    assert appraisal.progress.get().text == "Started the AMHP course"


def test_placement_assessments(manager_client, coordinator, team, colleague):
    from waypoint.accounts.models import Role, RoleCode

    coordinator.roles.add(Role.objects.get(code=RoleCode.STUDENT))
    data = {
        "team": str(team.pk),
        "profession": "nursing",
        "university": "University of Testville",
        "year_of_study": "2",
        "practice_supervisor": str(colleague.pk),
        "practice_assessor": str(colleague.pk),
        **_date("starts_on", TODAY - timedelta(days=10)),
        **_date("ends_on", TODAY - timedelta(days=20)),
    }
    url = reverse("workforce:placement_new", args=[coordinator.pk])
    response = manager_client.post(url, data)
    assert "End date must be on or after the start date" in response.content.decode()
    data.update(_date("ends_on", TODAY + timedelta(days=60)))
    assert manager_client.post(url, data).status_code == 302
    from waypoint.workforce.models import Placement

    placement = Placement.objects.get()
    detail = reverse("workforce:placement", args=[coordinator.pk, placement.pk])
    response = manager_client.post(detail, {"midpoint_outcome": "on_track", "version": "1"})
    assert "Enter the date of the midpoint assessment" in response.content.decode()
    response = manager_client.post(
        detail, {"midpoint_outcome": "on_track", "version": "1", **_date("midpoint_on", TODAY)}
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.midpoint_outcome == "on_track" and placement.version == 2


@pytest.mark.django_db
def test_the_services_apply_the_workforce_rule_whatever_the_view_did(coordinator, colleague, manager):
    """Issue 18, item 2: a colleague with no line relationship cannot write someone's workforce
    record through the service; their team manager can; the member of staff cannot record their
    own DBS check."""
    from waypoint.access.actor import Actor
    from waypoint.workforce import services
    from waypoint.workforce.access import NotYoursToRecord

    data = {"checked_on": timezone.localdate(), "level": "enhanced", "certificate_number": "001234567890"}
    with pytest.raises(NotYoursToRecord):
        services.record_dbs(by=Actor(colleague, basis="team"), staff=coordinator, data=data)
    with pytest.raises(NotYoursToRecord):
        services.record_dbs(by=Actor(coordinator, basis="staff_self"), staff=coordinator, data=data)
    assert not DbsCheck.objects.exists()
    with pytest.raises(NotYoursToRecord):
        services.save_course(by=Actor(manager, basis="team"), data={"name": "Synthetic course"})
