"""The duty rota: a month of working days; only the team's manager changes it; everyone else reads it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.duty.factories import DutyShiftFactory
from waypoint.duty.models import DutyShift


def day_url(day, team=None):
    url = reverse("duty:rota_day", args=[day.isoformat()])
    return url + (f"?team={team.pk}" if team else "")


@pytest.mark.django_db
class TestRotaPages:
    def test_month_view_shows_working_days_only(self, coordinator_client, coordinator, team):
        DutyShiftFactory(team=team, worker=coordinator, date=datetime.date(2026, 12, 4))
        body = coordinator_client.get(reverse("duty:rota") + "?month=2026-12").content.decode()
        assert "<title>Duty rota – North CMHT – Waypoint</title>" in body
        assert "Duty rota: December 2026" in body
        assert "Fri 4 Dec" in body and "Sat 5 Dec" not in body and "Sun 6 Dec" not in body
        assert body.count('<th scope="row"') == 23
        assert "Casey Coordinator" in body
        assert "November 2026" in body and "January 2027" in body  # previous and next months

    def test_bad_month_shows_this_month(self, coordinator_client):
        assert (
            "Duty rota: November 2026"
            in coordinator_client.get(reverse("duty:rota") + "?month=2026-13").content.decode()
        )

    def test_manager_edits_a_day_and_everyone_sees_who_is_on_duty(
        self, manager_client, manager, coordinator, team, client
    ):
        today = timezone.localdate()
        page = manager_client.get(reverse("duty:rota")).content.decode()
        assert day_url(today, team) in page
        form = manager_client.get(day_url(today)).content.decode()
        assert "Casey Coordinator" in form and "Mo Manager" in form
        same = manager_client.post(
            day_url(today), {"duty_worker": coordinator.pk, "backup_worker": coordinator.pk}
        )
        assert "Choose a different person as back-up" in same.content.decode()
        assert "<title>Error: " in same.content.decode()
        response = manager_client.post(
            day_url(today), {"duty_worker": coordinator.pk, "backup_worker": manager.pk}
        )
        assert response.status_code == 302
        assert set(DutyShift.objects.values_list("role", "worker")) == {
            ("duty", coordinator.pk),
            ("backup", manager.pk),
        }
        client.force_login(coordinator)
        assert "Casey Coordinator" in client.get(reverse("duty:board")).content.decode()
        assert "Mo Manager" in client.get(reverse("duty:rota")).content.decode()

    def test_only_current_members_can_be_chosen(self, manager_client, outsider):
        today = timezone.localdate()
        body = manager_client.post(day_url(today), {"duty_worker": outsider.pk}).content.decode()
        assert "Choose a duty worker from the team&#39;s members" in body
        assert not DutyShift.objects.exists()

    def test_coordinator_reads_the_rota_but_cannot_edit(self, coordinator_client, team):
        today = timezone.localdate()
        body = coordinator_client.get(reverse("duty:rota")).content.decode()
        assert "Only the team manager changes the rota" in body
        assert reverse("duty:rota_day", args=[today.isoformat()]) not in body
        assert coordinator_client.get(day_url(today)).status_code == 404
        coordinator_posted = coordinator_client.post(day_url(today), {"duty_worker": ""})
        assert coordinator_posted.status_code == 404

    def test_manager_of_another_team_cannot_edit_or_see_this_teams_rota(
        self, client, team, other_team, coordinator
    ):
        client.force_login(make_staff(team=other_team, roles=[RoleCode.TEAM_MANAGER]))
        today = timezone.localdate()
        assert client.get(reverse("duty:rota") + f"?team={team.pk}").status_code == 404
        assert client.post(day_url(today, team), {"duty_worker": coordinator.pk}).status_code == 404
        assert not DutyShift.objects.exists()

    def test_weekends_and_bad_dates_are_not_on_the_rota(self, manager_client):
        assert manager_client.get(reverse("duty:rota_day", args=["2026-11-28"])).status_code == 404
        assert manager_client.get(reverse("duty:rota_day", args=["2026-02-30"])).status_code == 404
        assert manager_client.get(reverse("duty:rota_day", args=["soon"])).status_code == 404

    def test_backup_needs_a_duty_worker(self, manager_client, manager):
        body = manager_client.post(
            day_url(timezone.localdate()), {"backup_worker": manager.pk}
        ).content.decode()
        assert "Choose a duty worker as well as a back-up" in body

    def test_query_count_does_not_grow_with_shifts(
        self, coordinator_client, coordinator, team, django_assert_max_num_queries
    ):
        url = reverse("duty:rota") + "?month=2026-12"
        DutyShiftFactory(team=team, worker=coordinator, date=datetime.date(2026, 12, 1))
        with django_assert_max_num_queries(20) as baseline:
            coordinator_client.get(url)
        for day in range(2, 32):
            if datetime.date(2026, 12, day).weekday() < 5:
                DutyShiftFactory(team=team, worker=make_staff(team=team), date=datetime.date(2026, 12, day))
        with django_assert_max_num_queries(len(baseline.captured_queries)):
            coordinator_client.get(url)
