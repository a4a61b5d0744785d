"""The chart builders: pure functions from Chart data to a matplotlib Figure (Agg, no Qt)."""

from __future__ import annotations

import math
from datetime import datetime

from crm.services.charts import BUILDERS, chart_figure, render_rgba
from crm.services.report_pdf import cover_figure
from crm.services.reports import CHARTS
from crm.services.reports_data import Chart, Report, Series, period

P = period("12m", datetime(2025, 6, 15, 12))
MONTHS = tuple(f"M{i}" for i in range(12))


def _chart(key: str, labels: tuple[str, ...], *series: Series, headline: str = "3") -> Chart:
    return Chart(key, key.title(), P, labels, series, headline, "things", "how")


def _texts(fig) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]


def test_every_chart_has_a_builder() -> None:
    assert set(BUILDERS) == set(CHARTS)


def test_empty_data_says_no_data_yet_instead_of_an_empty_axis() -> None:
    for key in CHARTS:
        empty = _chart(key, MONTHS, Series("n", (0,) * 12), Series("NPS", (None,) * 12))
        fig = chart_figure(empty)
        assert _texts(fig) == ["No data yet"], key
        assert not fig.axes[0].axison
    assert _texts(chart_figure(_chart("nps", ()))) == ["No data yet"]  # no bars at all


def test_membership_bars_and_running_total() -> None:
    new = Series("new members", (1,) * 12)
    total = Series("members", tuple(range(5, 17)))
    fig = chart_figure(_chart("membership", MONTHS, new, total))
    bars, line = fig.axes[0], fig.axes[1]
    assert [p.get_height() for p in bars.patches] == [1] * 12
    assert list(line.get_lines()[0].get_ydata()) == list(range(5, 17))
    ticks = [t.get_text() for t in bars.get_xticklabels()]
    assert len(ticks) <= 8 and ticks[-1] == "M11"  # readable: a few labels, today's last


def test_nps_gaps_where_no_one_answered() -> None:
    nps = Series("NPS", (10.0, None, -20.0) + (None,) * 9)
    responses = Series("responses", (3, 0, 5) + (0,) * 9)
    fig = chart_figure(_chart("nps", MONTHS, nps, responses))
    line = next(ax for ax in fig.axes if ax.get_lines() and ax.get_ylabel() == "NPS")
    ys = list(line.get_lines()[0].get_ydata())
    assert ys[0] == 10.0 and math.isnan(ys[1]) and ys[2] == -20.0
    assert line.get_ylim() == (-100, 100)


def test_funnel_labels_each_bar_with_its_share_of_the_first() -> None:
    stages = ("identified", "contacted", "interested", "confirmed", "delivered")
    fig = chart_figure(_chart("funnel", stages, Series("cards", (10, 8, 5, 2, 0))))
    assert _texts(fig) == ["10  (100 %)", "8  (80 %)", "5  (50 %)", "2  (20 %)", "0  (0 %)"]
    heights = {t.get_text(): t.get_position()[1] for t in fig.axes[0].get_yticklabels()}
    assert sorted(heights, key=heights.__getitem__, reverse=True) == list(stages)  # top down


def test_render_to_rgba_and_the_cover() -> None:
    fig = chart_figure(_chart("active", ("a", "b"), Series("members", (3, 4))), 4, 2, dpi=50)
    data, width, height = render_rgba(fig)
    assert (width, height) == (200, 100) and len(data) == 200 * 100 * 4
    report = Report(P, datetime(2025, 6, 15, 12), (_chart("active", ("a",), Series("m", (1,))),))
    texts = _texts(cover_figure(report))
    assert "Community report" in texts and "15 June 2025" in " ".join(texts)
    assert "Last 12 months: 1 Jul 2024 – 15 Jun 2025" in texts
