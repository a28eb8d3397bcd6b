"""Who sees a member of staff's workforce record: them, their line manager, their team manager
and a workforce administrator. A colleague in the same team with no line relationship: 404 on
every workforce URL. Every view is audited with the staff member as the subject."""

import pytest
from django.urls import reverse

from waypoint.access.tests.test_no_relationship_sweep import (
    _converters,
    id_taking_url_names,
    record_factories,
)
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import Role, RoleCode
from waypoint.audit.models import AuditEvent, Basis, RecordType

pytestmark = pytest.mark.django_db

WORKFORCE_URLS = [name for name in id_taking_url_names() if name.startswith("workforce:")]


def test_the_workforce_urls_are_found():
    assert "workforce:staff" in WORKFORCE_URLS and "workforce:supervision" in WORKFORCE_URLS
    assert len(WORKFORCE_URLS) >= 12


@pytest.mark.parametrize("url_name", WORKFORCE_URLS)
def test_colleague_without_a_line_relationship_gets_404(
    url_name, client, colleague, person, coordinator, team
):
    factories = record_factories(person, coordinator, team)
    url = reverse(url_name, kwargs={key: factories[key]() for key in _converters(url_name)})
    client.force_login(colleague)
    before = AuditEvent.objects.count()
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    assert response.status_code == 404, f"{url_name} ({url}) answered {response.status_code}"
    assert AuditEvent.objects.count() == before, "nothing is audited before the 404"


@pytest.mark.parametrize(
    "url_name",
    [
        "workforce:team",
        "workforce:matrix",
        "workforce:group_supervision",
        "workforce:courses",
        "workforce:course_new",
        "workforce:training_import",
    ],
)
def test_pages_without_ids_refuse_a_plain_colleague(url_name, client, colleague):
    client.force_login(colleague)
    assert client.get(reverse(url_name)).status_code == 404


def test_the_role_row_exists():
    assert Role.objects.filter(code=RoleCode.WORKFORCE_ADMINISTRATOR).exists()


@pytest.mark.parametrize(
    "who, basis",
    [
        ("coordinator", Basis.STAFF_SELF),
        ("line_manager", Basis.LINE_MANAGER),
        ("manager", Basis.TEAM_MANAGER),
        ("workforce_admin", Basis.WORKFORCE_ADMIN),
    ],
)
def test_who_may_see_and_the_audit_row(who, basis, request, client, coordinator):
    viewer = request.getfixturevalue(who)
    client.force_login(viewer)
    response = client.get(reverse("workforce:staff", args=[coordinator.pk]))
    assert response.status_code == 200
    assert "Workforce record" in response.content.decode()
    row = AuditEvent.objects.get(record_type=RecordType.STAFF_WORKFORCE)
    assert row.record_id == str(coordinator.pk)
    assert row.person is None and row.user == viewer and row.basis == basis and row.action == "view"


def test_team_manager_of_another_team_gets_404(client, coordinator, other_team):
    elsewhere = make_staff(team=other_team, roles=[RoleCode.TEAM_MANAGER], username="tm.south")
    client.force_login(elsewhere)
    assert client.get(reverse("workforce:staff", args=[coordinator.pk])).status_code == 404


def test_an_ended_line_management_gives_no_access(client, coordinator, line_manager):
    from django.utils import timezone

    from waypoint.workforce.models import LineManagement

    LineManagement.objects.filter(staff=coordinator).update(
        ended_on=timezone.localdate() - timezone.timedelta(days=1)
    )
    client.force_login(line_manager)
    assert client.get(reverse("workforce:staff", args=[coordinator.pk])).status_code == 404


def test_my_development_is_audited_as_mine(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("workforce:my_development")).status_code == 200
    row = AuditEvent.objects.get(record_type=RecordType.MY_DEVELOPMENT)
    assert row.record_id == str(coordinator.pk) and row.basis == Basis.STAFF_SELF
