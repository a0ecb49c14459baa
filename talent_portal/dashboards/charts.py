"""Charts drawn on the server as SVG: no script, no inline style (the CSP allows neither).

Colours are SVG presentation attributes (``fill``), which the CSP does not treat as styles.
Each chart is decorative for screen readers' purposes (``aria-hidden``): the same numbers are in
the table that follows it.
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .statistics import PersonLabel, Table

PALETTE = ("#8c1c1c", "#1f5f8b", "#4d7c0f", "#b45309", "#6b21a8")
BAR_HEIGHT = 18
BAR_GAP = 6
LABEL_WIDTH = 260
PLOT_WIDTH = 420
VALUE_WIDTH = 70
COLUMN_PLOT_HEIGHT = 180


def _number(value) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _short(label: str, limit: int = 42) -> str:
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _label(value):
    """A row's label for the chart: a person's name in it marked ``translate="no"``."""
    if isinstance(value, PersonLabel):
        return format_html('<tspan translate="no">{}</tspan> · {}', value.person, _short(value.rest, 20))
    return _short(value)


def bar_chart(table: Table) -> SafeString:
    """One horizontal bar per row, for the number in ``table.chart_column``."""
    values = [_number(row[table.chart_column]) for row in table.rows]
    top = max(values, default=0) or 1
    height = len(values) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    parts = []
    for index, (row, value) in enumerate(zip(table.rows, values, strict=True)):
        y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        bar = round(PLOT_WIDTH * value / top, 1)
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="#212529">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}" font-size="12" fill="#212529">{}</text>',
                LABEL_WIDTH - 8,
                y + BAR_HEIGHT - 5,
                _label(row[0]),
                LABEL_WIDTH,
                y,
                bar,
                BAR_HEIGHT,
                PALETTE[0],
                LABEL_WIDTH + bar + 6,
                y + BAR_HEIGHT - 5,
                row[table.chart_column],
            )
        )
    return _svg(width, height, mark_safe("".join(parts)))  # noqa: S308 - every part is format_html


def column_chart(table: Table) -> SafeString:
    """A time series: one group of columns per row, one colour per number column, with a legend."""
    series = table.columns[1:]
    count = len(table.rows)
    values = [[_number(value) for value in row[1:]] for row in table.rows]
    top = max((value for row in values for value in row), default=0) or 1
    group_width = max(12, min(60, 720 // max(count, 1)))
    column_width = max(2, (group_width - 4) / len(series))
    left, legend_height = 40, 24
    width = left + group_width * count + 10
    height = legend_height + COLUMN_PLOT_HEIGHT + 40
    baseline = legend_height + COLUMN_PLOT_HEIGHT
    parts = [
        format_html(
            '<rect x="{}" y="6" width="10" height="10" fill="{}"></rect>'
            '<text x="{}" y="15" font-size="12" fill="#212529">{}</text>',
            left + index * 150,
            PALETTE[index % len(PALETTE)],
            left + index * 150 + 14,
            name,
        )
        for index, name in enumerate(series)
    ]
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#6c757d"></line>'
            '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#212529">{}</text>'
            '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#212529">0</text>',
            left,
            baseline,
            width,
            baseline,
            left - 4,
            legend_height + 10,
            int(top) if float(top).is_integer() else top,
            left - 4,
            baseline,
        )
    )
    label_every = max(1, count // 12)
    for index, (row, numbers) in enumerate(zip(table.rows, values, strict=True)):
        x0 = left + index * group_width + 2
        for position, value in enumerate(numbers):
            column = round(COLUMN_PLOT_HEIGHT * value / top, 1)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>',
                    round(x0 + position * column_width, 1),
                    round(baseline - column, 1),
                    round(column_width, 1),
                    column,
                    PALETTE[position % len(PALETTE)],
                )
            )
        if index % label_every == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="10" fill="#212529">{}</text>',
                    x0,
                    baseline + 14,
                    row[0],
                )
            )
    return _svg(width, height, mark_safe("".join(parts)))  # noqa: S308 - every part is format_html


def _svg(width, height, body) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="portal-chart" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" aria-hidden="true" focusable="false">{}</svg>',
        width,
        height,
        body,
    )


def chart_for(table: Table) -> SafeString:
    """The chart a table asks for, or an empty string for a table without one (or without rows)."""
    if not table.rows or not table.chart:
        return mark_safe("")  # noqa: S308 - a constant
    return column_chart(table) if table.chart == "columns" else bar_chart(table)


__all__ = ["bar_chart", "chart_for", "column_chart"]
