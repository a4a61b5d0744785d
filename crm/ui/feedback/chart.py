"""The NPS / CSAT trend as a matplotlib Figure, built by a pure function from the scores
(no Qt, no pyplot), so that it can be built and drawn on a worker thread by the shared
chart widget (crm.ui.widgets.chart_image, through crm.ui.feedback.trend_view).

matplotlib is imported when a chart is first drawn, not when the app starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from crm.services.chart_drawing import ChartColors
from crm.services.feedback_scores import MonthScore

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["ChartColors", "month_range", "trend_figure"]


def month_range(first: str, last: str) -> list[str]:
    """Every month from first to last ("2025-11", "2025-12", "2026-01", …)."""
    y, m = map(int, first.split("-"))
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def trend_figure(
    months: Sequence[MonthScore],
    scale: str,
    colors: ChartColors | None = None,
    size: tuple[float, float] = (5, 2.2),
    dpi: float = 100,
) -> Figure:
    """Bars of responses per month under the line of the month's NPS or CSAT. Months
    without responses keep their place on the axis (no bar, a gap in the line), so a
    quiet half-year does not look like one step."""
    from matplotlib.figure import Figure

    c = colors or ChartColors()
    fig = Figure(figsize=size, dpi=dpi, layout="constrained", facecolor=c.face)
    ax = fig.add_subplot()
    by_month = {m.month: m.score for m in months}
    labels = month_range(months[0].month, months[-1].month) if months else []
    scores = [by_month.get(label) for label in labels]
    values = [float("nan") if s is None or s.value is None else s.value for s in scores]
    counts = [0 if s is None else s.responses for s in scores]
    xs = list(range(len(labels)))
    bars = ax.twinx()
    bars.set_facecolor(c.face)  # the plot area too: white would glare on a dark palette
    bars.bar(xs, counts, color=c.bars, width=0.7)
    bars.set_ylabel("responses", fontsize=9, color=c.muted)
    bars.tick_params(labelsize=8, colors=c.muted)
    ax.set_zorder(bars.get_zorder() + 1)
    ax.patch.set_visible(False)
    ax.plot(xs, values, color=c.line, marker="o", markersize=3, linewidth=1.6)
    if scale == "nps":
        ax.set_ylim(-100, 100)
        ax.axhline(0, color=c.rule, linewidth=0.8)
        ax.set_ylabel("NPS", fontsize=9, color=c.text)
    else:
        ax.set_ylim(0, 100)
        ax.set_ylabel("CSAT %", fontsize=9, color=c.text)
    # about one label per 80 pixels of width, so that month labels never overlap
    step = max(1, -(-len(xs) // max(2, int(size[0] * 100 / 80))))
    ax.set_xticks(xs[::step], labels[::step], fontsize=8)
    ax.tick_params(axis="both", labelsize=8, colors=c.text)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(c.rule)
    for side in ("top", "left", "bottom"):
        bars.spines[side].set_visible(False)
    bars.spines["right"].set_color(c.rule)
    return fig
