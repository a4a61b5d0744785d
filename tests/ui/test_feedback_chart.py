"""The trend chart is a pure function of the monthly scores (no Qt, no database)."""

from __future__ import annotations

import math

from crm.services.feedback_scores import MonthScore, Score
from crm.ui.feedback.chart import month_range, trend_figure


def test_month_range_crosses_the_year() -> None:
    assert month_range("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert month_range("2026-03", "2026-03") == ["2026-03"]


def test_quiet_months_keep_their_place_with_a_gap_in_the_line() -> None:
    months = [
        MonthScore("2025-07", Score("nps", 10, 5, 2)),
        MonthScore("2025-10", Score("nps", 4, 4, 0)),
    ]
    fig = trend_figure(months, "nps")
    line = fig.axes[0].get_lines()[0]
    values = list(line.get_ydata())
    assert len(values) == 4  # July, August, September, October
    assert values[0] == 30.0 and values[3] == 100.0
    assert math.isnan(values[1]) and math.isnan(values[2])
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels[0] == "2025-07" and labels[-1] == "2025-10"
