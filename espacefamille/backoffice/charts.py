"""Bar charts drawn on the server as inline SVG: no script, no CDN, nothing for the CSP to allow.

The chart is an image for assistive technologies (``role="img"`` named by its ``<title>``), each
bar carries its own ``<title>`` (shown as a tooltip on hover), and the page puts the same figures
in a data table next to it, which is what a screen reader reads. Colours come from classes
styled in ``dashboard.css`` (no ``style`` attribute: the CSP forbids inline styles)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Number = int | Decimal

WIDTH = 720
HEIGHT = 260
TOP = 34  # room for the legend and the largest value
BOTTOM = 28  # room for the labels under the bars
LEFT = 8
RIGHT = 8


@dataclass(frozen=True)
class Series:
    """One set of bars: ``values`` in the order of the chart's labels."""

    name: str
    values: Sequence[Number]
    css_class: str = "chart-bar"


def _scale_top(series: Sequence[Series], maximum: Number | None) -> Number:
    if maximum is not None:
        return maximum
    return max((value for item in series for value in item.values), default=0) or 1


def bar_chart(
    *,
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    format_value: Callable[[Number], str] = str,
    maximum: Number | None = None,
    label_every: int = 1,
) -> SafeString:
    """Vertical bars, grouped by label when there are several series. ``maximum`` fixes the top
    of the scale (100 for percentages), otherwise the largest value is. ``label_every`` writes
    one label in so many under the bars when they are too many to label each."""
    if any(len(item.values) != len(labels) for item in series):
        raise ValueError("Each series needs one value per label.")
    top = _scale_top(series, maximum)
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    bar_width = slot * 0.8 / max(len(series), 1)
    title_id = f"{chart_id}-title"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{escape(title_id)}">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
    ]
    if len(series) > 1:
        parts.extend(_legend(series))
    baseline = TOP + plot_height
    parts.append(
        f'<line class="chart-axis" x1="{LEFT}" y1="{baseline}" x2="{WIDTH - RIGHT}" '
        f'y2="{baseline}"/>'
    )
    parts.append(
        f'<text class="chart-scale" x="{WIDTH - RIGHT}" y="{TOP - 6}" text-anchor="end">'
        f"max. {escape(format_value(top))}</text>"
    )
    for index, label in enumerate(labels):
        left = LEFT + index * slot + slot * 0.1
        for position, item in enumerate(series):
            value = item.values[index]
            height = round(float(value) / float(top) * plot_height, 1) if value > 0 else 0
            height = min(height, plot_height)
            parts.append(
                f'<rect class="{escape(item.css_class)}" x="{left + position * bar_width:.1f}" '
                f'y="{baseline - height:.1f}" width="{bar_width:.1f}" height="{height:.1f}">'
                f"<title>{escape(_bar_title(label, item, value, len(series), format_value))}"
                "</title></rect>"
            )
        if index % label_every == 0:
            parts.append(
                f'<text class="chart-label" x="{LEFT + index * slot + slot / 2:.1f}" '
                f'y="{HEIGHT - 8}" text-anchor="middle">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped


LABEL_WIDTH = 210  # room for a product's name left of its bars
BAR_HEIGHT = 16
GROUP_GAP = 10


def horizontal_bar_chart(
    *,
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    format_value: Callable[[Number], str] = str,
    maximum: Number | None = None,
) -> SafeString:
    """Horizontal bars, one group per label, for long names (the products): the label on the
    left, each bar followed by its value. The chart grows with the labels."""
    if any(len(item.values) != len(labels) for item in series):
        raise ValueError("Each series needs one value per label.")
    top = _scale_top(series, maximum)
    group_height = BAR_HEIGHT * len(series) + GROUP_GAP
    legend = 28 if len(series) > 1 else 0
    height = legend + group_height * len(labels) + 4
    plot_width = WIDTH - LABEL_WIDTH - 90  # room for the value after the longest bar
    title_id = f"{chart_id}-title"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{escape(title_id)}">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
    ]
    if len(series) > 1:
        parts.extend(_legend(series))
    for index, label in enumerate(labels):
        group_top = legend + index * group_height
        parts.append(
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" '
            f'y="{group_top + BAR_HEIGHT * len(series) / 2 + 4:.1f}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        for position, item in enumerate(series):
            value = item.values[index]
            width = round(float(value) / float(top) * plot_width, 1) if value > 0 else 0
            width = min(width, plot_width)
            bar_top = group_top + position * BAR_HEIGHT
            parts.append(
                f'<rect class="{escape(item.css_class)}" x="{LABEL_WIDTH}" y="{bar_top}" '
                f'width="{width:.1f}" height="{BAR_HEIGHT - 2}">'
                f"<title>{escape(_bar_title(label, item, value, len(series), format_value))}"
                "</title></rect>"
                f'<text class="chart-scale" x="{LABEL_WIDTH + width + 4:.1f}" '
                f'y="{bar_top + BAR_HEIGHT - 4}">{escape(format_value(value))}</text>'
            )
    parts.append(
        f'<line class="chart-axis" x1="{LABEL_WIDTH}" y1="{legend}" x2="{LABEL_WIDTH}" '
        f'y2="{height - 4}"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped


def _bar_title(
    label: str, item: Series, value: Number, count: int, format_value: Callable[[Number], str]
) -> str:
    name = f" — {item.name}" if count > 1 else ""
    return f"{label}{name} : {format_value(value)}"


def _legend(series: Sequence[Series]) -> list[str]:
    parts = []
    for position, item in enumerate(series):
        left = LEFT + position * 180
        parts.append(
            f'<rect class="{escape(item.css_class)}" x="{left}" y="6" width="14" height="14"/>'
            f'<text class="chart-legend" x="{left + 20}" y="18">{escape(item.name)}</text>'
        )
    return parts
