"""Contacts tests run at a fixed moment (Tuesday 24 November 2026, 11:00 in London)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from waypoint.contacts.factories import AppointmentFactory, ContactFactory

MOMENT = datetime(2026, 11, 24, 11, 0, tzinfo=ZoneInfo("Europe/London"))
TODAY = date(2026, 11, 24)
MONDAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def fixed_moment():
    with time_machine.travel(MOMENT, tick=True) as traveller:
        yield traveller


@pytest.fixture
def make_contact(person, team, coordinator):
    def make(**kwargs):
        kwargs.setdefault("person", person)
        kwargs.setdefault("team", team)
        kwargs.setdefault("recorded_by", coordinator)
        return ContactFactory(**kwargs)

    return make


@pytest.fixture
def make_appointment(person, team, coordinator):
    def make(**kwargs):
        kwargs.setdefault("person", person)
        kwargs.setdefault("team", team)
        kwargs.setdefault("booked_by", coordinator)
        kwargs.setdefault("date", TODAY)
        return AppointmentFactory(**kwargs)

    return make
