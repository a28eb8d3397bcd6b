"""Changes to staff accounts, roles and memberships: audited, no self-grants, two people for the
privacy officer and system administrator roles, and ending sessions (issue 8, items 4 and 6)."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from waypoint.accounts import services
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import Membership, Role, RoleCode, RoleGrantRequest, User
from waypoint.audit.models import AuditEvent
from waypoint.patients.models import Person

PO, SA = RoleCode.PRIVACY_OFFICER, RoleCode.SYSTEM_ADMINISTRATOR


def make_admin(username, first_name):
    return make_staff(
        roles=[SA],
        username=username,
        first_name=first_name,
        last_name="Admin",
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def sysadmin(db):
    return make_admin("sysadmin", "Sid")


@pytest.fixture
def second_admin(db):
    return make_admin("sysadmin2", "Sam")


@pytest.fixture
def admin_client(client, sysadmin):
    client.force_login(sysadmin)
    return client


def role(code):
    return Role.objects.get(code=code)


def account_events(**filters):
    return AuditEvent.objects.filter(person__isnull=True, **filters).order_by("id")


def change_url(account):
    return reverse("admin:accounts_user_change", args=[account.pk])


def change_form_data(account, *, roles=None, memberships=(), new_membership=None, **overrides):
    """What the admin change form posts for the account, with the given changes."""
    roles = roles if roles is not None else [r.pk for r in account.roles.all()]
    data = {
        "username": account.username,
        "first_name": account.first_name,
        "last_name": account.last_name,
        "email": account.email,
        "profession": account.profession,
        "job_title": account.job_title,
        "roles": roles,
        "memberships-INITIAL_FORMS": str(len(memberships)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    if account.is_active:
        data["is_active"] = "on"
    rows = [
        {
            "id": m.pk,
            "user": account.pk,
            "team": m.team_id,
            "is_primary": "on" if m.is_primary else "",
            "started_on": m.started_on.isoformat(),
            "ended_on": m.ended_on.isoformat() if m.ended_on else "",
        }
        for m in memberships
    ]
    if new_membership:
        rows.append({"id": "", "user": account.pk, "is_primary": "on", **new_membership})
    for index, row in enumerate(rows):
        for key, value in row.items():
            if value != "":
                data[f"memberships-{index}-{key}"] = value
        if row["id"]:  # a field with a callable default posts its initial value too
            data[f"initial-memberships-{index}-started_on"] = row["started_on"]
    data["memberships-TOTAL_FORMS"] = str(len(rows))
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestSelfGrants:
    def test_an_administrator_cannot_give_themselves_a_role_in_the_admin(self, admin_client, sysadmin):
        data = change_form_data(sysadmin, roles=[role(SA).pk, role(RoleCode.CARE_COORDINATOR).pk])
        response = admin_client.post(change_url(sysadmin), data)
        assert response.status_code == 200  # the form again, with the error
        assert "You cannot change your own roles" in response.content.decode()
        assert not sysadmin.roles.filter(code=RoleCode.CARE_COORDINATOR).exists()
        assert not account_events(record_type="staff_role").exists()

    def test_an_administrator_cannot_add_themselves_to_a_team_in_the_admin(
        self, admin_client, sysadmin, team
    ):
        data = change_form_data(sysadmin, new_membership={"team": team.pk, "started_on": "2026-01-05"})
        response = admin_client.post(change_url(sysadmin), data)
        assert response.status_code == 200
        assert "You cannot change your own team memberships" in response.content.decode()
        assert not Membership.objects.filter(user=sysadmin).exists()
        assert Person.objects.visible_to(sysadmin).count() == 0

    def test_the_services_refuse_self_grants_too(self, sysadmin, team):
        with pytest.raises(services.AccountChangeRefused, match="own roles"):
            services.change_roles(sysadmin, roles=[role(SA), role(PO)], by=sysadmin)
        with pytest.raises(services.AccountChangeRefused, match="own team memberships"):
            services.save_membership(
                Membership(user=sysadmin, team=team), by=sysadmin, changed_fields=["team"]
            )
        assert not RoleGrantRequest.objects.exists() and not Membership.objects.exists()

    def test_admin_flags_cannot_be_set_by_hand(self, sysadmin, coordinator):
        coordinator.is_superuser = True
        with pytest.raises(services.AccountChangeRefused, match="system administrator role"):
            services.save_staff_account(coordinator, by=sysadmin, changed_fields=["is_superuser"])
        coordinator.refresh_from_db()
        assert not coordinator.is_superuser

    def test_the_admin_form_does_not_offer_flags_groups_or_permissions(self, admin_client, coordinator):
        body = admin_client.get(change_url(coordinator)).content.decode()
        for name in ("is_staff", "is_superuser", "groups", "user_permissions"):
            assert f'name="{name}"' not in body
        # Posting them anyway changes nothing.
        admin_client.post(
            change_url(coordinator), change_form_data(coordinator, is_superuser="on", is_staff="on")
        )
        coordinator.refresh_from_db()
        assert not coordinator.is_staff and not coordinator.is_superuser

    def test_no_deleting_accounts_roles_or_memberships(self, admin_client, coordinator):
        assert (
            admin_client.get(reverse("admin:accounts_user_delete", args=[coordinator.pk])).status_code == 403
        )
        changelist = admin_client.get(reverse("admin:accounts_user_changelist")).content.decode()
        assert "delete_selected" not in changelist
        assert admin_client.get(reverse("admin:accounts_role_add")).status_code == 403
        assert "memberships-0-DELETE" not in admin_client.get(change_url(coordinator)).content.decode()
        assert admin_client.get("/admin/auth/group/").status_code == 404


@pytest.mark.django_db
class TestAudit:
    def test_giving_a_role_and_a_team_in_the_admin_is_audited(self, admin_client, sysadmin, other_team):
        account = make_staff(roles=[], username="new.worker")
        data = change_form_data(
            account,
            roles=[role(RoleCode.CARE_COORDINATOR).pk],
            new_membership={"team": other_team.pk, "started_on": "2026-01-05"},
            job_title="Community nurse",
        )
        response = admin_client.post(change_url(account), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        membership = Membership.objects.get(user=account)
        rows = {(e.record_type, e.action): e for e in account_events(user=sysadmin)}
        assert rows["staff_account", "update"].fields_changed == ["job_title"]
        assert rows["staff_account", "update"].record_id == str(account.pk)
        assert rows["staff_role", "grant"].fields_changed == [RoleCode.CARE_COORDINATOR]
        assert rows["staff_role", "grant"].record_id == str(account.pk)
        assert rows["team_membership", "create"].record_id == str(membership.pk)
        assert "team" in rows["team_membership", "create"].fields_changed
        assert {e.basis for e in rows.values()} == {"none"}

    def test_ending_a_membership_and_removing_a_role_are_audited(self, admin_client, sysadmin, coordinator):
        membership = coordinator.memberships.get()
        membership.ended_on = None
        data = change_form_data(coordinator, roles=[], memberships=[membership])
        data["memberships-0-ended_on"] = "2099-01-01"
        assert admin_client.post(change_url(coordinator), data).status_code == 302
        assert account_events(record_type="team_membership", action="update").get().fields_changed == [
            "ended_on"
        ]
        revoke = account_events(record_type="staff_role", action="revoke").get()
        assert revoke.fields_changed == [RoleCode.CARE_COORDINATOR]
        assert not coordinator.roles.exists()

    def test_creating_an_account_and_setting_a_password_record_names_never_passwords(
        self, admin_client, sysadmin
    ):
        response = admin_client.post(
            reverse("admin:accounts_user_add"),
            {
                "username": "kim.nurse",
                "usable_password": "true",
                "password1": "a-Long-pass-phrase-9",
                "password2": "a-Long-pass-phrase-9",
                "memberships-TOTAL_FORMS": "0",
                "memberships-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 302
        account = User.objects.get(username="kim.nurse")
        created = account_events(record_type="staff_account", action="create").get()
        assert created.record_id == str(account.pk) and created.fields_changed == ["password", "username"]
        response = admin_client.post(
            reverse("admin:auth_user_password_change", args=[account.pk]),
            {
                "usable_password": "true",
                "password1": "another-Long-phrase-7",
                "password2": "another-Long-phrase-7",
            },
        )
        assert response.status_code == 302
        changed = account_events(record_type="staff_account", action="update").get()
        assert changed.fields_changed == ["password"] and changed.user == sysadmin
        account.refresh_from_db()
        stored = " ".join(
            str(v) for v in AuditEvent.objects.values_list("fields_changed", "record_id", "path")
        )
        assert "phrase" not in stored and account.password not in stored

    def test_import_is_audited_and_cannot_give_two_person_roles(self, team):
        import io

        csv_text = "name,email,roles,team\nKim Nurse,kim@example.nhs.uk,care coordinator,North CMHT\n"
        csv_text += "Pat Sneaky,pat@example.nhs.uk,privacy officer,North CMHT\n"
        result = services.import_staff_csv(io.StringIO(csv_text))
        assert result.created == ["kim"]
        assert "second administrator" in result.errors[0]
        kim = User.objects.get(username="kim")
        kinds = {(e.record_type, e.action) for e in account_events(user=None)}
        assert kinds == {("staff_account", "create"), ("staff_role", "grant"), ("team_membership", "create")}
        assert account_events(record_type="staff_role").get().record_id == str(kim.pk)


@pytest.mark.django_db
class TestTwoPersonGrants:
    def test_privacy_officer_role_waits_for_a_second_administrator(self, admin_client, sysadmin, coordinator):
        data = change_form_data(coordinator, roles=[role(RoleCode.CARE_COORDINATOR).pk, role(PO).pk])
        response = admin_client.post(change_url(coordinator), data, follow=True)
        assert "waiting for a second system administrator" in response.content.decode()
        assert not coordinator.has_role(PO)
        grant = RoleGrantRequest.objects.get()
        assert (grant.account, grant.role.code, grant.requested_by, grant.status) == (
            coordinator,
            PO,
            sysadmin,
            "pending",
        )
        assert account_events(record_type="staff_role_request", action="create").get().record_id == str(
            grant.pk
        )
        # The role is not active: the privacy pages still answer 404.
        other = Client()
        other.force_login(coordinator)
        assert other.get(reverse("audit:account_changes")).status_code == 404
        page = admin_client.get(change_url(coordinator)).content.decode()
        assert "Privacy officer (asked for by Sid Admin)" in page
        assert (
            "Privacy officer"
            in admin_client.get(reverse("admin:accounts_rolegrantrequest_changelist")).content.decode()
        )
        # Saving the form again does not ask twice.
        admin_client.post(change_url(coordinator), data)
        assert RoleGrantRequest.objects.count() == 1

    def test_the_one_who_asked_cannot_approve(self, sysadmin, coordinator):
        [grant] = services.change_roles(coordinator, roles=[role(PO)], by=sysadmin)
        with pytest.raises(services.AccountChangeRefused, match="second system administrator"):
            services.approve_role_grant(grant, by=sysadmin)
        grant.refresh_from_db()
        assert grant.status == "pending" and not User.objects.get(pk=coordinator.pk).has_role(PO)

    def test_the_account_holder_cannot_approve_their_own_grant(self, sysadmin, second_admin):
        [grant] = services.change_roles(second_admin, roles=[role(SA), role(PO)], by=sysadmin)
        with pytest.raises(services.AccountChangeRefused, match="for yourself"):
            services.approve_role_grant(grant, by=second_admin)

    def test_someone_who_is_not_an_administrator_cannot_approve(self, sysadmin, coordinator, privacy_officer):
        [grant] = services.change_roles(coordinator, roles=[role(PO)], by=sysadmin)
        with pytest.raises(services.AccountChangeRefused, match="Only a system administrator"):
            services.approve_role_grant(grant, by=privacy_officer)

    def test_a_second_administrator_approves_in_the_admin(self, client, sysadmin, second_admin, coordinator):
        [grant] = services.change_roles(
            coordinator, roles=[role(RoleCode.CARE_COORDINATOR), role(PO)], by=sysadmin
        )
        client.force_login(second_admin)
        response = client.post(
            reverse("admin:accounts_rolegrantrequest_changelist"),
            {"action": "approve", "_selected_action": [grant.pk]},
            follow=True,
        )
        assert "Approved Privacy officer" in response.content.decode()
        grant.refresh_from_db()
        assert (grant.status, grant.decided_by) == ("approved", second_admin) and grant.decided_at
        assert User.objects.get(pk=coordinator.pk).has_role(PO)
        approve = account_events(record_type="staff_role_request", action="approve").get()
        assert approve.user == second_admin and approve.record_id == str(grant.pk)
        assert account_events(
            record_type="staff_role", action="grant", user=second_admin
        ).get().fields_changed == [PO]

    def test_approving_a_system_administrator_gives_admin_access_and_removing_takes_it(
        self, sysadmin, second_admin, coordinator
    ):
        [grant] = services.change_roles(
            coordinator, roles=[role(RoleCode.CARE_COORDINATOR), role(SA)], by=sysadmin
        )
        coordinator.refresh_from_db()
        assert not coordinator.is_staff
        services.approve_role_grant(grant, by=second_admin)
        coordinator.refresh_from_db()
        assert coordinator.is_staff and coordinator.is_superuser
        services.change_roles(coordinator, roles=[role(RoleCode.CARE_COORDINATOR)], by=sysadmin)
        coordinator.refresh_from_db()
        assert not coordinator.is_staff and not coordinator.is_superuser
        flags = account_events(record_type="staff_account", fields_changed=["is_staff", "is_superuser"])
        assert flags.count() == 2

    def test_refused_grant_gives_nothing_and_cannot_then_be_approved(
        self, sysadmin, second_admin, coordinator
    ):
        [grant] = services.change_roles(coordinator, roles=[role(PO)], by=sysadmin)
        services.refuse_role_grant(grant, by=sysadmin)  # withdrawn by the one who asked
        with pytest.raises(services.AccountChangeRefused, match="already been decided"):
            services.approve_role_grant(grant, by=second_admin)
        assert not User.objects.get(pk=coordinator.pk).has_role(PO)
        assert account_events(record_type="staff_role_request", action="refuse").count() == 1

    def test_the_database_refuses_an_approval_by_the_one_who_asked(self, sysadmin, coordinator):
        from django.db import IntegrityError, transaction

        [grant] = services.change_roles(coordinator, roles=[role(PO)], by=sysadmin)
        with pytest.raises(IntegrityError), transaction.atomic():
            RoleGrantRequest.objects.filter(pk=grant.pk).update(status="approved", decided_by=sysadmin)


def signed_in_client(user):
    other = Client()
    other.force_login(user)
    return other


def sessions_of(user):
    return [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)]


@pytest.mark.django_db
class TestEndSessions:
    def test_the_admin_action_ends_every_session_of_the_user_and_is_audited(
        self, admin_client, sysadmin, coordinator, outsider
    ):
        coordinator_browser = signed_in_client(coordinator)
        signed_in_client(coordinator)
        signed_in_client(outsider)
        assert coordinator_browser.get(reverse("patients:search")).status_code == 200
        response = admin_client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "end_sessions", "_selected_action": [coordinator.pk]},
            follow=True,
        )
        assert "Ended 2 session(s) of cc.north" in response.content.decode()
        assert sessions_of(coordinator) == [] and len(sessions_of(outsider)) == 1
        assert coordinator_browser.get(reverse("patients:search")).status_code == 302  # to sign in
        event = account_events(action="end_sessions").get()
        assert (event.user, event.record_type, event.record_id) == (
            sysadmin,
            "staff_account",
            str(coordinator.pk),
        )

    def test_disabling_an_account_ends_its_sessions_and_re_enabling_does_not_revive_them(
        self, admin_client, coordinator
    ):
        browser = signed_in_client(coordinator)
        membership = coordinator.memberships.get()
        data = change_form_data(coordinator, memberships=[membership])
        del data["is_active"]
        assert admin_client.post(change_url(coordinator), data).status_code == 302
        assert sessions_of(coordinator) == []
        assert account_events(record_type="staff_account", action="update").get().fields_changed == [
            "is_active"
        ]
        coordinator.refresh_from_db()
        admin_client.post(
            change_url(coordinator), change_form_data(coordinator, memberships=[membership], is_active="on")
        )
        coordinator.refresh_from_db()
        assert coordinator.is_active
        assert browser.get(reverse("patients:search")).status_code == 302  # the old session is gone
        assert account_events(action="end_sessions").count() == 2

    def test_end_sessions_leaves_other_users_alone(self, sysadmin, coordinator, outsider):
        signed_in_client(outsider)
        assert services.end_sessions(coordinator, by=sysadmin) == 0
        assert len(sessions_of(outsider)) == 1
