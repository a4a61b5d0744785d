"""The NPS / CSAT trend as a matplotlib Figure, built by a pure function from the scores.

matplotlib is imported when a chart is first drawn, not when the app starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from crm.services.feedback_scores import MonthScore

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def month_range(first: str, last: str) -> list[str]:
    """Every month from first to last ("2025-11", "2025-12", "2026-01", …)."""
    y, m = map(int, first.split("-"))
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def trend_figure(months: Sequence[MonthScore], scale: str) -> Figure:
    """Bars of responses per month under the line of the month's NPS or CSAT. Months
    without responses keep their place on the axis (no bar, a gap in the line), so a
    quiet half-year does not look like one step."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5, 2.2), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    by_month = {m.month: m.score for m in months}
    labels = month_range(months[0].month, months[-1].month) if months else []
    scores = [by_month.get(label) for label in labels]
    values = [float("nan") if s is None or s.value is None else s.value for s in scores]
    counts = [0 if s is None else s.responses for s in scores]
    xs = list(range(len(labels)))
    bars = ax.twinx()
    bars.bar(xs, counts, color="#e5e7eb", width=0.7)
    bars.set_ylabel("responses", fontsize=8, color="#6b7280")
    bars.tick_params(labelsize=7, colors="#6b7280")
    ax.set_zorder(bars.get_zorder() + 1)
    ax.patch.set_visible(False)
    ax.plot(xs, values, color="#2563eb", marker="o", markersize=3, linewidth=1.6)
    if scale == "nps":
        ax.set_ylim(-100, 100)
        ax.axhline(0, color="#9ca3af", linewidth=0.8)
        ax.set_ylabel("NPS", fontsize=8)
    else:
        ax.set_ylim(0, 100)
        ax.set_ylabel("CSAT %", fontsize=8)
    step = max(1, len(xs) // 8)
    ax.set_xticks(xs[::step], labels[::step], fontsize=7)
    ax.tick_params(axis="y", labelsize=7)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig
