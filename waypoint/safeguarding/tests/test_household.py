"""Children and dependants in the person's household: add, change (version-checked), no longer in
the household, entered in error, never deleted; a concern about a child can link to one; access
and audit; errors beside the fields; the list's query count."""

import datetime

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.accounts.permissions import PermissionRefused
from waypoint.audit.models import Action, AuditEvent, Basis, RecordType
from waypoint.patients.factories import TeamRegistrationFactory
from waypoint.safeguarding import services
from waypoint.safeguarding.factories import HouseholdMemberFactory
from waypoint.safeguarding.models import Concern, HouseholdMember

pytestmark = pytest.mark.django_db
KIND = RecordType.SAFEGUARDING_HOUSEHOLD_MEMBER


def _date(prefix, day):
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def _member_post(**overrides):
    data = {
        "name": "Synthetic Daughter",
        **_date("date_of_birth", datetime.date(2018, 5, 4)),
        "relationship": "Daughter",
        "parental_responsibility": "on",
        "lives_with_person": "on",
        "agencies": "Hillside Primary School (synthetic)",
        "notes": "Stays with her father at weekends (synthetic)",
    }
    data.update(overrides)
    return data


class TestServices:
    def test_add_change_end_and_entered_in_error_are_audited_with_field_names_only(self, coordinator, person):
        by = Actor(coordinator, Basis.TEAM)
        member = services.add_household_member(
            by=by, person=person, data={"name": " Synthetic Son ", "age": "7", "relationship": "Son"}
        )
        assert member.name == "Synthetic Son" and member.is_current
        member, changed = services.update_household_member(
            by=by, member=member, data={"agencies": "Hillside Primary (synthetic)"}, version=1
        )
        assert changed == ["agencies"] and member.version == 2
        with pytest.raises(services.HouseholdStale):
            services.update_household_member(by=by, member=member, data={"notes": "x"}, version=1)
        services.end_household_member(by=by, member=member, ended_on=timezone.localdate(), version=2)
        member.refresh_from_db()
        assert not member.is_current and member.ended_by == coordinator
        with pytest.raises(services.ConcernError):
            services.update_household_member(
                by=by, member=member, data={"notes": "x"}, version=member.version
            )
        services.mark_household_member_entered_in_error(
            by=by, member=member, reason="Wrong record (synthetic)"
        )
        events = list(AuditEvent.objects.filter(record_type=KIND).order_by("id"))
        assert [e.action for e in events] == [
            Action.CREATE,
            Action.UPDATE,
            Action.UPDATE,
            Action.ENTERED_IN_ERROR,
        ]
        assert all(e.record_id == str(member.pk) and e.person == person for e in events)
        assert "Hillside" not in str([e.fields_changed for e in events])

    def test_never_deleted_in_the_database(self, person):
        member = HouseholdMemberFactory(person=person)
        with pytest.raises(DatabaseError), transaction.atomic():
            HouseholdMember.objects.filter(pk=member.pk).delete()
        assert HouseholdMember.objects.filter(pk=member.pk).exists()

    def test_a_role_without_the_action_is_refused(self, team, person):
        by = Actor(make_staff(team=team, roles=[RoleCode.PRIVACY_OFFICER], username="po.hh"), Basis.TEAM)
        member = HouseholdMemberFactory(person=person)
        for call in [
            lambda: services.add_household_member(by=by, person=person, data={"name": "x"}),
            lambda: services.update_household_member(by=by, member=member, data={}, version=1),
            lambda: services.end_household_member(by=by, member=member, ended_on=None, version=1),
            lambda: services.mark_household_member_entered_in_error(by=by, member=member, reason="x"),
        ]:
            with pytest.raises(PermissionRefused):
                call()

    def test_a_concern_cannot_link_someone_elses_child(self, coordinator, person, team):
        other = HouseholdMemberFactory(person=TeamRegistrationFactory(team=team).person)
        data = {
            "about": "child",
            "subject_name": "x",
            "category": "child_neglect",
            "account": "x",
            "immediate_actions": "x",
            "household_member": other,
        }
        with pytest.raises(services.ConcernError):
            services.raise_concern(by=Actor(coordinator, Basis.TEAM), person=person, team=team, data=data)
        assert not Concern.objects.exists()


