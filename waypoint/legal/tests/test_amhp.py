"""The AMHP service: the board, picking up a request, the assessment, the report, the AMHP basis."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from waypoint.access.policy import access_for
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import Action, AuditEvent, Basis, RecordType
from waypoint.legal.factories import AssessmentRequestFactory, LibertyAuthorisationFactory
from waypoint.legal.models import AmhpShift, AssessmentRequest, MhaPeriod, RequestStatus

TODAY = timezone.localdate()


@pytest.fixture
def amhp(db, other_team):
    return make_staff(
        team=other_team, roles=[RoleCode.AMHP], username="amhp.one", first_name="Alex", last_name="Amhp"
    )


@pytest.fixture
def amhp_client(client, amhp):
    client.force_login(amhp)
    return client


@pytest.fixture
def waiting(person, coordinator):
    return AssessmentRequestFactory(person=person, logged_by=coordinator)


def assessment_post(**extra):
    data = {
        "version": "0",
        "interviewed_on_day": str(TODAY.day),
        "interviewed_on_month": str(TODAY.month),
        "interviewed_on_year": str(TODAY.year),
        "interview": "At home, with a Polish interpreter, in private (synthetic)",
        "doctor_1": "Dr One (synthetic)",
        "doctor_1_s12": "on",
        "doctor_2": "Dr Two, GP (synthetic)",
        "relative_name": "Sam Example, mother (synthetic)",
        "relative_consulted": "on",
        "alternatives": "Home treatment team considered: declined all visits (synthetic)",
        "outcome": "3",
        "reasons": "Needs treatment in hospital; cannot be given informally (synthetic)",
        "dependants": "Cat fed by neighbour (synthetic)",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
class TestAmhpBasis:
    def test_an_amhp_off_the_rota_has_no_relationship(self, amhp, person, waiting):
        assert access_for(amhp, person) is None

    def test_the_amhp_on_the_rota_sees_a_waiting_request(self, amhp, person, waiting):
        AmhpShift.objects.create(day=TODAY, amhp=amhp)
        assert access_for(amhp, person).basis == Basis.AMHP

    def test_the_allocated_amhp_keeps_access_until_closed(self, amhp, person, waiting):
        AssessmentRequest.objects.filter(pk=waiting.pk).update(amhp=amhp, status=RequestStatus.ALLOCATED)
        assert access_for(amhp, person).basis == Basis.AMHP
        AssessmentRequest.objects.filter(pk=waiting.pk).update(status=RequestStatus.CLOSED)
        assert access_for(amhp, person) is None

    def test_a_care_coordinator_cannot_use_the_board(self, coordinator_client):
        assert coordinator_client.get(reverse("legal:amhp_board")).status_code == 403

    def test_amhp_record_pages_404_for_an_amhp_without_a_relationship(self, amhp_client, waiting):
        for name in ("legal:amhp_request", "legal:amhp_assessment", "legal:amhp_report"):
            assert amhp_client.get(reverse(name, args=[waiting.pk])).status_code == 404, name
        assert amhp_client.post(reverse("legal:amhp_complete", args=[waiting.pk])).status_code == 404
        assert amhp_client.get(reverse("legal:index", args=[waiting.person_id])).status_code == 404

    def test_bia_allocated_sees_the_person(self, db, person, coordinator):
        bia = make_staff(roles=[RoleCode.BIA], username="bia.one")
        assert access_for(bia, person) is None
        LibertyAuthorisationFactory(person=person, bia=bia, created_by=coordinator)
        assert access_for(bia, person).basis == Basis.BIA


@pytest.mark.django_db
class TestAmhpJourney:
    def test_board_query_count_is_fixed(
        self, amhp_client, amhp, coordinator, team, django_assert_max_num_queries
    ):
        from waypoint.patients.factories import TeamRegistrationFactory

        AmhpShift.objects.create(day=TODAY, amhp=amhp)
        AssessmentRequestFactory(person=TeamRegistrationFactory(team=team).person, logged_by=coordinator)
        amhp_client.get(reverse("legal:amhp_board"))
        with django_assert_max_num_queries(30) as one:
            amhp_client.get(reverse("legal:amhp_board"))
        for _ in range(5):
            AssessmentRequestFactory(person=TeamRegistrationFactory(team=team).person, logged_by=coordinator)
        with django_assert_max_num_queries(len(one.captured_queries)):
            body = amhp_client.get(reverse("legal:amhp_board")).content.decode()
        assert (
            body.count("legal/../") == 0
            and AuditEvent.objects.filter(record_type=RecordType.AMHP_BOARD).exists()
        )

    def test_pick_up_record_complete_print(self, amhp_client, amhp, person, waiting, coordinator):
        assert amhp_client.post(reverse("legal:amhp_rota")).status_code == 302
        board = amhp_client.get(reverse("legal:amhp_board")).content.decode()
        assert person.listing_name in board
        url = reverse("legal:amhp_request", args=[waiting.pk])
        assert amhp_client.get(url).status_code == 200
        assert amhp_client.post(url).url == reverse("legal:amhp_assessment", args=[waiting.pk])
        waiting.refresh_from_db()
        assert waiting.amhp == amhp and waiting.status == RequestStatus.ALLOCATED
        # A half-finished assessment cannot be completed: the message says what is missing
        response = amhp_client.post(
            reverse("legal:amhp_assessment", args=[waiting.pk]), assessment_post(doctor_2="", alternatives="")
        )
        assert response.status_code == 302
        amhp_client.post(reverse("legal:amhp_complete", args=[waiting.pk]), {})
        waiting.refresh_from_db()
        assert waiting.status == RequestStatus.ALLOCATED and not MhaPeriod.objects.exists()
        page = amhp_client.get(reverse("legal:amhp_assessment", args=[waiting.pk]))
        assert "Dr One (synthetic)" in page.content.decode()
        response = amhp_client.post(
            reverse("legal:amhp_assessment", args=[waiting.pk]), assessment_post(version="1")
        )
        assert response.status_code == 302
        response = amhp_client.post(
            reverse("legal:amhp_complete", args=[waiting.pk]),
            {"hospital": "Example Ward (synthetic)", "responsible_clinician": "Dr Ward (synthetic)"},
        )
        waiting.refresh_from_db()
        assert waiting.status == RequestStatus.CLOSED
        period = MhaPeriod.objects.get(person=person)
        assert (
            period.rule.code == "3"
            and period.from_request == waiting
            and period.hospital == "Example Ward (synthetic)"
        )
        assert AuditEvent.objects.filter(
            record_type=RecordType.AMHP_ASSESSMENT, action=Action.COMPLETE
        ).exists()
        # The AMHP's relationship ended with the request; the report was printed before that in real use
        assert amhp_client.get(reverse("legal:amhp_report", args=[waiting.pk])).status_code == 404
        # The coordinator sees the new section in the banner
        coordinator_client = Client()
        coordinator_client.force_login(coordinator)
        body = coordinator_client.get(reverse("patients:detail", args=[person.pk])).content.decode()
        assert f"s3 until {period.expires_on:%-d %B %Y}" in body

    def test_report_is_audited_as_printed(self, amhp_client, amhp, waiting):
        AssessmentRequest.objects.filter(pk=waiting.pk).update(amhp=amhp, status=RequestStatus.ALLOCATED)
        body = amhp_client.get(reverse("legal:amhp_report", args=[waiting.pk])).content.decode()
        assert "AMHP report" in body and "No assessment has been recorded yet" in body
        event = AuditEvent.objects.order_by("-id").first()
        assert (event.record_type, event.action, event.basis) == (
            RecordType.AMHP_REPORT,
            Action.PRINT,
            Basis.AMHP,
        )

    def test_someone_else_cannot_take_a_picked_up_request(self, amhp_client, waiting, db):
        other = make_staff(roles=[RoleCode.AMHP], username="amhp.two")
        AssessmentRequest.objects.filter(pk=waiting.pk).update(amhp=other, status=RequestStatus.ALLOCATED)
        AmhpShift.objects.create(day=TODAY, amhp=other)
        assert amhp_client.post(reverse("legal:amhp_request", args=[waiting.pk])).status_code == 404

    def test_request_from_the_record(self, coordinator_client, person):
        now = timezone.localtime()
        data = {
            "requested_by": "Casey Coordinator",
            "requester_role": "Care coordinator",
            "urgency": "urgent",
            "reason": "Stopped medication, very unwell (synthetic)",
            "received_on_day": str(now.day),
            "received_on_month": str(now.month),
            "received_on_year": str(now.year),
            "received_time": "09:30",
        }
        assert (
            coordinator_client.post(reverse("legal:new_request", args=[person.pk]), data).status_code == 302
        )
        found = AssessmentRequest.objects.get(person=person)
        assert timezone.localtime(found.received_at).strftime("%H:%M") == "09:30"
        assert AuditEvent.objects.filter(record_type=RecordType.AMHP_REQUEST, action=Action.CREATE).exists()


@pytest.mark.django_db
def test_bia_list(client, db, person, coordinator, django_assert_max_num_queries):
    bia = make_staff(roles=[RoleCode.BIA], username="bia.two")
    client.force_login(bia)
    LibertyAuthorisationFactory(
        person=person, bia=bia, created_by=coordinator, expires_on=TODAY + datetime.timedelta(days=3)
    )
    client.get(reverse("legal:bia_list"))
    with django_assert_max_num_queries(20) as one:
        body = client.get(reverse("legal:bia_list")).content.decode()
    assert person.listing_name in body
    for _ in range(4):
        LibertyAuthorisationFactory(person=person, bia=bia, created_by=coordinator)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("legal:bia_list"))
    assert AuditEvent.objects.filter(record_type=RecordType.BIA_LIST).exists()


@pytest.mark.django_db
class TestAssessmentOffersTheRecordedRelative:
    """The AMHP's form offers who holds the nearest relative role on the Legal tab, editable."""

    @pytest.fixture
    def allocated(self, amhp, waiting):
        AssessmentRequest.objects.filter(pk=waiting.pk).update(amhp=amhp, status=RequestStatus.ALLOCATED)
        return waiting

    def test_the_recorded_relative_is_offered_and_says_where_it_came_from(
        self, amhp_client, person, coordinator, allocated
    ):
        from waypoint.legal.factories import RelativeEventFactory

        RelativeEventFactory(
            person=person, recorded_by=coordinator, on=datetime.date(2026, 11, 2), name="Old Name (synthetic)"
        )
        RelativeEventFactory(
            person=person,
            recorded_by=coordinator,
            on=datetime.date(2026, 11, 13),
            name="Sam Example (synthetic)",
            relationship="Mother",
        )
        url = reverse("legal:amhp_assessment", args=[allocated.pk])
        body = amhp_client.get(url).content.decode()
        assert 'value="Sam Example (synthetic), Mother"' in body
        assert (
            "From the Legal tab: Sam Example (synthetic), Mother, nearest relative, recorded on 13 November 2026"
            in body
        )
        assert "Old Name" not in body and "No nearest relative is recorded" not in body
        # Editable: the AMHP's own entry is saved, and offered back instead of the Legal tab's
        response = amhp_client.post(url, assessment_post(relative_name="Jo Example, sister (synthetic)"))
        assert response.status_code == 302
        assert allocated.assessment.relative_name == "Jo Example, sister (synthetic)"
        body = amhp_client.get(url).content.decode()
        assert 'value="Jo Example, sister (synthetic)"' in body and "From the Legal tab" in body

    def test_none_recorded_says_so_and_links_to_record_one(self, amhp_client, person, allocated):
        body = amhp_client.get(reverse("legal:amhp_assessment", args=[allocated.pk])).content.decode()
        assert "No nearest relative is recorded on the Legal tab" in body
        assert reverse("legal:new_relative", args=[person.pk]) in body
        assert "Record about the nearest relative" in body
        assert (
            'name="relative_name" type="text" value=""' in body or 'name="relative_name" type="text">' in body
        )

    def test_an_ended_role_is_not_offered(self, amhp_client, person, coordinator, allocated):
        from waypoint.legal.factories import RelativeEventFactory
        from waypoint.legal.models import RelativeEventKind

        RelativeEventFactory(person=person, recorded_by=coordinator, on=TODAY - datetime.timedelta(days=9))
        RelativeEventFactory(
            person=person,
            recorded_by=coordinator,
            kind=RelativeEventKind.ENDED,
            on=TODAY - datetime.timedelta(days=2),
        )
        body = amhp_client.get(reverse("legal:amhp_assessment", args=[allocated.pk])).content.decode()
        assert "No nearest relative is recorded on the Legal tab" in body and "Sam Example" not in body
