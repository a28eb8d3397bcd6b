"""Trend charts of physical health results (the shared server-rendered SVG charts, each with its
data table): weight, BMI, blood pressure, HbA1c and total cholesterol, with the red-zone lines."""

from waypoint.core.charts import LineChart, Point, ReferenceLine, Series

from . import flags
from .models import Element


def _range(values, low_floor, pad):
    numbers = [float(v) for v in values if v is not None]
    if not numbers:
        return low_floor, low_floor + 10
    low, high = min(numbers), max(numbers)
    return max(low_floor, low - pad), high + pad


def trend_charts(found, *, south_asian_or_chinese=False) -> list[tuple[str, LineChart | None]]:
    """(title, chart or None when nothing is recorded) for each trend, oldest point first."""
    charts: list[tuple[str, LineChart | None]] = []

    def one(title, y_label, element, lines, floor, pad):
        rows = found.get(element, [])
        if not rows:
            charts.append((title, None))
            return
        low, high = _range([r.value for r in rows] + [line.value for line in lines], floor, pad)
        charts.append(
            (
                title,
                LineChart(
                    title=title,
                    y_label=y_label,
                    y_min=low,
                    y_max=high,
                    series=[
                        Series(
                            title, [Point(r.measured_on, float(r.value)) for r in rows if r.value is not None]
                        )
                    ],
                    lines=lines,
                ),
            )
        )

    one("Weight", "kg", Element.WEIGHT, [], 0, 5)
    bmi_line = flags.BMI_THRESHOLD_SOUTH_ASIAN_OR_CHINESE if south_asian_or_chinese else flags.BMI_THRESHOLD
    one("BMI", "BMI", Element.BMI, [ReferenceLine(float(bmi_line), f"Red zone from {bmi_line}")], 10, 3)
    pressures = found.get(Element.BLOOD_PRESSURE, [])
    if pressures:
        low, high = _range([r.value for r in pressures] + [r.value_2 for r in pressures] + [90, 140], 30, 10)
        charts.append(
            (
                "Blood pressure",
                LineChart(
                    title="Blood pressure",
                    y_label="mmHg",
                    y_min=low,
                    y_max=high,
                    series=[
                        Series("Systolic", [Point(r.measured_on, float(r.value)) for r in pressures]),
                        Series("Diastolic", [Point(r.measured_on, float(r.value_2)) for r in pressures]),
                    ],
                    lines=[ReferenceLine(140, "Systolic above 140"), ReferenceLine(90, "Diastolic above 90")],
                ),
            )
        )
    else:
        charts.append(("Blood pressure", None))
    one("HbA1c", "mmol/mol", Element.HBA1C, [ReferenceLine(42, "Red zone from 42")], 0, 5)
    one("Total cholesterol", "mmol/L", Element.TOTAL_CHOLESTEROL, [ReferenceLine(6.0, "Above 6.0")], 0, 1)
    return charts
