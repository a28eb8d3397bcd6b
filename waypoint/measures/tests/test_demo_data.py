"""The synthetic Trust has outcome measures with trajectories, and some 4-week clocks stop."""

import pytest
from django.core.management import call_command

from waypoint.measures import four_week, scoring, selectors
from waypoint.measures.licences import any_definition
from waypoint.measures.models import Measure, Timing
from waypoint.referrals.models import Referral, Status


@pytest.mark.django_db
def test_demo_trust_has_measures_and_stopped_clocks():
    call_command("build_demo_trust", size=300, verbosity=0)
    measures = Measure.objects.all()
    assert measures.filter(timing=Timing.BASELINE).count() > 20
    assert measures.filter(timing=Timing.REVIEW).count() > 20
    assert {"phq9", "core10", "dialog"} <= set(measures.values_list("code", flat=True))
    words = set()
    for person_id in set(measures.values_list("person_id", flat=True)):
        for h in selectors.summaries(Measure.objects.filter(person_id=person_id).first().person):
            words.update(row.change.words for row in h.rows if row.change)
    assert {scoring.IMPROVED, scoring.NO_CHANGE} <= words
    for m in measures[:50]:
        assert m.total == scoring.score(any_definition(m.code), m.answers).total
    seen = Referral.objects.filter(status=Status.IN_ASSESSMENT, first_contact_attended_at__isnull=False)
    stopped = [c for c in four_week.clocks_for(list(seen)).values() if c.stopped_at is not None]
    assert len(stopped) >= 3


@pytest.mark.django_db
def test_demo_trust_has_dialog_plus_sessions_and_stopped_clocks_on_the_team_page():
    from waypoint.measures.models import DialogPlusSession

    call_command("build_demo_trust", size=300, verbosity=0)
    sessions = DialogPlusSession.objects.select_related("measure")
    assert sessions.count() >= 3
    assert all(s.measure.code == "dialog" and s.is_recorded and s.domains for s in sessions)
    seen = list(Referral.objects.filter(status=Status.IN_ASSESSMENT, first_contact_attended_at__isnull=False))
    clocks = four_week.clocks_for(seen)
    assert sum(1 for c in clocks.values() if c.stopped_at) >= 3
