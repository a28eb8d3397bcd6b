"""Each role lands on its own work (issue 18, item 11)."""

import pytest
from django.urls import reverse

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "url_name"),
    [
        (RoleCode.TEAM_MANAGER, "worklist:team"),
        (RoleCode.CARE_COORDINATOR, "worklist:my_caseload"),
        (RoleCode.SUPPORT_WORKER, "tasks:mine"),
        (RoleCode.STUDENT, "tasks:mine"),
        (RoleCode.PRIVACY_OFFICER, "access:break_glass_list"),
        (RoleCode.SYSTEM_ADMINISTRATOR, "admin:index"),
        (RoleCode.RECORDS_OFFICER, "patients:search"),
    ],
)
def test_each_role_lands_on_its_own_work(client, team, role, url_name):
    client.force_login(make_staff(team=team, roles=[role], username=f"home.{role}"))
    assert client.get("/")["Location"] == reverse(url_name)
