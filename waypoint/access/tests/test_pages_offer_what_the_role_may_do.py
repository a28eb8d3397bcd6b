"""Pages offer only the actions the user's roles may take (the permission table), and a refusal
keeps what was typed (`PermissionRefusedMiddleware`)."""

import pytest
from django.urls import reverse

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.referrals.factories import ReferralFactory


def _as(client, team, role):
    client.force_login(make_staff(team=team, roles=[role], username=f"pages.{role}"))
    return client


@pytest.mark.django_db
def test_a_student_is_not_offered_the_risk_formulation_a_coordinator_is(client, person, team):
    url = reverse("risk:history", args=[person.pk])
    assert (
        "Write a risk formulation" in _as(client, team, RoleCode.CARE_COORDINATOR).get(url).content.decode()
    )
    assert "Write a risk formulation" not in _as(client, team, RoleCode.STUDENT).get(url).content.decode()


@pytest.mark.django_db
def test_the_records_officer_is_not_offered_triage(client, person, team, coordinator):
    referral = ReferralFactory(person=person, team=team, recorded_by=coordinator)
    url = reverse("referrals:detail", args=[referral.pk])
    assert "Triage this referral" in _as(client, team, RoleCode.TEAM_MANAGER).get(url).content.decode()
    assert "Triage this referral" not in _as(client, team, RoleCode.RECORDS_OFFICER).get(url).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [RoleCode.PRIVACY_OFFICER, RoleCode.SYSTEM_ADMINISTRATOR])
def test_the_privacy_officer_and_system_administrator_cannot_register_people(client, team, role):
    client = _as(client, team, role)
    assert "Register a new person" not in client.get(reverse("patients:search")).content.decode()
    response = client.post(reverse("patients:register"), {"given_name": "Ada", "family_name": "Testperson"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your role does not allow you to register a person." in page
    assert "Testperson" in page  # what was typed is shown back, so nothing is lost


@pytest.mark.django_db
def test_a_student_writing_the_risk_formulation_is_refused_with_the_text_kept(client, person, team):
    response = _as(client, team, RoleCode.STUDENT).post(
        reverse("risk:write", args=[person.pk]), {"current_concerns": "Line one\nLine two (synthetic)"}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your role does not allow you to write the risk formulation." in page
    assert "Line one\nLine two (synthetic)" in page
    assert "Go back" in page
