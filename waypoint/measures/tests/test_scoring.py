"""Scoring against the publishers' rules and worked examples, and property tests over every measure."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given, settings
from hypothesis import strategies as st

from waypoint.measures import licences, scoring
from waypoint.measures.definitions import build
from waypoint.measures.definitions.builtin import BUILT_IN, CORE10, DIALOG, GAD7, GBO, PHQ9
from waypoint.measures.definitions.licensed import HONOS, PACKS, REQOL10, SWEMWBS, SWEMWBS_METRIC

ALL = [build(m) for m in BUILT_IN] + [build(m) for pack in PACKS.values() for m in pack]


def answers_summing_to(defn, total):
    """Answers (item order) adding up to `total`, filling each item to its highest in turn."""
    answers = {}
    for item in defn.items:
        value = min(item.highest, total)
        answers[item.key] = value
        total -= value
    assert total == 0
    return answers


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "Minimal"), (4, "Minimal"), (5, "Mild"), (9, "Mild"), (10, "Moderate"), (14, "Moderate"),
     (15, "Moderately severe"), (19, "Moderately severe"), (20, "Severe"), (27, "Severe")],
)  # fmt: skip
def test_phq9_bands_at_5_10_15_20(total, band):
    defn = build(PHQ9)
    result = scoring.score(defn, answers_summing_to(defn, total))
    assert result.total == total and result.band == band and not result.prorated
    assert defn.in_clinical_range(result.total) is (total >= 10)


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "Minimal"), (4, "Minimal"), (5, "Mild"), (9, "Mild"), (10, "Moderate"), (14, "Moderate"),
     (15, "Severe"), (21, "Severe")],
)  # fmt: skip
def test_gad7_bands_at_5_10_15(total, band):
    defn = build(GAD7)
    result = scoring.score(defn, answers_summing_to(defn, total))
    assert (result.total, result.band) == (total, band)


def test_phq9_and_gad7_need_every_item():
    defn = build(PHQ9)
    answers = answers_summing_to(defn, 12)
    answers["4"] = None
    result = scoring.score(defn, answers)
    assert result.total is None and result.missing == ("4",) and result.band == ""


# CORE-10 worked example: items 2 and 3 are reverse-scored (4 - answer).
CORE_ANSWERS = {"1": 3, "2": 0, "3": 1, "4": 2, "5": 1, "6": 0, "7": 3, "8": 2, "9": 3, "10": 1}


def test_core10_clinical_score_is_the_total_when_complete():
    result = scoring.score(build(CORE10), CORE_ANSWERS)
    # 3 + (4-0) + (4-1) + 2 + 1 + 0 + 3 + 2 + 3 + 1 = 22; mean 2.2 x 10 = 22.0
    assert result.raw == 22 and result.total == Decimal("22.0") and not result.prorated
    assert result.band == "Moderately severe"


def test_core10_prorates_one_missing_item():
    answers = {**CORE_ANSWERS, "10": None}
    result = scoring.score(build(CORE10), answers)
    # 21 over 9 items: mean 2.333 x 10 = 23.3
    assert result.total == Decimal("23.3") and result.prorated and result.missing == ("10",)


def test_core10_two_missing_items_cannot_be_scored():
    result = scoring.score(build(CORE10), {**CORE_ANSWERS, "9": None, "10": None})
    assert result.total is None


@pytest.mark.parametrize(
    ("total", "band", "clinical"),
    [(10, "Below the clinical range", False), (11, "Mild", True), (14, "Mild", True), (15, "Moderate", True),
     (19, "Moderate", True), (20, "Moderately severe", True), (24, "Moderately severe", True),
     (25, "Severe", True), (40, "Severe", True)],
)  # fmt: skip
def test_core10_cut_off_11_and_bands(total, band, clinical):
    defn = build(CORE10)
    result = scoring.score(
        defn, {**{k: 0 for k in "1 4 5 6 7 8 9 10".split()}, "2": 4, "3": 4, **_spread(total)}
    )
    assert result.total == total and result.band == band
    assert defn.in_clinical_range(result.total) is clinical


def _spread(total):
    """CORE-10 answers adding to `total`: the reverse items first (answer 4 scores 0)."""
    answers = {}
    for key in ["2", "3"]:
        part = min(4, total)
        answers[key] = 4 - part
        total -= part
    for key in ["1", "4", "5", "6", "7", "8", "9", "10"]:
        part = min(4, total)
        answers[key] = part
        total -= part
    return answers


def test_core10_item_text_is_unaltered_with_attribution():
    defn = build(CORE10)
    assert defn.item("6").text == "I made plans to end my life" and defn.item("6").safety
    assert defn.item("2").reverse and defn.item("3").reverse
    assert "CORE System Trust" in defn.attribution and not defn.item_text_is_short_name


def test_dialog_means():
    defn = build(DIALOG)
    life = [4, 5, 3, 6, 2, 4, 5, 3]  # 32 / 8 = 4.00
    treatment = [5, 6, 4]  # 15 / 3 = 5.00
    answers = dict(zip([i.key for i in defn.items], life + treatment, strict=True))
    result = scoring.score(defn, answers)
    assert result.subscales == {"quality_of_life": Decimal("4.00"), "treatment": Decimal("5.00")}
    assert result.total == Decimal("4.00")


def test_dialog_means_round_half_up():
    defn = build(DIALOG)
    answers = dict(zip([i.key for i in defn.items], [7, 7, 7, 7, 7, 7, 7, 6, 1, 1, 2], strict=True))
    result = scoring.score(defn, answers)
    assert result.subscales["quality_of_life"] == Decimal("6.88")  # 55 / 8 = 6.875
    assert result.subscales["treatment"] == Decimal("1.33")


def test_goal_based_outcomes_mean_of_the_goals_rated():
    defn = build(GBO)
    assert scoring.score(defn, {"goal_1": 3, "goal_2": 6}).total == Decimal("4.5")
    assert scoring.score(defn, {"goal_1": 7}).total == Decimal("7.0")
    assert scoring.score(defn, {}).total is None


def test_honos_not_known_is_excluded_from_total_and_subscales():
    defn = build(HONOS)
    answers = {str(n): 2 for n in range(1, 13)}
    answers["3"] = 9
    result = scoring.score(defn, answers)
    assert result.total == 22 and not result.prorated and result.not_known == ("3",)
    assert result.subscales == {"behaviour": 4, "impairment": 4, "symptoms": 6, "social": 8}


def test_honos_all_not_known_cannot_be_scored():
    result = scoring.score(build(HONOS), {str(n): 9 for n in range(1, 13)})
    assert result.total is None


@pytest.mark.parametrize(
    ("raw", "metric"), [(7, "7.00"), (14, "15.32"), (21, "19.25"), (23, "20.73"), (35, "35.00")]
)
def test_swemwbs_raw_to_metric_table(raw, metric):
    defn = build(SWEMWBS)
    answers = {}
    rest = raw - 7
    for item in defn.items:
        extra = min(4, rest)
        answers[item.key] = 1 + extra
        rest -= extra
    result = scoring.score(defn, answers)
    assert result.raw == raw and result.total == Decimal(metric)


def test_swemwbs_table_covers_every_raw_score_and_rises():
    values = [Decimal(SWEMWBS_METRIC[raw]) for raw in range(7, 36)]
    assert values == sorted(values) and len(set(values)) == 29


def test_reqol10_cut_off_below_25_is_clinical():
    defn = build(REQOL10)
    assert defn.in_clinical_range(Decimal(24)) is True and defn.in_clinical_range(Decimal(25)) is False


def test_an_answer_outside_the_options_is_refused():
    with pytest.raises(scoring.InvalidAnswer):
        scoring.score(build(PHQ9), {"1": 4})


@pytest.mark.parametrize(
    ("measure", "baseline", "now", "words"),
    [
        (PHQ9, 18, 12, "reliably improved"),
        (PHQ9, 18, 13, "no reliable change"),
        (PHQ9, 10, 16, "reliably deteriorated"),
        (GAD7, 15, 11, "reliably improved"),
        (CORE10, "22.0", "16.0", "reliably improved"),
        (DIALOG, "3.50", "4.50", "reliably improved"),
        (DIALOG, "4.00", "3.13", "no reliable change"),
        (GBO, "2.0", "5.0", "reliably improved"),
        (REQOL10, 20, 15, "reliably deteriorated"),
    ],
)
def test_reliable_change_in_words(measure, baseline, now, words):
    change = scoring.change_since(build(measure), Decimal(str(baseline)), Decimal(str(now)))
    assert change.words == words


def test_safety_items_prompt_when_above_zero():
    defn = build(PHQ9)
    assert [i.key for i in scoring.safety_items_answered(defn, {"9": 1})] == ["9"]
    assert scoring.safety_items_answered(defn, {"9": 0}) == []
    assert [i.key for i in scoring.safety_items_answered(build(CORE10), {"6": 2})] == ["6"]


@st.composite
def answer_sets(draw, defn):
    keys = [item.key for item in defn.items]
    dropped = set(draw(st.lists(st.sampled_from(keys), max_size=defn.max_missing + 1, unique=True)))
    return {
        item.key: None if item.key in dropped else draw(st.sampled_from([o.value for o in item.options]))
        for item in defn.items
    }


@pytest.mark.parametrize("defn", ALL, ids=lambda d: d.code)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_totals_stay_in_range(defn, data):
    answers = data.draw(answer_sets(defn))
    result = scoring.score(defn, answers)
    if result.total is not None:
        assert defn.lowest <= result.total <= defn.highest
        assert result.band == defn.band_for(result.total)
    for value in result.subscales.values():
        assert value is None or value >= 0
    unscored = len(result.missing) + len(result.not_known)
    if unscored > defn.max_missing:
        assert result.total is None


# -- Licensed packs --------------------------------------------------------------------------


def test_licensed_packs_are_off_by_default(settings):
    settings.WAYPOINT_MEASURE_LICENCES = ""
    codes = set(licences.definitions())
    assert codes == {"phq9", "gad7", "core10", "dialog", "gbo"}


def test_a_pack_is_switched_on_by_naming_its_licence(settings):
    settings.WAYPOINT_MEASURE_LICENCES = "honos=RCPsych licence 2026/0142 (synthetic), swemwbs=WB-5531"
    defs = licences.definitions()
    assert {"honos", "swemwbs"} <= set(defs) and "reqol10" not in defs
    assert licences.licence_for(defs["honos"]) == "RCPsych licence 2026/0142 (synthetic)"
    assert defs["honos"].item("7").text == "Problems with depressed mood"  # short name only


@pytest.mark.parametrize(
    "raw", ["honos", "honos=", "phq9=free", "honos=a, honos=b", "made-up=123", "=licence"]
)
def test_bad_licence_settings_are_refused(raw):
    with pytest.raises(ImproperlyConfigured):
        licences.parse_licences(raw)


def test_full_item_text_comes_from_the_trusts_file(settings, tmp_path):
    path = tmp_path / "items.json"
    path.write_text(json.dumps({"swemwbs": {"1": "Synthetic licensed wording one"}}))
    settings.WAYPOINT_MEASURE_LICENCES = "swemwbs=WB-5531"
    settings.WAYPOINT_MEASURE_ITEM_TEXT = str(path)
    defn = licences.definitions()["swemwbs"]
    assert (
        defn.item("1").text == "Synthetic licensed wording one"
        and defn.item("1").short == "Optimistic about the future"
    )


@pytest.mark.parametrize(
    "content",
    [
        {"honos": {"1": "x"}},  # pack not switched on
        {"swemwbs": {"99": "x"}},  # no such item
        {"swemwbs": {"1": ""}},  # empty text
        ["not", "an", "object"],
    ],
)
def test_a_bad_item_text_file_is_refused(tmp_path, content):
    path = tmp_path / "items.json"
    path.write_text(json.dumps(content))
    with pytest.raises(ImproperlyConfigured):
        licences.load("swemwbs=WB-5531", str(path))


def test_no_licensed_item_text_in_the_repository():
    for pack in PACKS.values():
        for measure in pack:
            assert all("text" not in item for item in measure["items"]), measure["code"]
