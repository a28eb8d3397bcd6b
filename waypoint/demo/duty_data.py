"""Synthetic duty data: a rota for this month and next, a few open calls and yesterday's handover."""

from datetime import timedelta

from django.utils import timezone

from waypoint.duty.models import CallerType, DutyEnquiry, DutyShift, Handover

CALLS = [
    (
        CallerType.CARER,
        "Worried that the person they care for has stopped taking their medication (synthetic).",
        True,
    ),
    (CallerType.GP, "Asking when their referral will be seen (synthetic).", False),
    (CallerType.POLICE, "Concern for welfare after a neighbour's call (synthetic).", False),
]


def build_duty(*, team, workers, people, rng, now=None):
    now = now or timezone.now()
    today = timezone.localdate()
    first = today.replace(day=1)
    shifts, day = [], first
    while day < (first + timedelta(days=62)).replace(day=1):
        if day.weekday() < 5:
            duty = workers[(day.toordinal()) % len(workers)]
            backup = workers[(day.toordinal() + 1) % len(workers)]
            shifts.append(DutyShift(team=team, date=day, worker=duty, role="duty"))
            if backup != duty:
                shifts.append(DutyShift(team=team, date=day, worker=backup, role="backup"))
        day += timedelta(days=1)
    DutyShift.objects.bulk_create(shifts, ignore_conflicts=True)
    if Handover.objects.filter(team=team, for_date=today - timedelta(days=1)).exists():
        return  # built earlier today: running the command again adds no more calls or handovers
    enquiries = []
    for hours_ago, (caller, asked, crisis) in zip((2, 26, 5), CALLS, strict=True):
        enquiries.append(
            DutyEnquiry(
                team=team,
                received_at=now - timedelta(hours=hours_ago),
                caller_type=caller,
                caller_name="Synthetic caller",
                person=rng.choice(people) if people else None,
                what_was_asked=asked,
                is_crisis=crisis,
                logged_by=workers[0],
                logged_at=now - timedelta(hours=hours_ago),
            )
        )
    DutyEnquiry.objects.bulk_create(enquiries)
    Handover.objects.create(
        team=team,
        for_date=today - timedelta(days=1),
        note="Two calls still open. Please ring the GP back about the waiting time (synthetic).",
        written_by=workers[0],
        written_at=now - timedelta(hours=16),
    )
