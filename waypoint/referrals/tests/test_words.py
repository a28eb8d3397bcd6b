"""Issue 18, item 12 (words and forms) on the referral pages: a self-referral names no referrer,
no MHSDS code is shown to clinicians, the user's team is chosen for them, dates in the NHS style."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import Membership, RoleCode
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import Referral, Status

from .test_views import referral_post


@pytest.fixture
def intake_client(client, team):
    client.force_login(make_staff(team=team, roles=[RoleCode.RECORDS_OFFICER], username="admin.north"))
    return client


def _selected_team(body):
    select = re.search(r'<select[^>]*name="referral-team".*?</select>', body, re.S).group(0)
    return re.findall(r'<option value="(\d+)"[^>]*selected', select)


@pytest.mark.django_db
def test_a_self_referral_is_accepted_without_a_referrer_and_its_page_says_so(intake_client, team, person):
    url = reverse("referrals:new") + f"?nhs_number={person.nhs_number}"
    data = referral_post(team, **{"referral-source": "self", "referral-referrer_name": ""})
    assert intake_client.post(url, data).status_code == 302
    referral = Referral.objects.get()
    body = intake_client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "The person referred themselves" in body
    assert "Letter to the referrer" not in body  # there is no referrer to write to


@pytest.mark.django_db
def test_any_other_source_still_needs_the_referrers_name(intake_client, team, person):
    url = reverse("referrals:new") + f"?nhs_number={person.nhs_number}"
    body = intake_client.post(url, referral_post(team, **{"referral-referrer_name": ""})).content.decode()
    assert "Enter the referrer&#39;s name" in body or "Enter the referrer's name" in body
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_the_referral_page_shows_the_source_in_words_not_its_mhsds_code(coordinator_client, team, person):
    referral = ReferralFactory(team=team, person=person, source="gp")
    body = coordinator_client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "MHSDS" not in body
    assert referral.mhsds_source_code and f"({referral.mhsds_source_code})" not in body


@pytest.mark.django_db
def test_the_users_team_is_chosen_for_them(client, team, other_team, person):
    user = make_staff(team=team, roles=[RoleCode.RECORDS_OFFICER], username="admin.both")
    Membership.objects.filter(user=user, team=team).update(is_primary=False)
    Membership.objects.create(user=user, team=other_team, started_on=timezone.localdate(), is_primary=True)
    client.force_login(user)
    body = client.get(reverse("referrals:new"), {"nhs_number": person.nhs_number}).content.decode()
    assert _selected_team(body) == [str(other_team.pk)]


@pytest.mark.django_db
def test_the_waiting_list_writes_dates_in_the_nhs_style(coordinator_client, team, person):
    received = timezone.now() - datetime.timedelta(days=3)
    ReferralFactory(team=team, person=person, received_at=received, status=Status.WAITING, decision="accept")
    body = coordinator_client.get(reverse("referrals:waiting_list")).content.decode()
    assert timezone.localtime(received).strftime("%-d %b %Y") in body
    assert not re.search(r"\b\d{2}/\d{2}/\d{4}\b", body)
