"""Legal records are never deleted: the database refuses (legal migration 0005, PostgreSQL and
SQLite), on top of the services offering no deletion and every foreign key being PROTECT."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from waypoint.legal.factories import (
    AdvanceDecisionFactory,
    AftercareFactory,
    AssessmentRequestFactory,
    BestInterestsDecisionFactory,
    CapacityAssessmentFactory,
    CareTreatmentPlanFactory,
    ImcaReferralFactory,
    LibertyAuthorisationFactory,
    LibertyReviewFactory,
    MhaPeriodFactory,
    PowerOfAttorneyFactory,
    RelativeEventFactory,
    RightsExplanationFactory,
    ensure_rules,
)
from waypoint.legal.models import AmhpAssessment, EventKind, LibertyAssessment, PeriodEvent, Requirement

pytestmark = pytest.mark.django_db
never_deleted = importlib.import_module("waypoint.legal.migrations.0005_never_deleted_triggers")
plans = importlib.import_module("waypoint.legal.migrations.0006_care_treatment_plans")
reviews = importlib.import_module("waypoint.legal.migrations.0008_dols_queue_and_reviews")
NEVER_DELETED_TABLES = set(never_deleted.TABLES) | set(plans.TABLES) | set(reviews.TABLES)
NEVER_DELETED_TRIGGERS = (
    set(never_deleted.TRIGGER_NAMES) | set(plans.TRIGGER_NAMES) | set(reviews.TRIGGER_NAMES)
)
read_only = importlib.import_module(
    "waypoint.legal.migrations.0004_advance_choice_rules_and_read_only_assessment"
)
CONFIGURATION = {"legal_ruleset", "legal_sectionrule", "legal_termrule", "legal_amhpshift"}


def legal_triggers():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'legal_%'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'legal_%'")
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def rows(person, coordinator):
    ensure_rules()
    period = MhaPeriodFactory(person=person, created_by=coordinator)
    request_obj = AssessmentRequestFactory(person=person, logged_by=coordinator)
    authorisation = LibertyAuthorisationFactory(person=person, created_by=coordinator)
    capacity = CapacityAssessmentFactory(person=person, assessor=coordinator)
    return [
        period,
        PeriodEvent.objects.create(
            period=period, kind=EventKind.LEAVE, on=datetime.date(2026, 1, 5), recorded_by=coordinator
        ),
        RightsExplanationFactory(period=period, person=person, given_by=coordinator),
        AftercareFactory(person=person, created_by=coordinator),
        request_obj,
        AmhpAssessment.objects.create(request=request_obj, updated_by=coordinator),
        authorisation,
        LibertyAssessment.objects.create(
            authorisation=authorisation,
            requirement=Requirement.AGE,
            assessor="A. Assessor (synthetic)",
            completed_on=datetime.date(2026, 1, 5),
            met=True,
        ),
        RelativeEventFactory(person=person, recorded_by=coordinator),
        AdvanceDecisionFactory(person=person, created_by=coordinator),
        capacity,
        BestInterestsDecisionFactory(person=person, created_by=coordinator),
        PowerOfAttorneyFactory(person=person, created_by=coordinator),
        ImcaReferralFactory(person=person, created_by=coordinator),
        CareTreatmentPlanFactory(period=period, created_by=coordinator),
        LibertyReviewFactory(authorisation=authorisation, recorded_by=coordinator),
    ]


def test_every_legal_record_table_has_the_trigger_and_configuration_does_not():
    tables = {model._meta.db_table for model in apps.get_app_config("legal").get_models()}
    assert NEVER_DELETED_TABLES == tables - CONFIGURATION
    assert legal_triggers() == NEVER_DELETED_TRIGGERS | set(read_only.TRIGGER_NAMES)


def test_deleting_any_legal_record_is_refused(rows):
    assert {row._meta.db_table for row in rows} == NEVER_DELETED_TABLES
    for row in rows:
        with pytest.raises(DatabaseError, match="never deleted"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {row._meta.db_table} WHERE id = %s", [row.pk])
        assert type(row).objects.filter(pk=row.pk).exists()


def test_sqlite_triggers_come_back_after_migrate():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    from waypoint.legal.apps import ensure_sqlite_triggers

    with connection.cursor() as cursor:
        for statement in never_deleted.SQLITE_REVERSE + plans.SQLITE_REVERSE + reviews.SQLITE_REVERSE:
            cursor.execute(statement)
    ensure_sqlite_triggers(sender=None, using="default")
    assert NEVER_DELETED_TRIGGERS <= legal_triggers()
