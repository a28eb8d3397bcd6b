"""DoLS (issue 12): requests from managing authorities waiting for a BIA, as a queue on the BIA page
(urgent first, then the longest waiting; names only of people the viewer may see; fixed queries),
allocated by an audited service; and reviews of a standard authorisation as records of their own
(what was reviewed, the outcome, the next review), never edited, corrected by entered in error."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from waypoint.access.policy import access_for
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.accounts.permissions import PermissionRefused
from waypoint.audit.models import Action, AuditEvent, Basis, RecordType
from waypoint.legal import services
from waypoint.legal.factories import LibertyAuthorisationFactory, LibertyReviewFactory
from waypoint.legal.models import LibertyKind, LibertyReview, ReviewOutcome
from waypoint.legal.tests.test_views import date_post
from waypoint.patients.factories import PersonFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days_ago(days):
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture
def lead(team):
    """A BIA who also allocates (the DoLS team lead), on the person's team."""
    return make_staff(
        team=team, roles=[RoleCode.BIA], username="bia.lead", first_name="Lee", last_name="Lead"
    )


@pytest.fixture
def bia(other_team):
    return make_staff(
        team=other_team, roles=[RoleCode.BIA], username="bia.two", first_name="Bea", last_name="Assessor"
    )


def waiting(person, coordinator, **kwargs):
    defaults = {
        "requested_on": days_ago(3),
        "starts_on": days_ago(3),
        "expires_on": TODAY + datetime.timedelta(days=300),
    }
    defaults.update(kwargs)
    return LibertyAuthorisationFactory(person=person, created_by=coordinator, **defaults)


# --- The queue ------------------------------------------------------------------------------------


class TestQueue:
    def test_urgent_first_then_oldest_with_names_only_of_people_the_viewer_may_see(
        self, client, lead, person, coordinator
    ):
        stranger = PersonFactory(given_name="Hidden", family_name="Stranger")
        old = waiting(
            stranger, coordinator, managing_authority="Oak Lodge (synthetic)", requested_on=days_ago(20)
        )
        new = waiting(
            person, coordinator, managing_authority="Elm House (synthetic)", requested_on=days_ago(2)
        )
        urgent = waiting(
            person,
            coordinator,
            kind=LibertyKind.URGENT,
            managing_authority="Ward 3, City Hospital (synthetic)",
            requested_on=days_ago(1),
            starts_on=days_ago(1),
            expires_on=TODAY + datetime.timedelta(days=5),
        )
        waiting(person, coordinator, managing_authority="Already allocated (synthetic)", bia=lead)
        waiting(person, coordinator, managing_authority="Ended (synthetic)", ended_on=TODAY, end_reason="x")
        waiting(person, coordinator, kind=LibertyKind.COURT, managing_authority="Court order (synthetic)")
        client.force_login(lead)
        body = client.get(reverse("legal:bia_list")).content.decode()
        queue = body.split("Requests waiting for a BIA", 1)[1]
        order = [queue.index(a.managing_authority) for a in (urgent, old, new)]
        assert order == sorted(order)
        for hidden in ("Already allocated", "Ended (synthetic)", "Court order"):
            assert hidden not in queue
        assert "20</td>" in queue and person.listing_name in queue
        assert "Stranger" not in body and "A person you have no relationship with" in queue
        assert reverse("legal:allocate_bia", args=[old.pk]) in queue

    def test_query_count_does_not_grow_with_rows(self, client, lead, person, coordinator):
        client.force_login(lead)
        waiting(person, coordinator)
        client.get(reverse("legal:bia_list"))
        with CaptureQueriesContext(connection) as one:
            client.get(reverse("legal:bia_list"))
        for _ in range(4):
            waiting(PersonFactory(), coordinator)
            waiting(person, coordinator, bia=lead)
        with CaptureQueriesContext(connection) as many:
            body = client.get(reverse("legal:bia_list")).content.decode()
        assert body.count("Allocate<span") == 5
        assert len(many) == len(one)

    def test_the_page_is_for_bias_and_those_who_allocate(self, client, coordinator, team):
        client.force_login(coordinator)
        assert client.get(reverse("legal:bia_list")).status_code == 403
        manager = make_staff(team=team, roles=[RoleCode.TEAM_MANAGER], username="tm.north")
        client.force_login(manager)
        response = client.get(reverse("legal:bia_list"))
        assert response.status_code == 200 and "Requests waiting for a BIA" in response.content.decode()
        row = AuditEvent.objects.filter(record_type=RecordType.BIA_LIST, user=manager).get()
        assert row.action == Action.VIEW


