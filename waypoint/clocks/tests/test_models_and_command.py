"""TeamCalendar validation, the load_bank_holidays command, and calendar_for_team."""

import json
from datetime import date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from waypoint.accounts.models import Team
from waypoint.clocks.bank_holidays import BUNDLED_FILE
from waypoint.clocks.models import BankHoliday, TeamCalendar, validate_weekdays
from waypoint.clocks.working_time import WorkingCalendar, calendar_for_team

LONDON = ZoneInfo("Europe/London")

GOV_UK = {
    "england-and-wales": {
        "division": "england-and-wales",
        "events": [
            {"title": "New Year’s Day", "date": "2031-01-01", "notes": "", "bunting": True},
            {"title": "Good Friday", "date": "2031-04-11", "notes": "", "bunting": False},
            {"title": "Boxing Day", "date": "2026-12-28", "notes": "Substitute day", "bunting": True},
        ],
    },
    "scotland": {
        "division": "scotland",
        "events": [{"title": "St Andrew’s Day", "date": "2026-11-30", "notes": "", "bunting": True}],
    },
    "northern-ireland": {"division": "northern-ireland", "events": []},
}


def load(path, *args):
    out = StringIO()
    call_command("load_bank_holidays", str(path), *args, stdout=out)
    return out.getvalue()


class TestTeamCalendar:
    def test_defaults(self, team):
        calendar = TeamCalendar.objects.create(team=team)
        calendar.refresh_from_db()
        assert (calendar.day_starts, calendar.day_ends) == (time(9), time(17))
        assert calendar.working_weekdays == "01234"
        assert calendar.weekdays == frozenset(range(5))
        assert calendar.bank_holiday_division == "england-and-wales"
        assert team.calendar == calendar
        calendar.full_clean()

    def test_day_must_end_after_it_starts(self, team):
        calendar = TeamCalendar(team=team, day_starts=time(17), day_ends=time(9))
        with pytest.raises(ValidationError) as error:
            calendar.full_clean()
        assert "day_ends" in error.value.message_dict

    def test_database_refuses_a_day_ending_before_it_starts(self, team):
        with pytest.raises(IntegrityError), transaction.atomic():
            TeamCalendar.objects.create(team=team, day_starts=time(12), day_ends=time(12))

    @pytest.mark.parametrize("value", ["", "0123456", "56", "0", "135"])
    def test_weekdays_valid(self, value):
        if value:
            validate_weekdays(value)
        else:
            with pytest.raises(ValidationError):
                validate_weekdays(value)

    @pytest.mark.parametrize("value", ["7", "0,1", "Mon", "001", "-1"])
    def test_weekdays_invalid(self, team, value):
        with pytest.raises(ValidationError):
            validate_weekdays(value)
        with pytest.raises(ValidationError) as error:
            TeamCalendar(team=team, working_weekdays=value).full_clean()
        assert "working_weekdays" in error.value.message_dict

    def test_one_calendar_per_team(self, team):
        TeamCalendar.objects.create(team=team)
        with pytest.raises(IntegrityError), transaction.atomic():
            TeamCalendar.objects.create(team=team)


class TestBankHolidayModel:
    def test_unique_per_division_and_date(self, db):
        with pytest.raises(IntegrityError), transaction.atomic():
            BankHoliday.objects.create(date=date(2026, 4, 3), title="Another Good Friday")
        BankHoliday.objects.create(division="scotland", date=date(2026, 4, 3), title="Good Friday")

    def test_ordered_by_date(self, db):
        dates = list(BankHoliday.objects.values_list("date", flat=True))
        assert dates == sorted(dates)