class TestPages:
    def test_add_a_child_then_see_them_on_the_list_and_the_tab(self, coordinator_client, person):
        url = reverse("safeguarding:household_add", args=[person.pk])
        assert coordinator_client.get(url).status_code == 200
        response = coordinator_client.post(url, _member_post())
        assert response["Location"] == reverse("safeguarding:household", args=[person.pk])
        member = HouseholdMember.objects.get()
        assert (member.person, member.relationship, member.parental_responsibility) == (
            person,
            "Daughter",
            True,
        )
        assert member.lives_with_person and not member.is_carer
        page = coordinator_client.get(response["Location"]).content.decode()
        assert "Synthetic Daughter" in page and "Hillside Primary School" in page
        assert AuditEvent.objects.filter(record_type=KIND, action=Action.CREATE).count() == 1

    def test_errors_are_beside_the_fields_and_what_was_typed_is_kept(self, coordinator_client, person):
        page = coordinator_client.post(
            reverse("safeguarding:household_add", args=[person.pk]),
            _member_post(
                relationship="", date_of_birth_day="", date_of_birth_month="", date_of_birth_year=""
            ),
        ).content.decode()
        assert "<title>Error: " in page
        assert (
            "Enter their relationship to the person" in page
            and "Enter their date of birth or their age" in page
        )
        assert "Stays with her father at weekends" in page and "Synthetic Daughter" in page
        assert not HouseholdMember.objects.exists()

    def test_change_is_version_checked_and_keeps_what_was_typed(
        self, coordinator_client, coordinator, person
    ):
        member = HouseholdMemberFactory(person=person)
        url = reverse("safeguarding:household_edit", args=[person.pk, member.pk])
        assert coordinator_client.get(url).status_code == 200
        services.update_household_member(
            by=Actor(coordinator, Basis.TEAM), member=member, data={"notes": "Moved school"}, version=1
        )
        page = coordinator_client.post(url, _member_post(version=1, notes="My stale note")).content.decode()
        assert "Someone else changed this household member" in page and "My stale note" in page
        response = coordinator_client.post(url, _member_post(version=2))
        assert response.status_code == 302
        member.refresh_from_db()
        assert member.name == "Synthetic Daughter" and member.version == 3

    def test_end_and_entered_in_error_keep_the_record(self, coordinator_client, person):
        member = HouseholdMemberFactory(person=person)
        end = reverse("safeguarding:household_end", args=[person.pk, member.pk])
        assert (
            "Enter the date they left the household"
            in coordinator_client.post(end, {"version": 1}).content.decode()
        )
        coordinator_client.post(end, {"version": 1, **_date("ended_on", timezone.localdate())})
        member.refresh_from_db()
        assert member.ended_on == timezone.localdate()
        error = reverse("safeguarding:household_entered_in_error", args=[person.pk, member.pk])
        assert (
            "Enter why this was entered in error"
            in coordinator_client.post(error, {"reason": ""}).content.decode()
        )
        coordinator_client.post(error, {"reason": "Wrong person (synthetic)"})
        page = coordinator_client.get(reverse("safeguarding:household", args=[person.pk])).content.decode()
        assert "Wrong person (synthetic)" in page and "Entered in error" in page

    def test_raise_a_concern_about_a_recorded_child(self, coordinator_client, person):
        member = HouseholdMemberFactory(person=person, name="Synthetic Son", relationship="Son")
        ended = HouseholdMemberFactory(person=person, name="Synthetic Left", ended_on=timezone.localdate())
        url = reverse("safeguarding:raise", args=[person.pk])
        page = coordinator_client.get(f"{url}?member={member.pk}").content.decode()
        assert "Synthetic Son (Son)" in page and "Synthetic Left" not in page
        response = coordinator_client.post(
            url,
            {
                "about": "child",
                "household_member": str(member.pk),
                "category": "child_neglect",
                "account": "Not eaten (synthetic)",
                "immediate_actions": "School told (synthetic)",
            },
        )
        concern = Concern.objects.get()
        assert concern.household_member == member and concern.subject_name == "Synthetic Son"
        assert "Son" in concern.subject_details and "Hillside" in concern.subject_details
        assert (
            "household_member"
            in AuditEvent.objects.get(
                record_type=RecordType.SAFEGUARDING_CONCERN, action=Action.CREATE
            ).fields_changed
        )
        detail = coordinator_client.get(response["Location"]).content.decode()
        assert "Linked to" in detail
        assert ended.pk

    def test_a_household_member_cannot_be_linked_to_a_concern_about_an_adult(
        self, coordinator_client, person
    ):
        member = HouseholdMemberFactory(person=person)
        page = coordinator_client.post(
            reverse("safeguarding:raise", args=[person.pk]),
            {
                "about": "other_adult",
                "household_member": str(member.pk),
                "subject_name": "Synthetic Adult",
                "category": "adult_financial",
                "account": "Typed account (synthetic)",
                "immediate_actions": "x",
            },
        ).content.decode()
        assert "to link a household member" in page and "Typed account (synthetic)" in page
        assert not Concern.objects.exists()

    def test_the_list_query_count_does_not_grow_with_rows(
        self, coordinator_client, person, django_assert_max_num_queries
    ):
        url = reverse("safeguarding:household", args=[person.pk])
        HouseholdMemberFactory.create_batch(2, person=person)
        with django_assert_max_num_queries(40) as few:
            coordinator_client.get(url)
        HouseholdMemberFactory.create_batch(8, person=person, ended_on=timezone.localdate())
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert coordinator_client.get(url).status_code == 200


class TestAccessAndAudit:
    @pytest.mark.parametrize("name", ["household", "household_add"])
    def test_person_pages_404_without_relationship(self, outsider_client, person, name):
        assert outsider_client.get(reverse(f"safeguarding:{name}", args=[person.pk])).status_code == 404

    @pytest.mark.parametrize("name", ["household_edit", "household_end", "household_entered_in_error"])
    def test_member_pages_404_without_relationship_and_nothing_audited(self, outsider_client, person, name):
        member = HouseholdMemberFactory(person=person)
        before = AuditEvent.objects.count()
        assert (
            outsider_client.get(reverse(f"safeguarding:{name}", args=[person.pk, member.pk])).status_code
            == 404
        )
        assert AuditEvent.objects.count() == before

    def test_another_persons_household_member_is_404(self, coordinator_client, person, team):
        member = HouseholdMemberFactory(person=TeamRegistrationFactory(team=team).person)
        url = reverse("safeguarding:household_edit", args=[person.pk, member.pk])
        assert coordinator_client.get(url).status_code == 404

    def test_viewing_the_household_is_audited(self, coordinator_client, coordinator, person):
        coordinator_client.get(reverse("safeguarding:household", args=[person.pk]))
        event = AuditEvent.objects.get(record_type=KIND, action=Action.VIEW)
        assert (event.user, event.person) == (coordinator, person)
