"""The synthetic Trust gets risk formulations and reviews: a realistic spread, fast, no scores."""

import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from waypoint.reviews.models import Review
from waypoint.risk.models import RiskFormulation


@pytest.mark.django_db
def test_demo_trust_has_formulations_and_reviews_in_a_realistic_spread():
    started = time.perf_counter()
    call_command("build_demo_trust", size=300, stdout=StringIO())
    assert time.perf_counter() - started < 30
    today = timezone.localdate()
    revisions = RiskFormulation.objects.values("person").annotate(n=Count("id"))
    assert revisions.filter(n=1).exists() and revisions.filter(n__gte=2).exists()
    current = RiskFormulation.objects.current()
    assert current.filter(review_date__lt=today).exists() and current.filter(review_date__gte=today).exists()
    assert all("(synthetic)" in text for text in RiskFormulation.objects.values_list("history", flat=True))
    assert Review.objects.held().exists() and Review.objects.scheduled().exists()
    assert Review.objects.latest_held().filter(next_review_due__lt=today).exists()
    assert Review.objects.held().filter(staff__isnull=False).exists()