class TestLoadBankHolidaysCommand:
    def test_bundled_file_is_already_loaded_so_nothing_changes(self, db):
        before = BankHoliday.objects.count()
        output = load(BUNDLED_FILE)
        assert "0 added, 0 retitled, 91 already up to date" in output
        assert BankHoliday.objects.count() == before

    def test_our_list_format_and_idempotent(self, db, tmp_path):
        BankHoliday.objects.all().delete()
        path = tmp_path / "holidays.json"
        path.write_text(json.dumps([{"date": "2031-01-01", "title": "New Year's Day"}]))
        assert "1 added" in load(path)
        assert "0 added, 0 retitled, 1 already up to date" in load(path)
        assert list(BankHoliday.objects.values_list("division", "date", "title")) == [
            ("england-and-wales", date(2031, 1, 1), "New Year's Day")
        ]

    def test_reloading_the_bundled_file_after_emptying(self, db):
        count = len(json.loads(BUNDLED_FILE.read_text("utf-8")))
        BankHoliday.objects.all().delete()
        load(BUNDLED_FILE)
        load(BUNDLED_FILE)
        assert BankHoliday.objects.count() == count

    def test_gov_uk_format_upserts_one_division(self, db, tmp_path):
        path = tmp_path / "bank-holidays.json"
        path.write_text(json.dumps(GOV_UK), encoding="utf-8")
        before = BankHoliday.objects.count()
        output = load(path)
        assert "2 added, 1 retitled, 0 already up to date" in output  # 28 Dec 2026 exists, titled differently
        assert BankHoliday.objects.count() == before + 2
        assert BankHoliday.objects.get(date=date(2031, 1, 1)).title == "New Year’s Day"
        assert not BankHoliday.objects.filter(division="scotland").exists()
        load(path)
        assert BankHoliday.objects.count() == before + 2

    def test_gov_uk_format_other_division(self, db, tmp_path):
        path = tmp_path / "bank-holidays.json"
        path.write_text(json.dumps(GOV_UK), encoding="utf-8")
        load(path, "--division", "scotland")
        assert list(BankHoliday.objects.filter(division="scotland").values_list("date", "title")) == [
            (date(2026, 11, 30), "St Andrew’s Day")
        ]

    def test_list_format_with_division(self, db, tmp_path):
        path = tmp_path / "holidays.json"
        path.write_text(json.dumps([{"date": "2026-08-03", "title": "Summer bank holiday"}]))
        load(path, "--division", "scotland")
        assert BankHoliday.objects.filter(division="scotland", date=date(2026, 8, 3)).exists()

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            ("not json", "not valid JSON"),
            ('{"scotland": {"events": []}}', "no 'england-and-wales' division"),
            ('[{"date": "2026-13-01", "title": "x"}]', "Holiday 1"),
            ('[{"date": "2026-01-01"}]', "Holiday 1"),
            ('[{"date": "2026-01-01", "title": " "}]', "no title"),
            ('"a string"', "Expected a JSON list"),
        ],
    )
    def test_bad_files_are_refused_without_changes(self, db, tmp_path, content, message):
        before = BankHoliday.objects.count()
        path = tmp_path / "bad.json"
        path.write_text(content)
        with pytest.raises(CommandError, match=message):
            load(path)
        assert BankHoliday.objects.count() == before

    def test_missing_file(self, db, tmp_path):
        with pytest.raises(CommandError, match="No such file"):
            load(tmp_path / "missing.json")


class TestCalendarForTeam:
    def test_defaults_with_bank_holidays(self, team, django_assert_max_num_queries):
        with django_assert_max_num_queries(2):
            calendar = calendar_for_team(team)
        assert calendar.weekdays == frozenset(range(5))
        assert (calendar.day_starts, calendar.day_ends) == (time(9), time(17))
        assert calendar.tz == LONDON
        assert date(2026, 4, 3) in calendar.holidays
        assert calendar.holidays == frozenset(BankHoliday.objects.values_list("date", flat=True))
        assert calendar == WorkingCalendar.default(calendar.holidays)

    def test_uses_team_overrides(self, team, django_assert_max_num_queries):
        TeamCalendar.objects.create(
            team=team, day_starts=time(8, 30), day_ends=time(16, 30), working_weekdays="0123456"
        )
        team = Team.objects.get(pk=team.pk)  # nothing cached
        with django_assert_max_num_queries(2):
            calendar = calendar_for_team(team)
        assert calendar.weekdays == frozenset(range(7))
        assert (calendar.day_starts, calendar.day_ends) == (time(8, 30), time(16, 30))
        assert date(2026, 4, 3) in calendar.holidays
        # Works Saturdays 08:30-16:30 but not Good Friday.
        start = datetime(2026, 4, 2, 16, tzinfo=LONDON)
        assert calendar.add_working_time(start, timedelta(hours=1)) == datetime(2026, 4, 4, 9, tzinfo=LONDON)

    def test_uses_team_division(self, team):
        BankHoliday.objects.create(division="scotland", date=date(2026, 11, 30), title="St Andrew’s Day")
        TeamCalendar.objects.create(team=team, bank_holiday_division="scotland")
        calendar = calendar_for_team(Team.objects.get(pk=team.pk))
        assert calendar.holidays == frozenset({date(2026, 11, 30)})

    def test_one_query_when_calendar_is_selected(self, team, django_assert_num_queries):
        TeamCalendar.objects.create(team=team, working_weekdays="012")
        team = Team.objects.select_related("calendar").get(pk=team.pk)
        with django_assert_num_queries(1):
            calendar = calendar_for_team(team)
        assert calendar.weekdays == frozenset({0, 1, 2})

    def test_no_team_gives_defaults(self, db):
        assert calendar_for_team(None).weekdays == frozenset(range(5))
