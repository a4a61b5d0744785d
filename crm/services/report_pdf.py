"""The stakeholder report: a PDF with a cover of headline numbers, then one chart a page.

matplotlib's PdfPages (no other dependency) draws the same Figures as the dashboard
(crm.services.charts). The file is made in memory and written atomically: a failed
or cancelled report leaves the old file, or none, never half a PDF.
"""

from __future__ import annotations

import io
import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from crm.services.chart_drawing import load_matplotlib
from crm.services.charts import BLUE, DRAWING, GREY, INK, chart_figure, new_figure
from crm.services.common import ServiceError
from crm.services.io.atomic import write_atomic
from crm.services.reports_data import Chart, Report

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PAGE = (11.69, 8.27)  # A4 landscape, inches


def _day(report: Report) -> str:
    d = report.made_at
    return f"{d.day} {d:%B %Y}"


def _span(report: Report) -> str:
    p = report.period
    last = p.end.date().fromordinal(p.end.date().toordinal() - 1)
    if p.start is None:
        return f"{p.label}, up to {last.day} {last:%b %Y}"
    first = p.start.date()
    return f"{p.label}: {first.day} {first:%b %Y} – {last.day} {last:%b %Y}"


def cover_figure(report: Report) -> Figure:
    """The first page: title, period, date and the headline number of every chart."""
    fig = new_figure(*PAGE)
    fig.set_layout_engine(None)
    fig.text(0.07, 0.88, "Community report", fontsize=28, color=INK, weight="bold")
    fig.text(0.07, 0.82, _span(report), fontsize=13, color=INK)
    fig.text(
        0.07, 0.78, f"Made by Rapport on {_day(report)} (times in UTC)", fontsize=10, color=GREY
    )
    columns, top, row_height = 2, 0.68, 0.15
    for i, c in enumerate(report.charts):
        x = 0.07 + (i % columns) * 0.45
        y = top - (i // columns) * row_height
        fig.text(x, y, c.title.upper(), fontsize=8, color=GREY)
        fig.text(x, y - 0.055, c.headline, fontsize=22, color=BLUE, weight="bold")
        fig.text(x, y - 0.09, textwrap.fill(c.caption, 60), fontsize=9, color=INK, va="top")
    return fig


def chart_page(c: Chart) -> Figure:
    """One chart with its title, headline and definition."""
    fig = chart_figure(c, *PAGE, font_scale=1.7)
    fig.get_layout_engine().set(rect=(0.05, 0.08, 0.9, 0.72))  # type: ignore[union-attr]
    fig.text(0.05, 0.92, c.title, fontsize=20, color=INK, weight="bold")
    fig.text(0.05, 0.86, f"{c.headline}  {c.caption}", fontsize=12, color=BLUE)
    fig.text(0.05, 0.03, textwrap.fill(c.definition, 150), fontsize=8, color=GREY)
    return fig


def pages(report: Report) -> Iterator[Figure]:
    yield cover_figure(report)
    for c in report.charts:
        yield chart_page(c)


def pdf_bytes(report: Report, progress: Callable[[int, int], None] | None = None) -> bytes:
    load_matplotlib()  # as the Dashboard does: no full collection stalls the window
    from matplotlib.backends.backend_pdf import PdfPages

    out = io.BytesIO()
    total = 1 + len(report.charts)
    meta = {"Title": f"Community report — {report.period.label}", "Creator": "Rapport"}
    figures = pages(report)
    pdf = PdfPages(out, metadata=meta)
    try:
        for i in range(total):
            with DRAWING:  # a page at a time: the Dashboard may draw in between
                pdf.savefig(next(figures))
            if progress is not None:
                progress(i + 1, total)
    finally:
        with DRAWING:  # closing embeds the fonts
            pdf.close()
    return out.getvalue()


def check_target(path: str | os.PathLike[str]) -> Path:
    """Refuse a path the PDF cannot go to, before any counting or drawing is done."""
    target = Path(path)
    if target.is_dir():
        raise ServiceError(f"{target}: is a folder")
    if not target.parent.is_dir():
        raise ServiceError(f"{target.parent}: no such folder")
    return target


def write_report_pdf(
    report: Report,
    path: str | os.PathLike[str],
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the report to `path` all at once; returns the pages written."""
    target = check_target(path)
    data = pdf_bytes(report, progress)
    try:
        write_atomic(target, data)
    except OSError as exc:
        raise ServiceError(f"{target}: cannot write ({exc.strerror or exc})") from None
    return 1 + len(report.charts)
