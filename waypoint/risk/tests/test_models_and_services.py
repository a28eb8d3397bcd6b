"""Risk formulation: no scores anywhere, every revision kept, stale saves refused, audited without text."""

import datetime

import pytest
from django.db import models
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.audit.models import Action, AuditEvent
from waypoint.risk import services
from waypoint.risk.factories import RiskFormulationFactory
from waypoint.risk.models import RiskFormulation

SECRET = "Hears voices telling him to jump (synthetic)"
FORBIDDEN = (
    "score",
    "level",
    "rating",
    "rag",
    "red",
    "amber",
    "green",
    "low",
    "medium",
    "high",
    "grade",
    "band",
    "tier",
    "stratif",
    "category",
)


def _data(**overrides):
    data = {
        "history": "Past overdose (synthetic)",
        "concerns_to_self": SECRET,
        "concerns_to_others": "None identified",
        "concerns_from_others": "",
        "concerns_self_neglect": "",
        "triggers": "Being alone",
        "protective_factors": "His children",
        "what_helps": "Music",
        "management_plan": "Weekly visits",
        "review_date": timezone.localdate() + datetime.timedelta(days=60),
    }
    data.update(overrides)
    return data


def test_the_model_has_no_score_level_or_rag_field():
    """NICE NG225: no risk tools, scales or low/medium/high stratification. Nothing numeric or chosen."""
    for field in RiskFormulation._meta.get_fields():
        name = field.name.lower()
        assert not any(word in name for word in FORBIDDEN), f"{field.name} looks like a risk score or rating"
        assert not getattr(field, "choices", None), f"{field.name} is a choice field"
        if isinstance(field, (models.IntegerField, models.DecimalField, models.FloatField)):
            assert field.name in {"id", "revision"}, f"{field.name} is a number"


@pytest.mark.django_db
class TestWriteFormulation:
    def test_first_formulation_is_revision_1_and_audited_without_text(self, coordinator, person):
        formulation = services.write_formulation(
            by=Actor(coordinator, basis="team", path="/x/"),
            person=person,
            data=_data(),
            based_on=0,
        )
        assert formulation.revision == 1 and formulation.written_by == coordinator
        event = AuditEvent.objects.get(record_type="risk_formulation")
        assert event.action == Action.CREATE and event.person == person
        assert (
            "concerns_to_self" in event.fields_changed and "concerns_from_others" not in event.fields_changed
        )
        assert event.record_id == str(formulation.pk)
        assert SECRET not in str(list(AuditEvent.objects.values_list()))

    def test_revising_keeps_every_revision_and_audits_the_changed_fields(self, coordinator, person):
        first = services.write_formulation(
            by=Actor(coordinator, basis="team"),
            person=person,
            data=_data(),
            based_on=0,
        )
        second = services.write_formulation(
            by=Actor(coordinator, basis="team"),
            person=person,
            data=_data(triggers="Loud places"),
            based_on=1,
        )
        assert second.revision == 2
        assert RiskFormulation.objects.filter(person=person).count() == 2
        first.refresh_from_db()
        assert first.triggers == "Being alone"  # the first revision is unchanged
        event = AuditEvent.objects.filter(record_type="risk_formulation").order_by("-id").first()
        assert event.action == Action.UPDATE and event.fields_changed == ["triggers"]

    def test_a_stale_save_is_refused_and_nothing_is_written(self, coordinator, person):
        services.write_formulation(
            by=Actor(coordinator, basis="team"),
            person=person,
            data=_data(),
            based_on=0,
        )
        services.write_formulation(
            by=Actor(coordinator, basis="team"),
            person=person,
            data=_data(),
            based_on=1,
        )
        with pytest.raises(services.StaleFormulation) as caught:
            services.write_formulation(
                by=Actor(coordinator, basis="team"),
                person=person,
                data=_data(),
                based_on=1,
            )
        assert caught.value.current_revision == 2
        assert RiskFormulation.objects.filter(person=person).count() == 2
        assert AuditEvent.objects.filter(record_type="risk_formulation").count() == 2

    def test_a_second_first_formulation_is_stale(self, coordinator, person):
        services.write_formulation(
            by=Actor(coordinator, basis="team"),
            person=person,
            data=_data(),
            based_on=0,
        )
        with pytest.raises(services.StaleFormulation):
            services.write_formulation(
                by=Actor(coordinator, basis="team"),
                person=person,
                data=_data(),
                based_on=0,
            )

    def test_current_is_the_latest_revision_per_person(self, coordinator, person):
        RiskFormulationFactory(person=person)
        latest = RiskFormulationFactory(person=person)
        other = RiskFormulationFactory()
        assert set(RiskFormulation.objects.current()) == {latest, other}
        assert latest.revision == 2