class TestAllocation:
    def test_allocate_to_a_bia_audited_then_in_their_allocations(
        self, client, lead, bia, person, coordinator
    ):
        found = waiting(person, coordinator, managing_authority="Elm House (synthetic)")
        client.force_login(lead)
        url = reverse("legal:allocate_bia", args=[found.pk])
        body = client.get(url).content.decode()
        assert "Elm House (synthetic)" in body and person.listing_name in body
        viewed = AuditEvent.objects.filter(person=person, action=Action.VIEW).latest("id")
        assert viewed.record_type == RecordType.LIBERTY_AUTHORISATION and viewed.record_id == str(found.pk)
        # Not a BIA: refused beside the field.
        body = client.post(url, {"bia": coordinator.pk}).content.decode()
        assert "<title>Error: " in body and "Choose a BIA" in body
        assert access_for(bia, person) is None
        response = client.post(url, {"bia": bia.pk})
        assert response.status_code == 302 and response["Location"] == reverse("legal:bia_list")
        found.refresh_from_db()
        assert found.bia == bia and found.bia_allocated_by == lead and found.bia_allocated_at is not None
        row = AuditEvent.objects.filter(person=person, action=Action.UPDATE).get()
        assert row.fields_changed == ["bia", "bia_allocated_at", "bia_allocated_by"] and row.user == lead
        assert row.record_type == RecordType.LIBERTY_AUTHORISATION
        # The BIA now sees the person (BIA basis) and has it in "DoLS allocations".
        assert access_for(bia, person).basis == Basis.BIA
        client.force_login(bia)
        allocations = client.get(reverse("legal:bia_list")).content.decode()
        assert person.listing_name in allocations.split("Requests waiting for a BIA")[0]
        # Allocated: no longer waiting, so its allocation page is gone.
        client.force_login(lead)
        assert client.get(url).status_code == 404

    def test_allocating_a_person_the_allocator_cannot_see_names_no_one_and_is_audited_as_none(
        self, client, bia, coordinator, other_team
    ):
        stranger = PersonFactory(given_name="Hidden", family_name="Stranger")
        found = waiting(stranger, coordinator)
        lead = make_staff(team=other_team, roles=[RoleCode.BIA], username="bia.far")
        client.force_login(lead)
        url = reverse("legal:allocate_bia", args=[found.pk])
        body = client.get(url).content.decode()
        assert "Stranger" not in body and "A person you have no relationship with" in body
        assert client.post(url, {"bia": bia.pk}).status_code == 302
        rows = list(AuditEvent.objects.filter(person=stranger).order_by("id"))
        assert [(r.action, r.basis) for r in rows] == [(Action.VIEW, Basis.NONE), (Action.UPDATE, Basis.NONE)]

    def test_staff_who_may_not_allocate_get_404_and_nothing_is_written(
        self, coordinator_client, outsider_client, person, coordinator, bia
    ):
        found = waiting(person, coordinator)
        url = reverse("legal:allocate_bia", args=[found.pk])
        before = AuditEvent.objects.count()
        for staff_client in (coordinator_client, outsider_client):
            assert staff_client.get(url).status_code == 404
            assert staff_client.post(url, {"bia": bia.pk}).status_code == 404
        assert AuditEvent.objects.count() == before
        found.refresh_from_db()
        assert found.bia is None

    def test_the_service_checks_the_role_and_the_state(self, rf, lead, bia, person, coordinator):
        from waypoint.access.actor import Actor

        found = waiting(person, coordinator)
        with pytest.raises(PermissionRefused):
            services.allocate_bia(by=Actor(coordinator, Basis.TEAM, "", "/"), authorisation=found, bia=bia)
        services.allocate_bia(by=Actor(lead, Basis.TEAM, "", "/"), authorisation=found, bia=bia)
        with pytest.raises(services.LegalProblem, match="already been allocated"):
            services.allocate_bia(by=Actor(lead, Basis.TEAM, "", "/"), authorisation=found, bia=lead)


