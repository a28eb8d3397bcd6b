"""Pages: access (404 without a relationship) and audit, bad input beside the field, the banner,
the depot clinic (fixed queries), the team figure (fixed queries), the worklist items."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.medicines import worklist
from waypoint.medicines.factories import (
    AdministrationFactory,
    AllergyFactory,
    CheckFactory,
    DepotFactory,
    FlagFactory,
    MeasurementFactory,
    MedicineFactory,
)
from waypoint.medicines.models import DepotAdministration, Medicine, PhysicalHealthCheck
from waypoint.patients.factories import PersonFactory, TeamRegistrationFactory
from waypoint.worklist.registry import due_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def day_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def test_medicines_tab_needs_a_relationship_and_is_audited(client, outsider, person, coordinator):
    MedicineFactory(person=person, recorded_by=coordinator, name="Aripiprazole")
    url = reverse("patients:record_medicines", args=[person.pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(person=person).exists()
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert "Aripiprazole" in page and "Allergies not recorded" in page
    assert AuditEvent.objects.filter(person=person, action=Action.VIEW, user=coordinator).exists()


def test_banner_shows_allergies_on_every_record_page(coordinator_client, person, coordinator):
    detail = reverse("patients:detail", args=[person.pk])
    assert "Allergies not recorded" in coordinator_client.get(detail).content.decode()
    AllergyFactory(person=person, recorded_by=coordinator, substance="Penicillin", reaction="Rash")
    page = coordinator_client.get(reverse("tasks:person_tasks", args=[person.pk])).content.decode()
    assert "Penicillin (Rash, moderate)" in page


def test_add_medicine_bad_input_beside_the_field_and_typed_values_kept(coordinator_client, person):
    url = reverse("medicines:add_medicine", args=[person.pk])
    response = coordinator_client.post(
        url,
        {
            "name": "Keep this name",
            "dose": "10",
            "dose_unit": "",
            "route": "By mouth",
            "frequency": "Daily",
            **day_fields("started_on", TODAY + timedelta(days=3)),
            "prescriber": "Dr X",
            "prescribed_by": "gp",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    assert "Enter the unit of the dose, for example mg" in page
    assert "Start date must be today or in the past" in page
    assert 'value="Keep this name"' in page
    assert not Medicine.objects.exists()


def test_add_and_stop_medicine(coordinator_client, person):
    url = reverse("medicines:add_medicine", args=[person.pk])
    response = coordinator_client.post(
        url,
        {
            "name": "Olanzapine",
            "dose": "10",
            "dose_unit": "mg",
            "route": "By mouth",
            "frequency": "At night",
            **day_fields("started_on", TODAY),
            "prescriber": "Dr X",
            "prescribed_by": "trust",
            "is_antipsychotic": "on",
        },
    )
    assert response.status_code == 302
    medicine = Medicine.objects.get()
    assert medicine.is_antipsychotic
    items = due_for([person.pk], TODAY)[person.pk]
    assert any(i.kind == worklist.MONITORING and "Baseline" in i.what for i in items)
    response = coordinator_client.post(
        reverse("medicines:stop_medicine", args=[person.pk, medicine.pk]),
        {
            "version": medicine.version,
            **day_fields("stopped_on", TODAY),
            "reason": "Side effects (synthetic)",
        },
    )
    assert response.status_code == 302
    medicine.refresh_from_db()
    assert medicine.stopped_on == TODAY


def test_record_injection_expired_batch_refused_beside_the_field(
    coordinator_client, person, team, coordinator
):
    depot = DepotFactory(person=person, team=team, recorded_by=coordinator)
    url = reverse("medicines:give", args=[person.pk, depot.pk])
    page = coordinator_client.get(url).content.decode()
    assert "Suggested site: Deltoid, left" in page
    assert 'value="100"' in page  # the prescribed dose, typed as a person would
    now = timezone.localtime() - timedelta(minutes=1)
    post = {
        **day_fields("given_on", now.date()),
        "given_at": now.strftime("%H:%M"),
        "dose": "100",
        "dose_unit": "mg",
        "site": "deltoid",
        "side": "left",
        "batch_number": "KEEP-ME",
        **day_fields("batch_expiry", now.date() - timedelta(days=1)),
        "consent": "on",
        "side_effects": "None reported",
    }
    response = coordinator_client.post(url, post)
    page = response.content.decode()
    assert response.status_code == 200 and "do not give it" in page and 'value="KEEP-ME"' in page
    assert not DepotAdministration.objects.exists()
    post.update(day_fields("batch_expiry", now.date() + timedelta(days=90)))
    response = coordinator_client.post(url, post)
    assert response.status_code == 302
    given = DepotAdministration.objects.get()
    assert AuditEvent.objects.filter(
        record_type=RecordType.DEPOT_ADMINISTRATION, action=Action.CREATE, record_id=str(given.pk)
    ).exists()
    detail = coordinator_client.get(
        reverse("medicines:administration", args=[person.pk, given.pk])
    ).content.decode()
    assert "cannot be changed" in detail


def test_missed_dose_needs_a_follow_up(coordinator_client, person, team):
    depot = DepotFactory(person=person, team=team)
    url = reverse("medicines:not_given", args=[person.pk, depot.pk])
    response = coordinator_client.post(
        url, {"outcome": "refused", **day_fields("on", TODAY), "at": "09:00", "follow_up": ""}
    )
    assert "Enter the follow-up taken" in response.content.decode()
    response = coordinator_client.post(
        url, {"outcome": "refused", **day_fields("on", TODAY), "at": "00:01", "follow_up": "Rebooked"}
    )
    assert response.status_code == 302
    assert DepotAdministration.objects.get().outcome == "refused"


def test_depot_clinic_lists_due_and_overdue_with_fixed_queries(
    coordinator_client, coordinator, team, django_assert_max_num_queries
):
    def build(count):
        for index in range(count):
            person = PersonFactory()
            TeamRegistrationFactory(person=person, team=team)
            depot = DepotFactory(person=person, team=team, interval_days=14)
            AdministrationFactory(prescription=depot, at=timezone.now() - timedelta(days=14 + index * 6))

    build(2)
    url = reverse("medicines:depot_clinic")
    coordinator_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        page = coordinator_client.get(url)
    build(6)
    with django_assert_max_num_queries(len(few)):
        page = coordinator_client.get(url)
    text = page.content.decode()
    assert "Overdue (" in text and "Late: " in text
    assert AuditEvent.objects.filter(record_type=RecordType.DEPOT_CLINIC, user=coordinator).exists()


def test_team_figure_share_with_all_six_checks_fixed_queries(
    coordinator_client, team, django_assert_max_num_queries
):
    def person_with(elements):
        person = PersonFactory()
        TeamRegistrationFactory(person=person, team=team)
        check = CheckFactory(person=person)
        for element in elements:
            MeasurementFactory(check_record=check, element=element)
        return person

    six = ["alcohol", "smoking", "bmi", "blood_pressure", "hba1c", "total_cholesterol"]
    person_with(six)
    person_with(six[:3])
    url = reverse("medicines:team_figures")
    coordinator_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        coordinator_client.get(url)
    for _ in range(5):
        person_with(six[:2])
    with django_assert_max_num_queries(len(few)):
        page = coordinator_client.get(url).content.decode()
    assert "1 of 7 people" in page


def test_physical_health_check_bad_input_and_flags(coordinator_client, person):
    url = reverse("medicines:new_check", args=[person.pk])
    base = {**day_fields("checked_on", TODAY)}
    for element in (
        "alcohol",
        "smoking",
        "weight",
        "height",
        "bmi",
        "blood_pressure",
        "hba1c",
        "fasting_glucose",
        "total_cholesterol",
        "waist",
        "pulse",
        "qrisk",
        "ecg",
    ):
        base[f"{element}_source"] = "here"
    response = coordinator_client.post(
        url,
        {
            **base,
            "blood_pressure_value": "1200",
            "blood_pressure_value_2": "80",
            "weight_value": "81.5",
            **day_fields("pulse_on", TODAY + timedelta(days=2)),
            "pulse_value": "70",
        },
    )
    page = response.content.decode()
    assert "Systolic must be between 50 and 300" in page
    assert "Date measured must be today or in the past" in page
    assert 'value="1200"' in page and 'value="81.5"' in page
    assert not PhysicalHealthCheck.objects.exists()
    response = coordinator_client.post(
        url, {**base, "blood_pressure_value": "150", "blood_pressure_value_2": "85", "smoking_text": "smoker"}
    )
    assert response.status_code == 302
    check = PhysicalHealthCheck.objects.get()
    assert set(check.flags.values_list("element", flat=True)) == {"blood_pressure", "smoking"}
    items = [i for i in due_for([person.pk], TODAY)[person.pk] if i.kind == worklist.FLAG_UNACTIONED]
    assert len(items) == 2
    flag = check.flags.get(element="smoking")
    response = coordinator_client.post(
        reverse("medicines:flag_action", args=[person.pk, check.pk, flag.pk]),
        {"intervention": "stop_smoking"},
    )
    assert response.status_code == 302
    items = [i for i in due_for([person.pk], TODAY)[person.pk] if i.kind == worklist.FLAG_UNACTIONED]
    assert len(items) == 1  # the blood pressure flag stays until it has an action
    page = coordinator_client.get(reverse("medicines:check", args=[person.pk, check.pk])).content.decode()
    assert "No action recorded" in page and "Referred to stop smoking service" in page


def test_check_entered_in_error_keeps_the_original(coordinator_client, person, coordinator):
    check = CheckFactory(person=person, recorded_by=coordinator)
    FlagFactory(check_record=check)
    url = reverse("medicines:check_entered_in_error", args=[person.pk, check.pk])
    assert coordinator_client.post(url, {"reason": ""}).status_code == 200
    assert coordinator_client.post(url, {"reason": "Wrong person (synthetic)"}).status_code == 302
    assert PhysicalHealthCheck.objects.filter(pk=check.pk).exists()
    assert not [i for i in due_for([person.pk], TODAY)[person.pk] if i.kind == worklist.FLAG_UNACTIONED]


def test_depot_worklist_late_and_escalated(person, team, settings):
    depot = DepotFactory(person=person, team=team, interval_days=28, tolerance_days=3)
    AdministrationFactory(prescription=depot, at=timezone.now() - timedelta(days=28 + 10))
    kinds = {i.kind: i for i in due_for([person.pk], TODAY)[person.pk]}
    assert "late" in kinds[worklist.DEPOT_DUE].what
    assert "Care coordinator" in kinds[worklist.DEPOT_ESCALATED].what
    settings.WAYPOINT_DEPOT_ESCALATE_AFTER_DAYS = 14
    assert worklist.DEPOT_ESCALATED not in {i.kind for i in due_for([person.pk], TODAY)[person.pk]}


def test_providers_use_fixed_queries(team, django_assert_max_num_queries):
    def build(count):
        ids = []
        for _ in range(count):
            person = PersonFactory()
            depot = DepotFactory(person=person, team=team)
            AdministrationFactory(prescription=depot, at=timezone.now() - timedelta(days=40))
            MedicineFactory(person=person, is_antipsychotic=True)
            FlagFactory(check_record=CheckFactory(person=person))
            ids.append(person.pk)
        return ids

    from waypoint.core.memo import request_scope
    from waypoint.medicines import worklist as w

    providers = (w.depot_items, w.depot_escalations, w.check_items, w.flag_items, w.monitoring_items)
    many = build(7)
    # One shared read of who has what, then one read each (depots, antipsychotics, check dates,
    # the six checks' dates, open flags), however many people: 6 queries for all five providers.
    with django_assert_max_num_queries(6), request_scope():
        items = [item for provider in providers for item in provider(many, TODAY)]
    assert {item.person_id for item in items} == set(many)


def test_import_medicines_command(tmp_path):
    from django.core.management import call_command

    from waypoint.medicines.models import MedicineReference

    call_command("import_medicines", "--demo")
    olanzapine = MedicineReference.objects.get(name__startswith="Olanzapine embonate")
    assert olanzapine.synthetic and olanzapine.post_injection_observation_minutes == 180
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,observation_minutes\n1,Thing,lots\n")
    with pytest.raises(Exception, match="Nothing was imported"):
        call_command("import_medicines", str(bad))


def test_trends_page_draws_charts_with_data_tables(coordinator_client, person, coordinator):
    check = CheckFactory(person=person, recorded_by=coordinator)
    MeasurementFactory(check_record=check, element="bmi", value="27.5")
    MeasurementFactory(check_record=check, element="blood_pressure", value="150", value_2="95")
    page = coordinator_client.get(reverse("medicines:trends", args=[person.pk])).content.decode()
    assert "<svg" in page and "Red zone from 25" in page and "Systolic above 140" in page
    assert "27.5" in page and "<table" in page
    assert AuditEvent.objects.filter(
        person=person, record_type=RecordType.PHYSICAL_HEALTH_CHECK, action=Action.VIEW
    ).exists()
