"""A report's chart from its table, drawn with the shared SVG charts (core/charts.py, ADR 0007)."""

from datetime import date

from waypoint.core.charts import Bar, BarChart, LineChart, Point, Series

from .registry import Table


def _number(value):
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def chart_for(title: str, table: Table):
    spec = table.chart
    if spec is None or not table.rows:
        return None
    rows = table.rows[:-1] if spec.leave_out_last_row else table.rows
    columns = [table.columns.index(name) for name in spec.series if name in table.columns]
    if spec.kind == "line":
        series = [
            Series(table.columns[i], [Point(date.fromisoformat(row[0]), _number(row[i])) for row in rows])
            for i in columns
        ]
        largest = max((_number(row[i]) or 0 for row in rows for i in columns), default=0)
        return LineChart(title=title, y_label=spec.y_label, y_min=0, y_max=max(largest, 1), series=series)
    bars = [
        Bar(" ".join(str(part) for part in row[: spec.label_columns]), [_number(row[i]) for i in columns])
        for row in rows
    ]
    return BarChart(
        title=title, series_names=[table.columns[i] for i in columns], bars=bars, x_label=spec.y_label
    )