# --- Reviews --------------------------------------------------------------------------------------


@pytest.fixture
def standard(person, coordinator):
    return LibertyAuthorisationFactory(
        person=person,
        created_by=coordinator,
        starts_on=days_ago(100),
        expires_on=days_ago(100) + datetime.timedelta(days=300),
        conditions="Visits from family daily (synthetic)",
    )


def review_post(**kwargs):
    data = {
        **date_post("reviewed_on", kwargs.pop("reviewed_on", TODAY)),
        "reviewer": "Bea Assessor, BIA (synthetic)",
        "reviewed_conditions": "on",
        "outcome": ReviewOutcome.NO_CHANGE,
        "notes": "Settled at Elm House (synthetic)",
    }
    next_review_on = kwargs.pop("next_review_on", None)
    if next_review_on is not None:
        data.update(date_post("next_review_on", next_review_on))
    data.update(kwargs)
    return data


class TestReviews:
    def url(self, person, found):
        return reverse("legal:record_liberty_review", args=[person.pk, found.pk])

    def test_no_change_with_the_next_review_date(self, coordinator_client, coordinator, person, standard):
        page = reverse("legal:liberty", args=[person.pk, standard.pk])
        assert "Record the review" in coordinator_client.get(page).content.decode()
        following = TODAY + datetime.timedelta(days=90)
        response = coordinator_client.post(self.url(person, standard), review_post(next_review_on=following))
        assert response.status_code == 302 and response["Location"] == page
        review = LibertyReview.objects.get()
        assert review.outcome == ReviewOutcome.NO_CHANGE and review.recorded_by == coordinator
        assert review.person == person and review.reviewed_conditions and not review.reviewed_requirements
        standard.refresh_from_db()
        assert standard.review_on == following and standard.ended_on is None
        created = AuditEvent.objects.filter(record_type=RecordType.LIBERTY_REVIEW).get()
        assert created.action == Action.CREATE and created.record_id == str(review.pk)
        assert "notes" in created.fields_changed and created.basis == Basis.TEAM
        changed = AuditEvent.objects.filter(
            record_type=RecordType.LIBERTY_AUTHORISATION, action=Action.UPDATE
        )
        assert changed.get().fields_changed == ["review_on"]
        body = coordinator_client.get(page).content.decode()
        assert "Settled at Elm House (synthetic)" in body and "No change" in body

    def test_conditions_varied_replaces_the_conditions_and_keeps_the_old(
        self, coordinator_client, person, standard
    ):
        url = self.url(person, standard)
        body = coordinator_client.post(
            url, review_post(outcome=ReviewOutcome.CONDITIONS_VARIED)
        ).content.decode()
        assert "<title>Error: " in body and "Enter the new conditions" in body
        assert "Settled at Elm House (synthetic)" in body  # what was typed is kept
        response = coordinator_client.post(
            url,
            review_post(
                outcome=ReviewOutcome.CONDITIONS_VARIED, new_conditions="Walks with staff (synthetic)"
            ),
        )
        assert response.status_code == 302
        standard.refresh_from_db()
        assert standard.conditions == "Walks with staff (synthetic)"
        review = LibertyReview.objects.get()
        assert review.previous_conditions == "Visits from family daily (synthetic)"

    def test_no_longer_meets_the_requirements_ends_the_authorisation(
        self, coordinator_client, person, standard
    ):
        response = coordinator_client.post(
            self.url(person, standard),
            review_post(
                outcome=ReviewOutcome.NO_LONGER_MEETS,
                reviewed_requirements="on",
                reviewed_on=days_ago(1),
                next_review_on=TODAY + datetime.timedelta(days=30),
            ),
        )
        assert response.status_code == 302
        standard.refresh_from_db()
        assert standard.ended_on == days_ago(1)
        assert "no longer meets the qualifying requirements" in standard.end_reason
        assert LibertyReview.objects.get().next_review_on is None
        ends = AuditEvent.objects.filter(record_type=RecordType.LIBERTY_AUTHORISATION, action=Action.UPDATE)
        assert sorted(ends.get().fields_changed) == ["end_reason", "ended_on"]
        # Ended: off the worklist and the page says so; no review can be recorded now.
        body = coordinator_client.get(
            reverse("legal:liberty", args=[person.pk, standard.pk])
        ).content.decode()
        assert "Ended" in body and "Record the review</a>" not in body
        response = coordinator_client.post(self.url(person, standard), review_post())
        assert response.status_code == 302 and LibertyReview.objects.count() == 1

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"reviewed_on": days_ago(101)}, "The date of the review must be on or after the start"),
            ({"reviewed_on": TODAY + datetime.timedelta(days=1)}, "must be today or in the past"),
            ({"next_review_on": days_ago(100) + datetime.timedelta(days=301)}, "by the expiry"),
            ({"next_review_on": days_ago(5)}, "The next review date must be after the review"),
            ({"reviewed_conditions": ""}, "Say what was reviewed"),
            ({"reviewer": ""}, "Enter who carried out the review"),
        ],
    )
    def test_bad_input_beside_the_field_with_the_typing_kept(
        self, coordinator_client, person, standard, change, message
    ):
        body = coordinator_client.post(self.url(person, standard), review_post(**change)).content.decode()
        assert "<title>Error: " in body and message in body
        assert "Settled at Elm House (synthetic)" in body
        assert LibertyReview.objects.count() == 0
        assert not AuditEvent.objects.filter(record_type=RecordType.LIBERTY_REVIEW).exists()

    def test_only_a_standard_authorisation_is_reviewed(self, coordinator_client, person, coordinator):
        urgent = LibertyAuthorisationFactory(
            person=person,
            created_by=coordinator,
            kind=LibertyKind.URGENT,
            starts_on=days_ago(2),
            expires_on=TODAY + datetime.timedelta(days=4),
        )
        page = coordinator_client.get(reverse("legal:liberty", args=[person.pk, urgent.pk])).content.decode()
        assert "Record the review" not in page
        body = coordinator_client.post(self.url(person, urgent), review_post()).content.decode()
        assert "Only a standard authorisation is reviewed" in body and LibertyReview.objects.count() == 0

    def test_listed_newest_first_and_corrected_by_entered_in_error(
        self, coordinator_client, coordinator, person, standard
    ):
        older = LibertyReviewFactory(
            authorisation=standard,
            recorded_by=coordinator,
            reviewed_on=days_ago(60),
            notes="First (synthetic)",
        )
        LibertyReviewFactory(
            authorisation=standard,
            recorded_by=coordinator,
            reviewed_on=days_ago(10),
            notes="Second (synthetic)",
        )
        page = reverse("legal:liberty", args=[person.pk, standard.pk])
        body = coordinator_client.get(page).content.decode()
        assert body.index("Second (synthetic)") < body.index("First (synthetic)")
        url = reverse("legal:liberty_review_error", args=[person.pk, older.pk])
        assert coordinator_client.post(url, {"reason": "Wrong person (synthetic)"}).status_code == 302
        older.refresh_from_db()
        assert older.entered_in_error and older.error_reason == "Wrong person (synthetic)"
        row = AuditEvent.objects.filter(
            record_type=RecordType.LIBERTY_REVIEW, action=Action.ENTERED_IN_ERROR
        ).get()
        assert row.record_id == str(older.pk) and row.fields_changed == ["error_reason"]
        body = coordinator_client.get(page).content.decode()
        assert "<s>" in body and "Wrong person (synthetic)" in body and LibertyReview.objects.count() == 2

    def test_no_relationship_gets_404_and_no_audit_row(self, outsider_client, person, standard, coordinator):
        review = LibertyReviewFactory(authorisation=standard, recorded_by=coordinator)
        before = AuditEvent.objects.count()
        for url in (
            self.url(person, standard),
            reverse("legal:liberty_review_error", args=[person.pk, review.pk]),
        ):
            assert outsider_client.get(url).status_code == 404
            assert outsider_client.post(url, review_post()).status_code == 404
        assert AuditEvent.objects.count() == before
