"""CSV downloads never carry a live spreadsheet formula (OWASP "CSV injection")."""

import csv
import datetime
import io
import pathlib
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.access.services import start_break_glass
from waypoint.core.csv_export import safe_cell, writer
from waypoint.patients.factories import PersonFactory
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import Status

ATTACKS = ['=HYPERLINK("https://evil.example","Click")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]


@pytest.mark.parametrize(
    "typed",
    [*ATTACKS, "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "-", "- not a number", "+447700900123"],
)
def test_formula_like_text_gets_a_leading_quote(typed):
    assert safe_cell(typed) == "'" + typed


@pytest.mark.parametrize(
    "value",
    ["Alex Smith", "2026-03-27 14:30", "2026-03-27", "O'Brien", "a=b", "", "Yes", "12", "-3", "-0.5"],
)
def test_ordinary_text_and_plain_numbers_are_unchanged(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("number", [-3, 0, 41, -2.5, Decimal("-1.25")])
def test_numbers_waypoint_computes_stay_numbers(number):
    assert safe_cell(number) == number


def test_none_is_an_empty_cell_and_the_writer_escapes_every_cell():
    handle = io.StringIO()
    writer(handle).writerows([["=1+1", None, -4, "ok"]])
    assert list(csv.reader(io.StringIO(handle.getvalue()))) == [["'=1+1", "", "-4", "ok"]]


def _rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def _no_cell_is_a_formula(rows):
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
            assert not (cell.startswith("-") and not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", cell)), cell


@pytest.mark.django_db
def test_waiting_list_csv_escapes_names(client, coordinator, team):
    with time_machine.travel(datetime.datetime(2030, 1, 16, 12, 0, tzinfo=datetime.UTC), tick=False):
        client.force_login(coordinator)
        for attack in ATTACKS:
            ReferralFactory(
                team=team,
                status=Status.WAITING,
                decision="accept",
                received_at=timezone.now() - datetime.timedelta(days=3),
                person=PersonFactory(given_name=attack, family_name="Synthetic"),
            )
        rows = _rows(client.get(reverse("referrals:waiting_list"), {"format": "csv"}))
    names = sorted(row[0] for row in rows[1:])
    assert names == sorted(f"'{attack} Synthetic" for attack in ATTACKS)
    _no_cell_is_a_formula(rows)


@pytest.mark.django_db
def test_access_history_csv_escapes_the_break_glass_reason(client, outsider, privacy_officer, person):
    for attack in ATTACKS:
        reason = attack + " synthetic reason"
        start_break_glass(
            by=Actor(outsider, basis="break_glass", break_glass_reason=reason), person=person, reason=reason
        )
    client.force_login(privacy_officer)
    rows = _rows(client.get(reverse("audit:access_history", args=[person.pk]), {"format": "csv"}))
    reasons = {row[7] for row in rows[1:] if row[7]}
    assert reasons == {f"'{attack} synthetic reason" for attack in ATTACKS}
    _no_cell_is_a_formula(rows)


def test_every_csv_waypoint_writes_uses_the_safe_writer():
    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "csv_export.py"
        and re.search(r"csv\.(writer|DictWriter)\(", path.read_text())
    ]
    assert offenders == [], "write CSV through waypoint.core.csv_export.writer"
