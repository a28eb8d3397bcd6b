"""Synthetic outcome measures for the demo Trust: realistic trajectories (some people reliably
improving, some not changing, a few deteriorating), so the Measures tab, the history charts and the
team's "no baseline" list have something to show, and, with the other builders' first contacts,
coded assessments and agreed care plans, some referrals' 4-week clocks stop.

Each seen referral (first contact attended) gets a baseline measure within a week of that contact,
then reviews about every six weeks until today; about one in five gets none (so the worklist and
the team list show them). Scores are made by the real scoring engine from synthetic answers.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from waypoint.demo.bulk import insert
from waypoint.measures import scoring
from waypoint.measures.licences import any_definition
from waypoint.measures.models import CompletedBy, Measure, Mode, Timing
from waypoint.referrals.models import Referral
from waypoint.referrals.models import Status as ReferralStatus

CHOICES = [("phq9", 5), ("core10", 2), ("dialog", 2), ("gbo", 1), ("gad7", 2)]
NO_MEASURE_RATE = 0.2


def _spread(defn, target, rng):
    """Answers whose item scores add up to about `target`, spread over the items."""
    items = list(defn.items)
    scores = {item.key: 0 for item in items}
    remaining = int(round(target))
    order = items[:]
    while remaining > 0:
        rng.shuffle(order)
        moved = False
        for item in order:
            if remaining and scores[item.key] < item.highest - item.lowest:
                scores[item.key] += 1
                remaining -= 1
                moved = True
        if not moved:
            break
    answers = {}
    for item in items:
        score = scores[item.key] + item.lowest
        answers[item.key] = (item.lowest + item.highest - score) if item.reverse else score
    return answers


def _answers(defn, level, rng):
    """level 0 (well) to 1 (unwell) -> answers for this measure."""
    if defn.code in ("dialog", "gbo"):
        low, high = defn.items[0].lowest, defn.items[0].highest
        centre = high - level * (high - low)
        count = rng.choice([2, 3]) if defn.code == "gbo" else len(defn.items)
        answers = {}
        for index, item in enumerate(defn.items):
            if index < count:
                answers[item.key] = max(low, min(high, round(centre + rng.uniform(-1.2, 1.2))))
            else:
                answers[item.key] = None
        return answers
    top = sum(item.highest - item.lowest for item in defn.items)
    answers = _spread(defn, level * top, rng)
    if defn.code == "phq9" and "9" in answers:
        answers["9"] = 1 if level > 0.6 and rng.random() < 0.3 else 0
    if defn.code == "core10" and "6" in answers:
        answers["6"] = 0 if rng.random() < 0.85 else 1
    return answers


GOALS = [
    "Get back to the allotment every week",
    "Sleep through most nights",
    "Go to the shops on my own",
    "Phone my sister on Sundays",
    "Start the volunteering course",
]


def build_measures(*, people, staff, rng: random.Random | None = None, now=None) -> dict:
    if not people:
        return {"measures": 0}
    now = now or timezone.now()
    today = timezone.localdate(now)
    rng = rng or random.Random(people[0].pk)
    ids = {person.pk for person in people}
    workers = [staff[name] for name in ("coordinator", "socialworker", "outreach", "rehab") if name in staff]
    workers = workers or list(staff.values())
    referrals = [
        r
        for r in Referral.objects.filter(
            person_id__gte=min(ids),
            person_id__lte=max(ids),
            status=ReferralStatus.IN_ASSESSMENT,
            first_contact_attended_at__isnull=False,
        ).order_by("pk")
        if r.person_id in ids
    ]
    codes, weights = zip(*CHOICES, strict=True)
    done, rows = set(), []
    for referral in referrals:
        if referral.person_id in done:
            continue
        done.add(referral.person_id)
        if rng.random() < NO_MEASURE_RATE:
            continue
        defn = any_definition(rng.choices(codes, weights=weights)[0])
        trend = rng.choices(["improving", "flat", "worse"], weights=[5, 3, 1])[0]
        level = rng.uniform(0.45, 0.75)
        step = {"improving": -0.12, "flat": 0.0, "worse": 0.08}[trend]
        seen_on = timezone.localdate(referral.first_contact_attended_at)
        day = min(today, seen_on + timedelta(days=rng.randint(0, 7)))
        timing = Timing.BASELINE
        worker = rng.choice(workers)
        goals = {f"goal_{n}": GOALS[(referral.pk + n) % len(GOALS)] for n in range(1, 4)}
        while day <= today:
            answers = _answers(defn, level, rng)
            result = scoring.score(defn, answers)
            rows.append(
                Measure(
                    person_id=referral.person_id,
                    code=defn.code,
                    timing=timing,
                    completed_on=day,
                    completed_by_who=CompletedBy.PERSON,
                    mode=rng.choice([Mode.WITH_PERSON, Mode.PAPER]),
                    answers=answers,
                    details={"goals": {k: v for k, v in goals.items() if answers.get(k) is not None}}
                    if defn.code == "gbo"
                    else {},
                    total=result.total,
                    raw_total=result.raw,
                    band=result.band,
                    prorated=result.prorated,
                    subscales={k: (str(v) if v is not None else None) for k, v in result.subscales.items()},
                    recorded_by=worker,
                    recorded_at=timezone.make_aware(datetime.combine(day, time(rng.randint(9, 16)))),
                )
            )
            timing = Timing.REVIEW
            level = max(0.02, min(0.98, level + step + rng.uniform(-0.05, 0.05)))
            day += timedelta(days=rng.randint(35, 56))
    insert(rows)
    return {"measures": len(rows)}
