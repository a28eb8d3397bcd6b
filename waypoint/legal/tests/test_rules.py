"""The rules are data: a section 3 follows the rules in force on the day it started."""

import datetime

import pytest

from waypoint.legal import rules
from waypoint.legal.models import RuleSet

D = datetime.date
COMMENCEMENT = D(2027, 4, 1)


@pytest.fixture
def commenced(db):
    """The Trust sets the MHA 2025 section 3 and nominated person commencement dates."""
    RuleSet.objects.filter(code__in=["mha-2025-section-3-periods", "mha-2025-nominated-person"]).update(
        commences_on=COMMENCEMENT
    )


def test_add_months_keeps_the_day_or_takes_the_last_of_a_short_month():
    assert rules.add_months(D(2026, 1, 15), 6) == D(2026, 7, 15)
    assert rules.add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert rules.add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)
    assert rules.period_end(D(2026, 1, 1), 6) == D(2026, 6, 30)
    assert rules.period_end(D(2027, 3, 31), 6) == D(2027, 9, 30)  # no 31 September


@pytest.mark.django_db
def test_mha_2025_is_not_in_force_until_the_trust_sets_a_date():
    rule = rules.section_rule("3", D(2030, 1, 1))
    assert rule.ruleset.code == "mha-1983"
    assert (rule.first_months, rule.renewal_months, rule.then_every_months) == (6, [6], 12)
    assert rules.term("relative", D(2030, 1, 1)) == "nearest relative"


@pytest.mark.django_db
def test_section_3_started_before_commencement_keeps_6_6_12(commenced):
    start = COMMENCEMENT - datetime.timedelta(days=1)  # 31 March 2027
    rule = rules.section_rule("3", start)
    assert rule.ruleset.code == "mha-1983"
    expires, _ = rules.first_expiry(rule, start)
    assert expires == D(2027, 9, 30)
    first = rules.renewed_expiry(rule, expires, 1)
    assert first == D(2028, 3, 31)  # 6 months
    second = rules.renewed_expiry(rule, first, 2)
    assert second == D(2029, 3, 31)  # then 12 months
    assert rules.renewed_expiry(rule, second, 3) == D(2030, 3, 31)
    assert rules.term("relative", start) == "nearest relative"


@pytest.mark.django_db
def test_section_3_started_on_commencement_is_3_3_6_then_yearly(commenced):
    rule = rules.section_rule("3", COMMENCEMENT)
    assert rule.ruleset.code == "mha-2025-section-3-periods"
    expires, _ = rules.first_expiry(rule, COMMENCEMENT)
    assert expires == D(2027, 6, 30)  # 3 months
    first = rules.renewed_expiry(rule, expires, 1)
    assert first == D(2027, 9, 30)  # 3 months
    second = rules.renewed_expiry(rule, first, 2)
    assert second == D(2028, 3, 31)  # 6 months
    third = rules.renewed_expiry(rule, second, 3)
    assert third == D(2029, 3, 31)  # then yearly
    assert rules.term("relative", COMMENCEMENT) == "nominated person"


@pytest.mark.django_db
def test_sections_the_new_rules_do_not_redefine_come_from_1983(commenced):
    rule = rules.section_rule("17A", COMMENCEMENT)
    assert rule.ruleset.code == "mha-1983" and rule.rights_section == "132A"
    codes = {r.code: r.ruleset.code for r in rules.sections_in_force(COMMENCEMENT)}
    assert codes["3"] == "mha-2025-section-3-periods" and codes["2"] == "mha-1983"


@pytest.mark.django_db
def test_a_date_before_the_act_has_no_sections():
    assert rules.section_rule("3", D(1980, 1, 1)) is None


@pytest.mark.django_db
def test_hours_and_days():
    s2 = rules.section_rule("2", D(2026, 1, 1))
    assert rules.first_expiry(s2, D(2026, 1, 1))[0] == D(2026, 1, 28)
    s52 = rules.section_rule("5(2)", D(2026, 1, 1))
    assert rules.first_expiry(s52, D(2026, 1, 1)) == (None, None)
    expires_on, expires_at = rules.first_expiry(s52, D(2026, 1, 1), datetime.time(22, 0))
    assert expires_on == D(2026, 1, 4) and expires_at.hour == 22
    assert (
        rules.describe_length(rules.section_rule("3", D(2026, 1, 1)))
        == "6 + 6 months, then 12 months at a time"
    )
