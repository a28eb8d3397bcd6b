"""Form rules: drafts can have gaps; completion asks for what matters; capacity follows the answers."""

import datetime

import pytest

from waypoint.assessments.forms import AssessmentForm
from waypoint.assessments.models import Kind
from waypoint.assessments.schema import HAS_CAPACITY, LACKS_CAPACITY, capacity_outcome
from waypoint.patients.models import Carer
from waypoint.referrals.models import Referral


def form(kind, data):
    return AssessmentForm(data, kind=kind, referrals=Referral.objects.none(), carers=Carer.objects.none())


DATE = {"assessed_on_day": "3", "assessed_on_month": "11", "assessed_on_year": "2026"}


@pytest.mark.django_db
class TestHolisticNeeds:
    def test_a_draft_needs_only_the_date(self):
        assert form(Kind.HOLISTIC, {**DATE, "action": "draft"}).is_valid()
        missing = form(Kind.HOLISTIC, {"action": "draft", "mental_health_says": "Low (synthetic)"})
        assert not missing.is_valid()
        assert missing.errors["assessed_on"] == ["Enter the date of assessment"]

    def test_completing_asks_for_every_need_identified_answer(self):
        bound = form(Kind.HOLISTIC, {**DATE, "action": "complete", "mental_health_need": "yes"})
        assert not bound.is_valid()
        assert "mental_health_need" not in bound.errors
        assert "Need identified" in bound.errors["medication_need"][0]
        assert "Medication" in bound.errors["medication_need"][0]

    def test_a_real_date_is_needed(self):
        bound = form(
            Kind.HOLISTIC, {"assessed_on_day": "31", "assessed_on_month": "2", "assessed_on_year": "2026"}
        )
        assert not bound.is_valid()
        assert bound.errors["assessed_on"] == ["Date of assessment must be a real date"]


@pytest.mark.django_db
class TestCarers:
    def test_declined_needs_a_date(self):
        bound = form(
            Kind.CARER,
            {
                "offered_on_day": "1",
                "offered_on_month": "11",
                "offered_on_year": "2026",
                "response": "declined",
            },
        )
        assert not bound.is_valid()
        assert bound.errors["declined_on"] == ["Enter the date the carer declined"]

    def test_completing_needs_the_carers_answer(self):
        bound = form(Kind.CARER, {"action": "complete", "response": "waiting"})
        assert not bound.is_valid()
        assert "accepted or declined" in bound.errors["response"][0]


class TestCapacityOutcome:
    @pytest.mark.parametrize(
        "answers, expected",
        [
            ({"impairment": "no"}, HAS_CAPACITY),
            (
                {
                    "impairment": "yes",
                    "understand": "able",
                    "retain": "able",
                    "weigh": "able",
                    "communicate": "able",
                },
                HAS_CAPACITY,
            ),
            (
                {
                    "impairment": "yes",
                    "understand": "able",
                    "retain": "able",
                    "weigh": "unable",
                    "communicate": "able",
                    "because_of_impairment": "yes",
                },
                LACKS_CAPACITY,
            ),
            ({"impairment": "yes", "weigh": "unable", "because_of_impairment": "no"}, HAS_CAPACITY),
            ({"impairment": "yes", "weigh": "unable"}, None),
            ({}, None),
        ],
    )
    def test_outcome_follows_the_two_stage_test(self, answers, expected):
        assert capacity_outcome(answers) == expected

    @pytest.mark.django_db
    def test_completing_needs_the_causal_link_when_unable(self):
        data = {
            **DATE,
            "action": "complete",
            "decision": "Where to live (synthetic)",
            "support_steps": "Easy read",
            "impairment": "yes",
            "impairment_evidence": "x",
        }
        for key in ("understand", "retain", "weigh", "communicate"):
            data[key] = "unable" if key == "weigh" else "able"
            data[f"{key}_evidence"] = "x"
        bound = form(Kind.CAPACITY, data)
        assert not bound.is_valid()
        assert "because_of_impairment" in bound.errors
        bound = form(Kind.CAPACITY, {**data, "because_of_impairment": "yes"})
        assert bound.is_valid(), bound.errors


def test_dates_are_stored_as_iso_text():
    bound = AssessmentForm(
        {"offered_on_day": "1", "offered_on_month": "11", "offered_on_year": "2026", "response": "waiting"},
        kind=Kind.CARER,
        referrals=None,
        carers=Carer.objects.none(),
    )
    bound.is_valid()
    assert bound.cleaned_data["offered_on"] == datetime.date(2026, 11, 1)
