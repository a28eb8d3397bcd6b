"""The worklist registry: providers plug in, items come back per person, worst first."""

from datetime import date

import pytest
from django.urls import reverse

from waypoint.worklist import registry
from waypoint.worklist.registry import DueItem, Severity, due_for, register_provider, severity_for

TODAY = date(2026, 11, 23)


@pytest.fixture
def isolated_providers(monkeypatch):
    monkeypatch.setattr(registry, "_providers", {})


def test_severity_for_dates():
    assert severity_for(date(2026, 11, 22), TODAY) is Severity.OVERDUE
    assert severity_for(TODAY, TODAY) is Severity.DUE_SOON
    assert severity_for(date(2026, 12, 7), TODAY) is Severity.DUE_SOON
    assert severity_for(date(2026, 12, 8), TODAY) is Severity.UPCOMING
    assert severity_for(None, TODAY) is Severity.DUE_SOON


def test_due_for_composes_providers_worst_first(isolated_providers):
    calls = []

    def reviews(person_ids, today):
        calls.append(list(person_ids))
        return [
            DueItem(pk, "review", "Review", date(2027, 1, 1), severity_for(date(2027, 1, 1), today))
            for pk in person_ids
        ]

    def safety(person_ids, today):
        return [DueItem(person_ids[0], "safety_plan", "No safety plan", None, Severity.DUE_SOON)]

    def overdue(person_ids, today):
        return [DueItem(person_ids[-1], "late", "Late", date(2026, 1, 1), Severity.OVERDUE)]

    register_provider("review", reviews)
    register_provider("safety_plan", safety)
    register_provider("late", overdue)
    found = due_for([3, 1, 3], TODAY)
    assert calls == [[1, 3]]  # one call for everyone, not one per person
    assert [item.kind for item in found[1]] == ["safety_plan", "review"]
    assert [item.kind for item in found[3]] == ["late", "review"]


def test_due_for_nobody_calls_no_provider(isolated_providers):
    register_provider("boom", lambda ids, today: 1 / 0)
    assert due_for([], TODAY) == {}


@pytest.mark.django_db
def test_record_page_shows_what_is_due(coordinator_client, person, isolated_providers):
    register_provider(
        "demo",
        lambda ids, today: [DueItem(pk, "demo", "Care plan review", TODAY, Severity.OVERDUE) for pk in ids],
    )
    page = coordinator_client.get(reverse("patients:detail", args=[person.pk])).content.decode()
    assert "What is due" in page
    assert "Care plan review" in page
    assert "Overdue" in page
