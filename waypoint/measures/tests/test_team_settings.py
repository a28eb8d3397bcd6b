"""A team's care approach (the wording "care coordinator" or "keyworker", and new episodes' care
approach) and its outcome measure worklist windows: set by the team manager, audited, read from
the cache (no query on a page)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.accounts.permissions import PermissionRefused
from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.episodes.factories import EpisodeFactory
from waypoint.episodes.models import CareApproach
from waypoint.measures import team_settings, worklist
from waypoint.measures.tests.test_worklist import seen
from waypoint.reviews.factories import ReviewFactory
from waypoint.worklist.registry import Severity

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
URL = reverse("measures:team_settings")


@pytest.fixture
def manager(team):
    return make_staff(team=team, roles=[RoleCode.TEAM_MANAGER], username="manager.north", first_name="Mo")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def post(client, version=0, **values):
    data = {
        "care_approach": "keyworker",
        "baseline_within_days": "28",
        "review_lookback_days": "21",
        "show_days_before": "7",
        "version": str(version),
    }
    data.update(values)
    return client.post(URL, data)


def keyworker(team, manager, **values):
    fields = {
        "care_approach": "keyworker",
        "baseline_within_days": 42,
        "review_lookback_days": 28,
        "show_days_before": 14,
    } | values
    current = team_settings.for_team(team)
    return team_settings.save(
        by=Actor(user=manager, basis="team"), team=team, version=current.version, **fields
    )


def test_the_manager_sets_them_and_it_is_audited(manager_client, team):
    page = manager_client.get(URL).content.decode()
    assert "Care Programme Approach" in page and "Community Mental Health Framework" in page
    response = post(manager_client)
    assert response.status_code == 302
    chosen = team_settings.for_team(team)
    assert chosen.care_approach == "keyworker" and chosen.baseline_within_days == 28
    assert chosen.review_lookback_days == 21 and chosen.show_days_before == 7 and chosen.version == 1
    assert AuditEvent.objects.filter(
        record_type=RecordType.TEAM_MEASURE_SETTINGS, action=Action.CREATE, record_id=str(team.pk)
    ).exists()
    post(manager_client, version=1, care_approach="cpa")
    assert team_settings.for_team(team).care_approach == "cpa"
    assert AuditEvent.objects.filter(
        record_type=RecordType.TEAM_MEASURE_SETTINGS, action=Action.UPDATE, fields_changed=["care_approach"]
    ).exists()


def test_bad_input_is_beside_the_field_and_kept(manager_client, team):
    page = post(manager_client, baseline_within_days="0", show_days_before="lots").content.decode()
    assert "Enter at least 1 day" in page and "Enter a whole number of days, like 14" in page
    assert 'value="lots"' in page and team_settings.for_team(team).version == 0


def test_a_stale_form_is_refused(manager_client, team, manager):
    keyworker(team, manager)
    page = post(manager_client, version=0).content.decode()
    assert "Someone else changed these settings" in page


def test_only_a_team_manager_may(coordinator_client, team, coordinator):
    assert coordinator_client.get(URL).status_code == 403
    assert post(coordinator_client).status_code == 403
    with pytest.raises(PermissionRefused):
        team_settings.save(
            by=Actor(user=coordinator, basis="team"),
            team=team,
            version=0,
            care_approach="keyworker",
            baseline_within_days=42,
            review_lookback_days=28,
            show_days_before=14,
        )


def test_reading_them_costs_no_query(team, manager, django_assert_num_queries):
    keyworker(team, manager)
    team_settings.for_team(team)  # filled
    with django_assert_num_queries(0):
        assert team_settings.worker_word(team) == "keyworker"
        assert team_settings.worker_word(team.pk, capital=True) == "Keyworker"


def test_the_pages_say_keyworker_for_a_keyworker_episode(coordinator_client, coordinator, person, team):
    episode = EpisodeFactory(
        person=person, team=team, opened_by=coordinator, care_approach=CareApproach.KEYWORKER
    )
    page = coordinator_client.get(reverse("episodes:episode", args=[person.pk, episode.pk])).content.decode()
    assert "Allocate a keyworker" in page and "Allocate a care coordinator" not in page
    overview = coordinator_client.get(reverse("patients:detail", args=[person.pk])).content.decode()
    assert "Keyworker:" in overview
    cpa = EpisodeFactory(care_approach=CareApproach.CPA)
    assert cpa.worker_word == "care coordinator"


def test_the_team_worklist_and_new_episodes_follow_the_team(manager_client, manager, team, person):
    keyworker(team, manager)
    page = manager_client.get(reverse("worklist:team")).content.decode()
    assert "Each keyworker&#39;s caseload" in page or "Each keyworker's caseload" in page
    from waypoint.referrals.factories import ReferralFactory
    from waypoint.referrals.models import Status

    referral = ReferralFactory(
        team=team, person=person, status=Status.WAITING, decision="accept", urgency="routine"
    )
    form = manager_client.get(reverse("episodes:open_from_referral", args=[referral.pk])).content.decode()
    assert 'value="keyworker" checked' in form


def test_worklist_windows_are_the_teams(person, team, coordinator, manager):
    seen(person, team, coordinator, days_ago=30)  # default 42 days: due in 12 days, shown (14)
    [item] = list(worklist.baseline_not_done([person.pk], TODAY))
    assert item.severity is Severity.DUE_SOON
    keyworker(team, manager, baseline_within_days=28)  # due 2 days ago
    [item] = list(worklist.baseline_not_done([person.pk], TODAY))
    assert item.severity is Severity.OVERDUE
    assert item.due == timezone.localdate(timezone.now() - datetime.timedelta(days=30)) + datetime.timedelta(
        days=28
    )
    keyworker(team, manager, baseline_within_days=60, show_days_before=7)  # due in 30 days: not shown yet
    assert list(worklist.baseline_not_done([person.pk], TODAY)) == []


def test_review_windows_are_the_teams(person, team, coordinator, manager):
    from waypoint.measures.factories import MeasureFactory

    seen(person, team, coordinator, days_ago=3)
    ReviewFactory(
        person=person, team=team, scheduled_for=TODAY + datetime.timedelta(days=20), scheduled_by=coordinator
    )
    assert list(worklist.due_at_review([person.pk], TODAY)) == []  # 20 days away: not shown (14)
    keyworker(team, manager, show_days_before=30)
    [item] = list(worklist.due_at_review([person.pk], TODAY))
    assert item.kind == worklist.AT_REVIEW
    MeasureFactory(person=person, recorded_by=coordinator, completed_on=TODAY - datetime.timedelta(days=5))
    assert list(worklist.due_at_review([person.pk], TODAY)) == []  # within 28 days before
    keyworker(team, manager, show_days_before=30, review_lookback_days=7)
    [item] = list(worklist.due_at_review([person.pk], TODAY))  # 25 days before it: too early to count
