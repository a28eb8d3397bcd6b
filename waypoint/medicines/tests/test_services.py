"""Services: next due, rotation, expired batch, read-only records (service and trigger), flags."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.medicines import flags, selectors, services
from waypoint.medicines.factories import AdministrationFactory, DepotFactory, MedicineFactory
from waypoint.medicines.models import (
    Allergy,
    AllergyKind,
    DepotAdministration,
    Element,
    HealthFlag,
    PhysicalHealthCheck,
    Source,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def by(coordinator):
    return Actor(coordinator, basis="team")


def _midday(day):
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _status(depot, today=TODAY):
    return selectors.depots_of(depot.person, today)[0]


def test_next_due_is_last_given_plus_interval_and_missed_does_not_move_it(person, team, by):
    depot = DepotFactory(person=person, team=team, interval_days=14, started_on=TODAY - timedelta(days=60))
    assert _status(depot).next_due == depot.started_on  # nothing given yet: the first dose date
    given_at = timezone.now() - timedelta(days=10)
    AdministrationFactory(prescription=depot, at=given_at)
    status = _status(depot)
    assert status.next_due == timezone.localdate(given_at) + timedelta(days=14)
    assert not status.late
    services.record_not_given(
        by=by, depot=depot, outcome="refused", at=timezone.now(), follow_up="Rebooked (synthetic)"
    )
    status = _status(depot)
    assert status.next_due == timezone.localdate(given_at) + timedelta(days=14)
    assert status.last_not_given == "refused"


def test_late_past_the_window_and_escalation_after_seven_days(person, team, settings):
    depot = DepotFactory(person=person, team=team, interval_days=28, tolerance_days=3)
    # Given at midday on a date counted from TODAY, so the test does not depend on the time it runs.
    given_on = TODAY - timedelta(days=28 + 5)
    AdministrationFactory(prescription=depot, at=_midday(given_on))
    status = _status(depot)
    assert status.late and status.days_late == 5 and not status.escalate
    settings.WAYPOINT_DEPOT_ESCALATE_AFTER_DAYS = 4
    assert _status(depot).escalate


def test_entered_in_error_dose_no_longer_counts(person, team, by):
    depot = DepotFactory(person=person, team=team, interval_days=28)
    first = AdministrationFactory(prescription=depot, at=timezone.now() - timedelta(days=40))
    wrong = AdministrationFactory(prescription=depot, at=timezone.now() - timedelta(days=2))
    services.administration_entered_in_error(by=by, administration=wrong, reason="Wrong person (synthetic)")
    assert _status(depot).last_given_on == timezone.localdate(first.at)
    with pytest.raises(services.AlreadyEnteredInError):
        services.administration_entered_in_error(by=by, administration=wrong, reason="Again")


def test_site_rotation_suggests_next_site_not_used_in_the_last_three(person, team):
    depot = DepotFactory(person=person, team=team)
    _, suggested = selectors.last_sites(depot)
    assert (suggested["site"], suggested["side"]) == ("deltoid", "left")
    for days, side in ((30, "left"), (2, "right")):
        AdministrationFactory(
            prescription=depot, site="deltoid", side=side, at=timezone.now() - timedelta(days=days)
        )
    last, suggested = selectors.last_sites(depot)
    assert [(a.site, a.side) for a in last] == [("deltoid", "right"), ("deltoid", "left")]
    assert (suggested["site"], suggested["side"]) == ("dorsogluteal", "left")


def test_expired_batch_refused_by_the_service(person, team, by):
    depot = DepotFactory(person=person, team=team)
    data = {
        "dose": Decimal("100"),
        "dose_unit": "mg",
        "site": "deltoid",
        "side": "left",
        "batch_number": "B1",
        "batch_expiry": TODAY - timedelta(days=1),
        "consent": True,
        "side_effects": "None",
    }
    with pytest.raises(services.ExpiredBatch):
        services.record_administration(by=by, depot=depot, at=timezone.now(), data=data)
    assert not DepotAdministration.objects.exists()


def test_olanzapine_embonate_observation_end_time(person, team, by):
    depot = DepotFactory(
        person=person, team=team, drug="Olanzapine embonate", post_injection_observation_minutes=180
    )
    at = timezone.now() - timedelta(minutes=5)
    data = {
        "dose": Decimal("210"),
        "dose_unit": "mg",
        "site": "dorsogluteal",
        "side": "left",
        "batch_number": "B1",
        "batch_expiry": TODAY + timedelta(days=30),
        "consent": True,
        "side_effects": "None",
    }
    given = services.record_administration(by=by, depot=depot, at=at, data=data)
    assert given.observation_ends_at == at + timedelta(hours=3)
    row = AuditEvent.objects.get(record_type=RecordType.DEPOT_ADMINISTRATION)
    assert row.action == Action.CREATE and "batch_expiry" in row.fields_changed


def test_recorded_administration_and_check_are_read_only_in_the_database(person, team, by):
    given = AdministrationFactory(prescription=DepotFactory(person=person, team=team))
    with pytest.raises(DatabaseError), transaction.atomic():
        DepotAdministration.objects.filter(pk=given.pk).update(dose=Decimal("1"))
    check = services.record_check(
        by=by,
        person=person,
        checked_on=TODAY,
        south_asian_or_chinese=False,
        values={
            Element.PULSE: {
                "value": Decimal("70"),
                "value_2": None,
                "text": "",
                "measured_on": TODAY,
                "source": Source.HERE,
            }
        },
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        PhysicalHealthCheck.objects.filter(pk=check.pk).update(comments="changed")


def _entry(value, value_2=None, text="", on=TODAY):
    return {"value": value, "value_2": value_2, "text": text, "measured_on": on, "source": Source.HERE}


@pytest.mark.parametrize(
    ("values", "south_asian", "expected"),
    [
        ({Element.BMI: _entry(Decimal("25"))}, False, [Element.BMI]),
        ({Element.BMI: _entry(Decimal("24.9"))}, False, []),
        ({Element.BMI: _entry(Decimal("23"))}, True, [Element.BMI]),
        ({Element.BLOOD_PRESSURE: _entry(Decimal("141"), Decimal("80"))}, False, [Element.BLOOD_PRESSURE]),
        ({Element.BLOOD_PRESSURE: _entry(Decimal("140"), Decimal("90"))}, False, []),
        ({Element.HBA1C: _entry(Decimal("42"))}, False, [Element.HBA1C]),
        ({Element.FASTING_GLUCOSE: _entry(Decimal("5.5"))}, False, [Element.FASTING_GLUCOSE]),
        ({Element.TOTAL_CHOLESTEROL: _entry(Decimal("6.0"))}, False, []),
        ({Element.TOTAL_CHOLESTEROL: _entry(Decimal("6.1"))}, False, [Element.TOTAL_CHOLESTEROL]),
        ({Element.QRISK: _entry(Decimal("20.5"))}, False, [Element.QRISK]),
        ({Element.SMOKING: _entry(None, text="smoker")}, False, [Element.SMOKING]),
        ({Element.SMOKING: _entry(None, text="ex")}, False, []),
    ],
)
def test_red_zone_thresholds(values, south_asian, expected):
    assert [element for element, _ in flags.flags_for(values, south_asian_or_chinese=south_asian)] == expected


def test_weight_gain_over_5_kg_in_3_months_is_flagged_and_bmi_worked_out(person, by):
    earlier = services.record_check(
        by=by,
        person=person,
        checked_on=TODAY - timedelta(days=60),
        south_asian_or_chinese=False,
        values={Element.WEIGHT: _entry(Decimal("70"), on=TODAY - timedelta(days=60))},
    )
    assert not earlier.flags.exists()
    check = services.record_check(
        by=by,
        person=person,
        checked_on=TODAY,
        south_asian_or_chinese=False,
        values={Element.WEIGHT: _entry(Decimal("75.5")), Element.HEIGHT: _entry(Decimal("180"))},
    )
    assert check.measurements.get(element=Element.BMI).value == Decimal("23.3")
    assert list(check.flags.values_list("element", flat=True)) == [Element.WEIGHT]


def test_no_known_allergies_only_when_recorded_and_ended_by_an_allergy(person, by):
    assert selectors.allergy_banner(person)["state"] == "not_recorded"
    services.record_no_known_allergies(by=by, person=person, recorded_on=TODAY)
    assert selectors.allergy_banner(person)["state"] == "none_known"
    services.record_allergy(
        by=by,
        person=person,
        data={
            "kind": AllergyKind.ALLERGY,
            "substance": "Penicillin",
            "reaction": "Rash",
            "severity": "mild",
            "recorded_on": TODAY,
        },
    )
    banner = selectors.allergy_banner(person)
    assert banner["state"] == "recorded" and [a.substance for a in banner["allergies"]] == ["Penicillin"]
    assert Allergy.objects.filter(
        kind=AllergyKind.NO_KNOWN_ALLERGIES, entered_in_error_at__isnull=False
    ).exists()
    with pytest.raises(services.AllergiesRecorded):
        services.record_no_known_allergies(by=by, person=person, recorded_on=TODAY)


def test_antipsychotic_monitoring_schedule(person):
    medicine = MedicineFactory(person=person, is_antipsychotic=True, started_on=date(2026, 1, 1))
    schedule = selectors.monitoring_schedule(medicine, [date(2025, 12, 20), date(2026, 3, 20)])
    assert schedule == [
        ("Baseline", date(2026, 1, 1), date(2025, 12, 20)),
        ("12-week", date(2026, 3, 26), date(2026, 3, 20)),
        ("Annual", date(2027, 1, 1), None),
    ]


def test_flag_action_is_appended_and_audited(person, by):
    check = services.record_check(
        by=by,
        person=person,
        checked_on=TODAY,
        south_asian_or_chinese=False,
        values={Element.SMOKING: _entry(None, text="smoker")},
    )
    flag = HealthFlag.objects.get(check_record=check)
    services.record_flag_action(by=by, flag=flag, intervention="stop_smoking", detail="Referred (synthetic)")
    assert not selectors.unactioned_flags_for([person.pk])


def test_the_services_refuse_roles_the_permission_table_does_not_allow(person, team):
    """Issue 18, item 2: checked in the services, not only by the views."""
    from waypoint.accounts.factories import make_staff
    from waypoint.accounts.models import RoleCode
    from waypoint.accounts.permissions import PermissionRefused

    support = Actor(
        make_staff(team=team, roles=[RoleCode.SUPPORT_WORKER], username="support.med"), basis="team"
    )
    with pytest.raises(PermissionRefused):
        services.record_no_known_allergies(by=support, person=person, recorded_on=TODAY)
    with pytest.raises(PermissionRefused):
        services.record_not_given(
            by=support,
            depot=DepotFactory(person=person, team=team),
            outcome="refused",
            at=timezone.now(),
            follow_up="",
        )
    assert not Allergy.objects.exists()
