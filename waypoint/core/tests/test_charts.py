"""Server-rendered charts: the same figures in the table as in the SVG, safe with any text."""

from datetime import date

from django.template import engines
from hypothesis import given
from hypothesis import strategies as st

from waypoint.core.charts import Bar, BarChart, LineChart, Point, ReferenceLine, Series


def render(chart):
    template = engines["jinja2"].from_string(
        '{% from "macros/chart.jinja" import chart as c %}{{ c(chart) }}'
    )
    return template.render({"chart": chart})


def phq9():
    return LineChart(
        title="PHQ-9 total",
        y_label="Score",
        y_min=0,
        y_max=27,
        series=[
            Series(
                "PHQ-9",
                [
                    Point(date(2026, 1, 5), 18),
                    Point(date(2026, 2, 2), None),
                    Point(date(2026, 3, 2), 9, mark="Reliable change"),
                ],
            )
        ],
        lines=[ReferenceLine(10, "Clinical cut-off (10)")],
    )


def test_a_line_chart_has_a_title_a_description_and_a_table_with_the_same_figures():
    chart = phq9()
    html = render(chart)
    assert 'role="img"' in html
    assert "<title" in html and "PHQ-9 total" in html
    assert "Clinical cut-off (10)" in html  # the reference line is labelled in words
    assert str(chart.svg()).count("<circle") == 2  # the gap (None) has no marker
    assert "<polyline" in html
    assert "18</td>" in html
    assert "9 (Reliable change)</td>" in html
    assert "–</td>" in html  # no value on 2 February
    assert "2 Feb 2026" in html


def test_text_in_a_chart_is_escaped():
    chart = LineChart(
        title="<script>alert(1)</script>",
        y_label="a & b",
        y_min=0,
        y_max=10,
        series=[Series("<b>x</b>", [Point(date(2026, 1, 1), 3, mark="<i>")])],
    )
    html = render(chart)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>x</b>" not in html and "<i>" not in html


def test_one_date_and_no_points_draw_without_error():
    single = LineChart("One", "Score", 0, 10, [Series("S", [Point(date(2026, 1, 1), 4)])])
    assert "<circle" in render(single)
    empty = LineChart("None", "Score", 0, 10, [Series("S", [])])
    assert "<svg" in render(empty)


def test_a_bar_chart_has_one_bar_per_value_and_the_table():
    chart = BarChart(
        "Referrals by source",
        ["Referrals"],
        [Bar("GP", [12]), Bar("Self-referral", [3]), Bar("Crisis team", [None])],
    )
    html = render(chart)
    assert html.count("<rect") >= 3
    assert '<th scope="row" class="nhsuk-table__header">GP</th>' in html
    assert "12</td>" in html


@given(
    values=st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6)), min_size=0, max_size=30),
    y_max=st.floats(1, 100),
)
def test_points_outside_the_range_are_kept_on_the_plot(values, y_max):
    points = [Point(date(2026, 1, 1 + i % 28), v) for i, v in enumerate(values)]
    chart = LineChart("Any", "Value", 0, y_max, [Series("S", points)])
    svg = str(chart.svg())
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "nan" not in svg.lower()
