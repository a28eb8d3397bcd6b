"""What measures make due, for the worklist. Both providers share the referrals' and reviews'
reads (per request) and one read of measure dates, so together they add one query to a page.

- "measure_baseline": a referral's first attended contact was more than the team's baseline
  window ago (6 weeks unless the team sets it) and no outcome measure has been recorded since the
  referral was received;
- "measure_at_review": a review is planned and no measure has been recorded in the team's
  look-back window before it (28 days unless set).

Each shows from the team's "days before it is due" (14 unless set). The windows are the team's
(`team_settings.py`, read from the cache: no query); for a review the team is the one the person's
referral is with, else the defaults.

- "measure_at_discharge": a discharge is planned for the person's open episode (set at the MDT
  meeting) and no measure has been recorded in the team's look-back window before that date.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from waypoint.episodes.selectors import planned_discharges_for
from waypoint.referrals.selectors import accepted_referrals_for
from waypoint.reviews.selectors import review_dates_by_person
from waypoint.worklist.registry import DueItem, Severity, severity_for

from . import team_settings
from .selectors import measure_dates_for

NO_BASELINE = "measure_baseline"
AT_REVIEW = "measure_at_review"
AT_DISCHARGE = "measure_at_discharge"
BASELINE_WITHIN = timedelta(weeks=6)  # the defaults (team_settings.DEFAULTS)
REVIEW_WINDOW = timedelta(days=28)


def _severity(due, today, windows):
    """Overdue, due soon, or None (not shown yet: more than the team's window before it is due)."""
    severity = severity_for(due, today, soon_days=windows.show_days_before)
    return None if severity is Severity.UPCOMING else severity


def _url(person_id):
    return reverse("measures:list", args=[person_id])


def baseline_not_done(person_ids, today):
    first = {}
    for referral in accepted_referrals_for(person_ids):  # shared with other providers (one query)
        if referral.first_contact_attended_at is not None:
            first.setdefault(referral.person_id, referral)
    if not first:
        return
    dates = measure_dates_for(person_ids)
    for person_id, referral in first.items():
        since = timezone.localtime(referral.received_at).date()
        if any(d >= since for d in dates.get(person_id, ())):
            continue
        windows = team_settings.for_team(referral.team_id)
        due = timezone.localtime(referral.first_contact_attended_at).date() + timedelta(
            days=windows.baseline_within_days
        )
        severity = _severity(due, today, windows)
        if severity is None:
            continue
        what = (
            "Baseline outcome measure overdue"
            if severity is Severity.OVERDUE
            else "Baseline outcome measure due"
        )
        yield DueItem(person_id, NO_BASELINE, what, due, severity, _url(person_id))


def _review_windows(person_ids):
    """Each person's team windows, from the referrals already read for the worklist (no query
    when there is none to read)."""
    teams = {}
    for referral in accepted_referrals_for(person_ids):  # shared with other providers (one query)
        teams.setdefault(referral.person_id, referral.team_id)
    return teams


def _measure_due_before(planned, kind, what, person_ids, today):
    """Items for `planned` (person_id -> (due date, team id)): each shown from the team's window
    before it is due, unless a measure was done in the team's look-back window before that date."""
    if not planned:
        return
    dates = measure_dates_for(person_ids)  # shared (one query)
    for person_id, (due, team_id) in planned.items():
        windows = team_settings.for_team(team_id)
        severity = _severity(due, today, windows)
        if severity is None:
            continue
        lookback = timedelta(days=windows.review_lookback_days)
        if any(d >= due - lookback for d in dates.get(person_id, ())):
            continue
        yield DueItem(person_id, kind, what, due, severity, _url(person_id))


def _soon_enough(due, today):
    return due is not None and due <= today + timedelta(days=team_settings.MAX_SHOW_DAYS_BEFORE)


def due_at_review(person_ids, today):
    reviews = {
        person_id: due
        for person_id, (due, _) in review_dates_by_person(person_ids).items()  # shared (one query)
        if _soon_enough(due, today)
    }
    teams = _review_windows(person_ids) if reviews else {}
    planned = {person_id: (due, teams.get(person_id)) for person_id, due in reviews.items()}
    yield from _measure_due_before(
        planned, AT_REVIEW, "Outcome measure due for the planned review", person_ids, today
    )


def due_at_discharge(person_ids, today):
    planned = {
        person_id: (due, team_id)
        for person_id, (due, team_id) in planned_discharges_for(person_ids).items()  # one query
        if _soon_enough(due, today)
    }
    yield from _measure_due_before(
        planned, AT_DISCHARGE, "Outcome measure due before the planned discharge", person_ids, today
    )
