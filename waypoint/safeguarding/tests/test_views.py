"""Safeguarding pages: raise in one form, add the referral later, close, addenda, entered in
error, the banner line, the team manager's list, errors beside the fields, access and audit."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.patients.factories import TeamRegistrationFactory
from waypoint.safeguarding.factories import ChildConcernFactory, ConcernFactory
from waypoint.safeguarding.models import Concern, ConcernAddendum, Status


def _date(prefix, day):
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def _raise_post(**overrides):
    data = {
        "about": "child",
        "subject_name": "Synthetic Son",
        "category": "child_neglect",
        "account": '"He has not eaten since Friday" (synthetic)',
        "immediate_actions": "Grandmother collecting him today (synthetic)",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestRaiseAndFollowThrough:
    def test_raise_a_concern_about_a_child_in_one_form(self, coordinator_client, coordinator, person, team):
        url = reverse("safeguarding:raise", args=[person.pk])
        assert coordinator_client.get(url).status_code == 200
        response = coordinator_client.post(url, _raise_post())
        concern = Concern.objects.get()
        assert response["Location"] == reverse("safeguarding:detail", args=[person.pk, concern.pk])
        assert (concern.person, concern.team, concern.raised_by) == (person, team, coordinator)
        assert concern.is_child and concern.subject_name == "Synthetic Son" and concern.is_open
        event = AuditEvent.objects.get(record_type=RecordType.SAFEGUARDING_CONCERN, action=Action.CREATE)
        assert event.record_id == str(concern.pk) and "account" in event.fields_changed
        assert "eaten" not in str(event.fields_changed)

    def test_errors_are_beside_the_fields_and_what_was_typed_is_kept(self, coordinator_client, person):
        page = coordinator_client.post(
            reverse("safeguarding:raise", args=[person.pk]),
            _raise_post(subject_name="", category="adult_financial", immediate_actions=""),
        ).content.decode()
        assert "<title>Error: " in page
        assert "Enter their name" in page and "Choose a category of harm to a child" in page
        assert "Enter what has been done to keep people safe" in page
        assert "He has not eaten since Friday" in page
        assert not Concern.objects.exists()

    def test_referral_without_consent_needs_a_reason_then_decision_and_outcome(
        self, coordinator_client, person, team
    ):
        concern = ConcernFactory(person=person, team=team)
        url = reverse("safeguarding:update", args=[person.pk, concern.pk])
        assert coordinator_client.get(url).status_code == 200
        base = {
            "version": concern.version,
            "consent": "declines",
            **_date("referred_on", timezone.localdate()),
        }
        page = coordinator_client.post(url, {**base, "referral_reference": "LA-123"}).content.decode()
        assert "Enter the reason to share without the person&#39;s consent" in page and "LA-123" in page
        response = coordinator_client.post(
            url,
            {
                **base,
                "share_without_consent_reason": "Others at risk (synthetic)",
                "referral_reference": "LA-123",
                "lead_consulted": "Sam Lead",
                "decision": "adult_s42",
                **_date("decision_on", timezone.localdate()),
            },
        )
        assert response.status_code == 302
        concern.refresh_from_db()
        assert (concern.referral_reference, concern.decision, concern.version) == ("LA-123", "adult_s42", 2)
        event = AuditEvent.objects.get(record_type=RecordType.SAFEGUARDING_CONCERN, action=Action.UPDATE)
        assert {"consent", "referred_on", "decision", "lead_consulted"} <= set(event.fields_changed)

    def test_a_stale_version_is_refused_and_the_text_kept(self, coordinator_client, person, team):
        concern = ConcernFactory(person=person, team=team, version=3)
        page = coordinator_client.post(
            reverse("safeguarding:update", args=[person.pk, concern.pk]),
            {"version": 2, "lead_consulted": "Typed lead"},
        ).content.decode()
        assert "Someone else changed this concern" in page and "Typed lead" in page
        concern.refresh_from_db()
        assert concern.lead_consulted == ""

    def test_close_then_only_addenda(self, coordinator_client, person, team):
        concern = ConcernFactory(person=person, team=team)
        response = coordinator_client.post(
            reverse("safeguarding:close", args=[person.pk, concern.pk]),
            {"version": concern.version, "summary": "Enquiry ended (synthetic)"},
        )
        assert response.status_code == 302
        concern.refresh_from_db()
        assert concern.status == Status.CLOSED and not concern.is_open
        page = coordinator_client.get(reverse("safeguarding:update", args=[person.pk, concern.pk]))
        assert page.status_code == 302
        coordinator_client.post(
            reverse("safeguarding:addendum", args=[person.pk, concern.pk]), {"text": "Later news (synthetic)"}
        )
        assert ConcernAddendum.objects.get().text == "Later news (synthetic)"
        page = coordinator_client.get(
            reverse("safeguarding:detail", args=[person.pk, concern.pk])
        ).content.decode()
        assert "Later news (synthetic)" in page and "Closed" in page

    def test_entered_in_error_keeps_the_concern_with_the_reason(self, coordinator_client, person, team):
        concern = ConcernFactory(person=person, team=team)
        url = reverse("safeguarding:entered_in_error", args=[person.pk, concern.pk])
        assert (
            "Enter why this was entered in error"
            in coordinator_client.post(url, {"reason": ""}).content.decode()
        )
        coordinator_client.post(url, {"reason": "Wrong person (synthetic)"})
        concern.refresh_from_db()
        assert concern.entered_in_error and not concern.is_open
        assert Concern.objects.filter(pk=concern.pk).exists()
        page = coordinator_client.get(
            reverse("safeguarding:detail", args=[person.pk, concern.pk])
        ).content.decode()
        assert "Wrong person (synthetic)" in page and "Entered in error" in page


@pytest.mark.django_db
class TestBanner:
    def test_an_open_concern_shows_in_the_banner_on_record_pages(
        self, coordinator_client, coordinator, person, team
    ):
        ConcernFactory(person=person, team=team)
        ChildConcernFactory(person=person, team=team)
        ConcernFactory(person=person, team=team, status=Status.CLOSED, closed_by=coordinator)
        page = coordinator_client.get(reverse("patients:detail", args=[person.pk])).content.decode()
        assert "2 open concerns" in page

    def test_no_open_concern_no_line(self, coordinator_client, person):
        page = coordinator_client.get(reverse("patients:detail", args=[person.pk])).content.decode()
        assert "open concern" not in page

    def test_the_banner_line_costs_one_query(self, person, coordinator, django_assert_num_queries):
        from waypoint.safeguarding.selectors import open_concern_banner

        ConcernFactory.create_batch(3, person=person)
        with django_assert_num_queries(1):
            assert open_concern_banner(person, coordinator)["count"] == 3


@pytest.mark.django_db
class TestTeamList:
    def test_manager_sees_open_concerns_of_the_team_oldest_first(self, client, team, other_team):
        manager = make_staff(team=team, roles=[RoleCode.TEAM_MANAGER], username="tm")
        now = timezone.now()
        newer = ConcernFactory(team=team, raised_at=now - datetime.timedelta(days=1))
        older = ConcernFactory(team=team, raised_at=now - datetime.timedelta(days=9))
        elsewhere = ConcernFactory(team=other_team)
        client.force_login(manager)
        page = client.get(reverse("safeguarding:team")).content.decode()
        older_at = page.index(reverse("safeguarding:detail", args=[older.person_id, older.pk]))
        newer_at = page.index(reverse("safeguarding:detail", args=[newer.person_id, newer.pk]))
        assert older_at < newer_at
        assert "No open safeguarding concerns" not in page
        assert reverse("safeguarding:detail", args=[elsewhere.person_id, elsewhere.pk]) not in page
        assert AuditEvent.objects.filter(record_type=RecordType.SAFEGUARDING_TEAM_LIST).count() == 1

    def test_not_a_manager_gets_404(self, coordinator_client):
        assert coordinator_client.get(reverse("safeguarding:team")).status_code == 404

    def test_query_count_does_not_grow_with_rows(self, client, team, django_assert_max_num_queries):
        manager = make_staff(team=team, roles=[RoleCode.TEAM_MANAGER], username="tm")
        client.force_login(manager)
        ConcernFactory.create_batch(2, team=team)
        with django_assert_max_num_queries(12) as few:
            client.get(reverse("safeguarding:team"))
        ConcernFactory.create_batch(8, team=team)
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(reverse("safeguarding:team"))


@pytest.mark.django_db
class TestPersonList:
    def test_list_query_count_does_not_grow(
        self, coordinator_client, person, team, django_assert_max_num_queries
    ):
        ConcernFactory.create_batch(2, person=person, team=team)
        with django_assert_max_num_queries(40) as few:
            coordinator_client.get(reverse("safeguarding:list", args=[person.pk]))
        ConcernFactory.create_batch(8, person=person, team=team)
        with django_assert_max_num_queries(len(few.captured_queries)):
            coordinator_client.get(reverse("safeguarding:list", args=[person.pk]))


@pytest.mark.django_db
class TestAccessAndAudit:
    @pytest.mark.parametrize("name", ["list", "raise"])
    def test_person_pages_404_without_relationship(self, outsider_client, person, name):
        assert outsider_client.get(reverse(f"safeguarding:{name}", args=[person.pk])).status_code == 404

    @pytest.mark.parametrize("name", ["detail", "update", "close", "entered_in_error"])
    def test_concern_pages_404_without_relationship_and_nothing_audited(
        self, outsider_client, person, team, name
    ):
        concern = ConcernFactory(person=person, team=team)
        before = AuditEvent.objects.count()
        assert (
            outsider_client.get(reverse(f"safeguarding:{name}", args=[person.pk, concern.pk])).status_code
            == 404
        )
        assert AuditEvent.objects.count() == before

    def test_another_persons_concern_is_404(self, coordinator_client, person, team):
        other = TeamRegistrationFactory(team=team).person
        concern = ConcernFactory(person=other, team=team)
        url = reverse("safeguarding:detail", args=[person.pk, concern.pk])
        assert coordinator_client.get(url).status_code == 404

    def test_viewing_a_concern_is_audited(self, coordinator_client, coordinator, person, team):
        concern = ConcernFactory(person=person, team=team)
        coordinator_client.get(reverse("safeguarding:detail", args=[person.pk, concern.pk]))
        event = AuditEvent.objects.get(record_type=RecordType.SAFEGUARDING_CONCERN, action=Action.VIEW)
        assert (event.user, event.person, event.record_id) == (coordinator, person, str(concern.pk))


@pytest.mark.django_db
class TestServicesRequirePermission:
    def test_a_role_without_the_action_is_refused_by_every_service(self, team, person):
        from waypoint.access.actor import Actor
        from waypoint.accounts.factories import make_staff
        from waypoint.accounts.models import RoleCode
        from waypoint.accounts.permissions import PermissionRefused
        from waypoint.audit.models import Basis
        from waypoint.safeguarding import services
        from waypoint.safeguarding.factories import ConcernFactory
        from waypoint.safeguarding.models import Concern

        privacy = make_staff(team=team, roles=[RoleCode.PRIVACY_OFFICER], username="po.sg")
        by = Actor(privacy, Basis.TEAM)
        concern = ConcernFactory(person=person, team=team)
        calls = [
            lambda: services.raise_concern(by=by, person=person, team=team, data={}),
            lambda: services.update_concern(by=by, concern=concern, data={}, version=1),
            lambda: services.close_concern(by=by, concern=concern, summary="x", version=1),
            lambda: services.add_addendum(by=by, concern=concern, text="x"),
            lambda: services.mark_entered_in_error(by=by, concern=concern, reason="x"),
        ]
        for call in calls:
            with pytest.raises(PermissionRefused):
                call()
        assert Concern.objects.count() == 1 and not concern.addenda.exists()
