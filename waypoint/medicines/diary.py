"""The depot injections a nurse gives, in their My diary (contacts' diary source registry).

A depot shows on the day it is next due, in the nurse's week; once that day has come it shows on
today until it is given (tagged late when past its window). One query whatever the number of
depots; My diary leaves out anyone the nurse may not see now."""

from datetime import date

from django.urls import reverse

from waypoint.contacts.registry import DiaryEntry

from .models import Outcome
from .selectors import depots_given_by

KIND = "depot"


def _detail(status, today: date) -> str:
    parts = []
    if status.late:
        days = status.days_late
        parts.append(f"Late: due {status.next_due:%-d %B}, {days} day{'' if days == 1 else 's'} ago")
    elif status.next_due < today:
        parts.append(f"Due {status.next_due:%-d %B}, in the window until {status.window_to:%-d %B}")
    else:
        parts.append(
            f"Due {status.next_due:%-d %B}, window {status.window_from:%-d %B} to {status.window_to:%-d %B}"
        )
    if status.last_not_given:
        parts.append(f"last time: {Outcome(status.last_not_given).label.lower()}")
    return "; ".join(parts)


def depot_entries(user, first_day: date, last_day: date, today: date) -> list[DiaryEntry]:
    entries = []
    for status in depots_given_by(user, today):
        depot = status.depot
        if status.next_due <= today:
            day = today
        else:
            day = status.next_due
        if not first_day <= day <= last_day:
            continue
        entries.append(
            DiaryEntry(
                person_id=depot.person_id,
                person_name=depot.person.listing_name,
                day=day,
                kind=KIND,
                what=f"Depot injection: {depot.drug} {depot.dose_text}",
                url=reverse("medicines:give", args=[depot.person_id, depot.pk]),
                link_text="Record the injection",
                detail=_detail(status, today),
                overdue=status.late,
            )
        )
    return entries
