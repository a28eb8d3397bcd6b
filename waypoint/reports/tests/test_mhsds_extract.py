"""The MHSDS extract for a small Trust with known activity: every row and field checked by hand."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from waypoint.accounts.factories import TeamFactory, make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.contacts.factories import ContactFactory, IndirectActivityFactory
from waypoint.contacts.models import Attendance
from waypoint.episodes.factories import CoordinatorAllocationFactory
from waypoint.jobs.models import Job, JobStatus
from waypoint.legal.factories import MhaPeriodFactory
from waypoint.measures.factories import MeasureFactory, phq9_answers
from waypoint.patients.factories import GPPracticeFactory, PersonFactory
from waypoint.patients.models import EmploymentStatus, EthnicCategory, Person, Sex
from waypoint.plans.factories import PlanFactory, PlanRevisionFactory
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import Decision, Source, Status, Urgency
from waypoint.reports import mhsds
from waypoint.reports.models import ExtractFile

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=LONDON)
START, END = datetime.date(2026, 11, 1), datetime.date(2026, 11, 30)


def at(y, m, d, hh=10, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=LONDON)


@pytest.fixture
def trust(db):
    with time_machine.travel(NOW, tick=False):
        team = TeamFactory(name="North CMHT", team_type="cmht")
        worker = make_staff(team=team, username="worker")
        practice = GPPracticeFactory(ods_code="Y01234")
        alex = PersonFactory(
            local_id="WP0000001",
            nhs_number="9990000018",
            date_of_birth=datetime.date(1980, 5, 17),
            postcode="zz99 3vz",
            sex=Sex.FEMALE,
            gender_identity="2",
            ethnicity=EthnicCategory.WHITE_BRITISH,
            gp_practice=practice,
            employment_status=EmploymentStatus.EMPLOYED,
            accommodation_status="owner",
        )
        blake = PersonFactory(
            local_id="WP0000002",
            nhs_number=None,
            date_of_birth=datetime.date(1991, 2, 3),
            postcode="",
            sex=Sex.MALE,
            gender_identity="1",
            ethnicity=EthnicCategory.NOT_KNOWN,
            gp_practice=None,
        )
        casey = PersonFactory(local_id="WP0000003", nhs_number="9990000026")  # October only: not in November
        Person.objects.update(updated_at=at(2026, 9, 1))
        r_alex = ReferralFactory(
            person=alex,
            team=team,
            received_at=at(2026, 10, 20),
            source=Source.GP,
            urgency=Urgency.ROUTINE,
            decision=Decision.ACCEPT,
            status=Status.IN_ASSESSMENT,
            triaged_at=at(2026, 10, 21),
        )
        r_blake = ReferralFactory(
            person=blake,
            team=team,
            received_at=at(2026, 11, 15, 14, 30),
            source=Source.SELF,
            urgency_requested=Urgency.URGENT,
        )
        ReferralFactory(
            person=casey,
            team=team,
            received_at=at(2026, 9, 1),
            status=Status.CLOSED,
            closed_at=at(2026, 10, 15),
        )
        contact = ContactFactory(
            person=alex,
            team=team,
            date=datetime.date(2026, 11, 3),
            occurred_at=at(2026, 11, 3, 10, 0),
            duration_minutes=45,
            activities=["care_coordination"],
            location_type="home",
            mechanism="01",
        )
        contact.staff.add(worker)
        dna = ContactFactory(
            person=blake,
            team=team,
            date=datetime.date(2026, 11, 20),
            occurred_at=at(2026, 11, 20, 11, 0),
            attendance=Attendance.DID_NOT_ATTEND,
            duration_minutes=None,
            activities=[],
            mechanism="02",
            location_type="clinic",
        )
        attended_no_length = ContactFactory(
            person=blake,
            team=team,
            date=datetime.date(2026, 11, 27),
            occurred_at=at(2026, 11, 27, 9, 15),
            duration_minutes=None,
            activities=[],
            mechanism="11",
            location_type="other",
        )
        ContactFactory(person=casey, team=team, date=datetime.date(2026, 10, 10))
        allocation = CoordinatorAllocationFactory(
            person=alex,
            team=team,
            worker=worker,
            started_at=at(2026, 10, 25),
            episode__person=alex,
            episode__team=team,
        )
        plan = PlanFactory(person=alex, team=team, kind="care", created_at=at(2026, 11, 1, 9, 0))
        PlanRevisionFactory(
            plan=plan,
            agreed=True,
            agreed_on=datetime.date(2026, 11, 5),
            agreement_recorded_at=at(2026, 11, 5, 14, 0),
            updated_at=at(2026, 11, 5, 14, 0),
        )
        period = MhaPeriodFactory(
            person=alex, section="3", starts_on=datetime.date(2026, 10, 1), created_by=worker
        )
        cto = MhaPeriodFactory(
            person=blake, section="17A", starts_on=datetime.date(2026, 11, 10), created_by=worker
        )
        MhaPeriodFactory(
            person=casey,
            section="3",
            starts_on=datetime.date(2026, 5, 1),
            ended_on=datetime.date(2026, 10, 1),
        )
        measure = MeasureFactory(
            person=alex,
            code="phq9",
            completed_on=datetime.date(2026, 11, 3),
            answers=phq9_answers(total=12),
            recorded_by=worker,
        )
        indirect = IndirectActivityFactory(
            person=alex, team=team, date=datetime.date(2026, 11, 10), duration_minutes=15, recorded_by=worker
        )
    return locals()


def test_every_row_and_field(trust, settings):
    settings.WAYPOINT_ORG_CODE = "RX9"
    t = trust
    T, S = f"T{t['team'].pk}", f"S{t['worker'].pk}"
    RA, RB = f"R{t['r_alex'].pk}", f"R{t['r_blake'].pk}"
    C1, C2, C3 = f"C{t['contact'].pk}", f"C{t['dna'].pk}", f"C{t['attended_no_length'].pk}"
    P = f"P{t['plan'].pk}"
    L1, L2 = f"L{t['period'].pk}", f"L{t['cto'].pk}"
    with time_machine.travel(NOW, tick=False):
        ex = mhsds.build(START, END)
    expected = {
        "MHS000Header": [
            ["6.0", "RX9", "RX9", "Waypoint", "2026-11-01", "2026-11-30", "2026-12-02T09:00:00"]
        ],
        "MHS001MPI": [
            ["WP0000001", "RX9", "9990000018", "01", "1980-05-17", "ZZ99 3VZ", "2", "2", "A", ""],
            ["WP0000002", "RX9", "", "07", "1991-02-03", "", "1", "1", "99", ""],
        ],
        "MHS002GP": [["WP0000001", "Y01234", ""]],
        "MHS003AccommStatus": [["WP0000001", "Y", "2026-09-01"], ["WP0000002", "Z", "2026-09-01"]],
        "MHS004EmpStatus": [["WP0000001", "01", "2026-09-01"], ["WP0000002", "ZZ", "2026-09-01"]],
        "MHS006MHCareCoord": [["WP0000001", S, "2026-10-25", "", "A05"]],
        "MHS008CarePlanType": [[P, "WP0000001", "10", "2026-11-01", "09:00:00", "2026-11-05", "2026-11-05"]],
        "MHS009CarePlanAgreement": [[P, "10", "2026-11-05", "14:00:00"]],
        "MHS101Referral": [
            [RA, "WP0000001", "RX9", "2026-10-20", "10:00:00", "A1", "3", "", ""],
            [RB, "WP0000002", "RX9", "2026-11-15", "14:30:00", "B1", "2", "", ""],
        ],
        "MHS102ServiceTypeReferredTo": [[RA, T, "A05", "", "", ""], [RB, T, "A05", "", "", ""]],
        "MHS201CareContact": [
            [C1, "WP0000001", RA, T, "2026-11-03", "10:00:00", 45, "01", "A01", "5"],
            [C2, "WP0000002", RB, T, "2026-11-20", "11:00:00", "", "02", "B01", "3"],
            [C3, "WP0000002", RB, T, "2026-11-27", "09:15:00", "", "11", "X01", "5"],
        ],
        "MHS202CareActivity": [[f"{C1}-1", C1, S, 45, "", "care_coordination"]],
        "MHS204IndirectActivity": [[RA, T, "2026-11-10", "", 15, S]],
        "MHS401MHActPeriod": [
            [L1, "WP0000001", "03", "2026-10-01", t["period"].expires_on.isoformat(), "", ""],
            [L2, "WP0000002", "", "2026-11-10", t["cto"].expires_on.isoformat(), "", ""],
        ],
        "MHS404CommTreatOrder": [[L2, "2026-11-10", t["cto"].expires_on.isoformat(), "", ""]],
        "MHS606CodedScoreAssessmentRefer": [[RA, "720433000", "12", "2026-11-03T00:00:00", S]],
    }
    assert list(ex.tables) == list(expected)
    for name, rows in expected.items():
        assert ex.tables[name][1] == rows, name
    assert ex.tables["MHS001MPI"][0] == [
        "LocalPatientId",
        "OrgIDLocalPatientId",
        "NHSNumber",
        "NHSNumberStatus",
        "PersonBirthDate",
        "Postcode",
        "Gender",
        "GenderIDCode",
        "EthnicCategory",
        "PersDeathDate",
    ]
    failures = sorted((f.table, f.record, f.item) for f in ex.failures)
    assert failures == sorted(
        [
            ("MHS001MPI", "WP0000002", "NHSNumber"),
            ("MHS001MPI", "WP0000002", "EthnicCategory"),
            ("MHS001MPI", "WP0000002", "GMPReg"),
            ("MHS001MPI", "WP0000002", "Postcode"),
            ("MHS201CareContact", C3, "ClinContDurOfCareCont"),
            ("MHS401MHActPeriod", L2, "LegalStatusCode"),
        ]
    )


def test_each_table_is_a_fixed_number_of_queries(trust, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        mhsds.build(START, END)


def test_the_page_runs_the_extract_as_a_task_with_progress_and_audit(trust, client):
    analyst = make_staff(roles=[RoleCode.INFORMATION_ANALYST], username="analyst")
    client.force_login(analyst)
    assert client.get(reverse("reports:mhsds")).status_code == 200
    response = client.post(reverse("reports:mhsds"), {"month": "2026-11"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:mhsds_run", args=[job.pk])
    assert (
        job.status == JobStatus.DONE and job.requested_by == analyst and job.params["start"] == "2026-11-01"
    )
    page = client.get(response["Location"]).content.decode()
    assert "MHS101Referral" in page and "Records that would fail validation" in page
    assert ExtractFile.objects.filter(job=job).count() == 17  # 16 tables and the validation list
    event = AuditEvent.objects.get(record_type=RecordType.MHSDS_EXTRACT)
    assert event.user == analyst and event.action == Action.EXPORT and event.record_id == "2026-11"
    download = client.get(reverse("reports:mhsds_file", args=[job.pk, "MHS101Referral"]))
    assert download.content.decode().startswith("ServiceRequestId,LocalPatientId,")


def test_only_the_information_role_may_run_it(trust, client):
    manager = make_staff(team=trust["team"], roles=[RoleCode.TEAM_MANAGER, RoleCode.SERVICE_MANAGER])
    client.force_login(manager)
    assert client.get(reverse("reports:mhsds")).status_code == 404
    assert client.post(reverse("reports:mhsds"), {"month": "2026-11"}).status_code == 404
    assert not Job.objects.exists()


def test_command_writes_the_files_and_audits(trust, tmp_path):
    call_command("mhsds_extract", period="2026-11", out=str(tmp_path), stdout=open("/dev/null", "w"))
    assert (tmp_path / "MHS001MPI.csv").read_text().startswith("LocalPatientId,")
    assert (tmp_path / "validation.csv").exists()
    assert AuditEvent.objects.filter(record_type=RecordType.MHSDS_EXTRACT, record_id="2026-11").exists()


def test_a_plan_recorded_after_its_agreement_is_in_both_care_plan_tables(trust):
    with time_machine.travel(NOW, tick=False):
        late = PlanFactory(
            person=trust["alex"], team=trust["team"], kind="crisis", created_at=at(2026, 12, 1)
        )
        PlanRevisionFactory(
            plan=late, agreed=True, agreed_on=datetime.date(2026, 11, 20), updated_at=at(2026, 12, 1)
        )
        ex = mhsds.build(START, END)
    types = {row[0]: row for row in ex.tables["MHS008CarePlanType"][1]}
    assert types[f"P{late.pk}"] == [
        f"P{late.pk}",
        "WP0000001",
        "12",
        "2026-11-20",
        "",
        "2026-11-20",
        "2026-11-20",
    ]
    agreed = {row[0] for row in ex.tables["MHS009CarePlanAgreement"][1]}
    assert agreed == set(types)


@pytest.mark.django_db
def test_only_an_information_analyst_may_start_the_extract_in_the_service(coordinator):
    """Issue 18, item 2: refused in the service, before anything is audited or started."""
    import datetime as _dt

    from waypoint.access.actor import Actor
    from waypoint.accounts.permissions import PermissionRefused
    from waypoint.audit.models import AuditEvent
    from waypoint.reports import services as report_services

    with pytest.raises(PermissionRefused):
        report_services.start_extract(
            Actor(coordinator, basis="team"),
            start=_dt.date(2026, 10, 1),
            end=_dt.date(2026, 10, 31),
            task=None,
            kind="mhsds_extract",
        )
    assert not AuditEvent.objects.exists()
