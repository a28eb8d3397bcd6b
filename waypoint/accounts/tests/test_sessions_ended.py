"""Ending a user's sessions, and disabling an account, end its sessions for good."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from waypoint.accounts.factories import UserFactory
from waypoint.accounts.middleware import SESSION_GENERATION
from waypoint.accounts.services import end_sessions
from waypoint.audit.models import AuditEvent

PASSWORD = "test-password-123"
SEARCH = reverse("patients:search")


@pytest.fixture
def staff(team):
    return UserFactory(username="sam.staff", team=team)


@pytest.fixture
def signed_in(client, staff):
    client.post(reverse("accounts:sign_in"), {"username": "sam.staff", "password": PASSWORD})
    assert client.get(SEARCH).status_code == 200
    return client


@pytest.mark.django_db
class TestDisabledThenReEnabled:
    def test_the_old_session_no_longer_works(self, signed_in, staff):
        staff.is_active = False
        staff.save()
        assert signed_in.get(SEARCH).status_code == 302
        staff.is_active = True
        staff.save()
        response = signed_in.get(SEARCH)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign_in"))
        assert signed_in.session.get(SESSION_KEY) is None

    def test_also_when_saved_with_update_fields(self, signed_in, staff):
        staff.is_active = False
        staff.save(update_fields=["is_active"])
        staff.is_active = True
        staff.save(update_fields=["is_active"])
        assert signed_in.get(SEARCH).status_code == 302

    def test_saving_an_active_account_changes_nothing(self, signed_in, staff):
        staff.job_title = "Care coordinator"
        staff.save()
        assert signed_in.get(SEARCH).status_code == 200

    def test_signing_in_again_after_re_enabling_works(self, client, signed_in, staff):
        staff.is_active = False
        staff.save()
        staff.is_active = True
        staff.save()
        assert client.get(SEARCH).status_code == 302  # the old session ends here
        client.post(reverse("accounts:sign_in"), {"username": "sam.staff", "password": PASSWORD})
        assert client.get(SEARCH).status_code == 200
        assert client.session[SESSION_GENERATION] == 1


@pytest.mark.django_db
class TestEndSessions:
    def test_ends_the_session_and_is_audited(self, signed_in, staff, privacy_officer):
        end_sessions(staff, by=privacy_officer)
        response = signed_in.get(SEARCH, follow=True)
        assert response.redirect_chain[-1][0].startswith(reverse("accounts:sign_in"))
        row = AuditEvent.objects.get(action="end_sessions")
        assert (row.user, row.action, row.record_id) == (privacy_officer, "end_sessions", str(staff.pk))
        staff.refresh_from_db()
        assert staff.session_generation == 1

    def test_other_users_sessions_carry_on(self, signed_in, staff, team, privacy_officer):
        other = UserFactory(username="other.staff", team=team)
        end_sessions(other, by=privacy_officer)
        assert signed_in.get(SEARCH).status_code == 200

    def test_sign_in_records_the_generation(self, signed_in, staff):
        assert signed_in.session[SESSION_GENERATION] == 0
