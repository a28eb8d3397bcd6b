"""My visits today: only the worker's own visits, for people they may see; audited; the key."""

import json
from datetime import time

import pytest
from django.urls import reverse

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.contacts.factories import AppointmentFactory, ContactFactory
from waypoint.offline import device, selectors
from waypoint.patients.factories import PersonFactory, TeamRegistrationFactory

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _payload(response) -> dict:
    html = response.content.decode()
    start = html.index('<script type="application/json" id="visit-day-data">') + len(
        '<script type="application/json" id="visit-day-data">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_the_day_has_the_workers_visit_with_what_a_home_visit_needs(coordinator_client, visit, person):
    response = coordinator_client.get(reverse("offline:visit_day"))
    assert response.status_code == 200
    day = _payload(response)["day"]
    assert [v["appointment_id"] for v in day["visits"]] == [visit.pk]
    shown = day["visits"][0]
    assert shown["person"]["name"] == person.full_name
    assert shown["alerts"] == [{"category": "Staff safety", "summary": "Do not visit alone (synthetic)"}]
    assert any(line.startswith("Legal status:") for line in shown["banner"])
    assert any("llergies" in line for line in shown["banner"])
    assert {plan["kind"] for plan in shown["plans"]} == {"crisis", "safety"}
    crisis = next(plan for plan in shown["plans"] if plan["kind"] == "crisis")
    assert {"label": "Specific crisis actions", "text": "Ring the crisis team (synthetic)"} in crisis[
        "sections"
    ]
    assert shown["depot"]["drug"] == "Paliperidone palmitate"
    body = response.content.decode()
    assert "Do not visit alone (synthetic)" in body  # the server-rendered page, for no JavaScript
    assert "Ring the crisis team (synthetic)" in body


def test_only_the_workers_own_visits_today_are_sent(coordinator_client, coordinator, team, visit, person):
    colleague = make_staff(team=team, username="cc.colleague")
    someone_else = TeamRegistrationFactory(team=team, person=PersonFactory(family_name="Colleagues")).person
    AppointmentFactory(person=someone_else, team=team, booked_by=colleague, date=TODAY)  # not mine
    AppointmentFactory(
        person=person, team=team, booked_by=coordinator, date=TODAY.replace(day=26)
    )  # tomorrow
    response = coordinator_client.get(reverse("offline:visit_day"))
    body = response.content.decode()
    assert [v["appointment_id"] for v in _payload(response)["day"]["visits"]] == [visit.pk]
    assert someone_else.full_name not in body


def test_a_visit_for_a_person_without_a_relationship_is_absent(coordinator_client, visit, stranger_visit):
    response = coordinator_client.get(reverse("offline:visit_day"))
    body = response.content.decode()
    assert [v["appointment_id"] for v in _payload(response)["day"]["visits"]] == [visit.pk]
    assert stranger_visit.person.full_name not in body
    assert not AuditEvent.objects.filter(person=stranger_visit.person).exists()


def test_an_outsider_sees_none_of_it(outsider_client, visit, person):
    response = outsider_client.get(reverse("offline:visit_day"))
    assert response.status_code == 200
    assert _payload(response)["day"]["visits"] == []
    assert person.full_name not in response.content.decode()


def test_each_person_sent_is_audited_once_with_the_basis(coordinator_client, coordinator, visit, person):
    coordinator_client.get(reverse("offline:visit_day"))
    rows = list(AuditEvent.objects.filter(user=coordinator, record_type=RecordType.VISIT_DAY))
    assert [(r.person_id, r.record_id, r.action, r.basis) for r in rows] == [
        (person.pk, str(visit.pk), Action.VIEW, "team")
    ]
    assert rows[0].path == "/visits/"


def test_the_key_is_the_sessions_and_goes_with_it(coordinator_client, visit):
    first = _payload(coordinator_client.get(reverse("offline:visit_day")))["device"]
    again = _payload(coordinator_client.get(reverse("offline:visit_day")))["device"]
    assert first == again
    assert len(first["key"]) == 43  # 256 bits, base64url without padding
    assert coordinator_client.session[device.SESSION_KEY]["key"] == first["key"]
    response = coordinator_client.get(reverse("offline:visit_day"))
    assert response.cookies[device.MARKER_COOKIE].value == first["key_id"]
    assert response.cookies[device.MARKER_COOKIE]["path"] == "/visits/"
    assert not response.cookies[device.MARKER_COOKIE]["max-age"]  # a browser-session cookie

    signed_out = coordinator_client.post(reverse("accounts:sign_out"))
    assert signed_out["Clear-Site-Data"] == '"storage"'
    assert signed_out.cookies[device.MARKER_COOKIE].value == ""
    assert device.SESSION_KEY not in coordinator_client.session


def test_a_new_session_gets_a_new_key(client, coordinator, visit):
    client.force_login(coordinator)
    first = _payload(client.get(reverse("offline:visit_day")))["device"]
    client.logout()
    client.force_login(coordinator)
    second = _payload(client.get(reverse("offline:visit_day")))["device"]
    assert first["key"] != second["key"] and first["key_id"] != second["key_id"]


def test_the_key_expires_with_the_sessions_maximum_age(coordinator_client, settings, visit):
    settings.WAYPOINT_SESSION_MAX_HOURS = 12
    session = coordinator_client.session
    session["waypoint_signed_in_at"] = 1_000_000.0
    session["waypoint_last_seen_at"] = 4_000_000_000.0
    session.save()
    key = device.session_key(type("Request", (), {"session": coordinator_client.session})())
    assert key["expires_at"] == int((1_000_000 + 12 * 3600) * 1000)


def test_the_shell_has_no_patient_data(coordinator_client, visit, person):
    response = coordinator_client.get(reverse("offline:shell"))
    body = response.content.decode()
    assert response.status_code == 200
    assert person.full_name not in body and "visit-day-data" not in body
    assert not AuditEvent.objects.filter(person=person).exists()


def test_the_service_worker_is_served_from_the_scope_it_covers(coordinator_client):
    response = coordinator_client.get(reverse("offline:service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert reverse("offline:service_worker").startswith(reverse("offline:visit_day"))
    script = response.content.decode()
    assert '"/visits/offline/"' in script and "/static/offline/visits.js" in script


def test_the_content_security_policy_allows_the_worker_and_manifest(coordinator_client, visit):
    response = coordinator_client.get(reverse("offline:visit_day"))
    policy = response["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy
    assert 'rel="manifest"' in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_roles_that_do_not_visit_do_not_get_the_page(client, team):
    officer = make_staff(team=team, roles=[RoleCode.RECORDS_OFFICER], username="records.north")
    client.force_login(officer)
    assert client.get(reverse("offline:visit_day")).status_code == 404
    assert client.get(reverse("offline:shell")).status_code == 404


def test_a_recorded_visit_says_so(coordinator_client, coordinator, team, visit, person):
    ContactFactory(person=person, team=team, appointment=visit, date=TODAY, recorded_by=coordinator)
    shown = _payload(coordinator_client.get(reverse("offline:visit_day")))["day"]["visits"][0]
    assert shown["recorded"]["attendance"] == "Attended"


def test_the_query_count_does_not_grow_with_the_visits(coordinator, team, django_assert_max_num_queries):
    def build(count):
        for hour in range(count):
            someone = TeamRegistrationFactory(team=team).person
            AppointmentFactory(
                person=someone, team=team, booked_by=coordinator, date=TODAY, start_time=time(9 + hour)
            )

    def measure():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            visits = selectors.visits_today(coordinator, TODAY)
            selectors.visit_day(coordinator, visits, TODAY)
        return len(captured), len(visits)

    build(1)
    one, counted = measure()
    assert counted == 1
    build(4)
    five, counted = measure()
    assert counted == 5
    # The banner items (legal status, allergies, safeguarding) are a query each per person, as on
    # every record page; everything else is a fixed number of queries.
    from waypoint.patients import record_sections

    per_person = len(record_sections._banner_items)
    assert five - one <= 4 * per_person


def test_the_web_app_manifest_makes_it_installable():
    from django.contrib.staticfiles import finders

    manifest = json.loads(open(finders.find("offline/manifest.webmanifest"), encoding="utf-8").read())
    assert manifest["start_url"] == manifest["scope"] == reverse("offline:visit_day")
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        with open(finders.find(f"offline/{icon['src']}"), "rb") as image:
            assert image.read(8) == b"\x89PNG\r\n\x1a\n"
