"""The dashboard's charts as matplotlib Figures, built by pure functions from Chart data.

No Qt and no pyplot: a Figure with the Agg canvas, so the same builders draw the
Dashboard page (rendered to an RGBA buffer off the GUI thread, shown as an image) and
the pages of the PDF report. matplotlib is imported when a chart is first built, never
when this module is imported. A chart with nothing to show says "No data yet" instead
of drawing an empty axis.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from crm.services.reports_data import Chart

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

BLUE, LIGHT, GREY, INK = "#2563eb", "#bfdbfe", "#9ca3af", "#374151"
RED, GREEN, AMBER = "#dc2626", "#16a34a", "#d97706"
# Eight kinds of interaction, told apart without relying on red against green alone.
KIND_COLOURS = (
    "#2563eb",
    "#60a5fa",
    "#16a34a",
    "#86efac",
    "#d97706",
    "#fcd34d",
    "#7c3aed",
    "#c4b5fd",
    "#9ca3af",
)
GROUP_COLOURS = {"open": "#93c5fd", "planned": "#2563eb", "shipped": GREEN, "declined": GREY}
MAX_TICKS = 8
# matplotlib is not thread-safe (its font and text-layout caches are shared): worker
# threads draw one figure at a time. Drawing is mostly Python and holds the GIL anyway,
# so two at once would be no faster, and every thread beyond one takes turns on the GIL
# with the GUI thread. A thread waiting here releases the GIL.
DRAWING = threading.Lock()


def new_figure(width: float = 5.0, height: float = 2.6, dpi: float = 100) -> Figure:
    """A Figure on the Agg canvas (never pyplot: no global state, safe off the GUI thread)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _style(ax: Axes, k: float) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=7 * k, colors=INK)
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    for axis in (ax.xaxis, ax.yaxis):  # counts: no tick at 2.5 people, and 80,000
        if isinstance(axis.get_major_locator(), MaxNLocator):
            axis.get_major_locator().set_params(integer=True)
            axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))


def _thousands(ax: Axes) -> None:
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))


def _x_ticks(ax: Axes, labels: tuple[str, ...], k: float) -> None:
    """At most MAX_TICKS labels along the bottom, always the last one (today's bar)."""
    xs = list(range(len(labels)))
    step = max(1, math.ceil(len(xs) / MAX_TICKS))
    shown = xs[::-1][::step][::-1]
    ax.set_xticks(shown, [labels[i] for i in shown], fontsize=7 * k)
    ax.set_xlim(-0.6, len(xs) - 0.4)


def _nums(values: tuple[float | None, ...]) -> list[float]:
    return [0.0 if v is None else float(v) for v in values]


def _no_data(fig: Figure, k: float) -> None:
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, "No data yet", ha="center", va="center", fontsize=11 * k, color=GREY)


def _membership(fig: Figure, c: Chart, k: float) -> None:
    ax = fig.add_subplot()
    xs = range(len(c.labels))
    ax.bar(xs, _nums(c.values("new members")), color=LIGHT, width=0.7, label="new members")
    ax.set_ylabel("new", fontsize=8 * k, color=INK)
    total = ax.twinx()
    total.plot(xs, _nums(c.values("members")), color=BLUE, linewidth=1.8, label="members")
    total.set_ylabel("members", fontsize=8 * k, color=BLUE)
    total.set_ylim(bottom=0)
    total.tick_params(labelsize=7 * k, colors=BLUE)
    _thousands(total)
    total.spines["top"].set_visible(False)
    _style(ax, k)
    _x_ticks(ax, c.labels, k)


def _hbars(fig: Figure, c: Chart, k: float, colour: str, *, share_of_first: bool = False) -> None:
    """Horizontal bars, first label on top, each with its count (and share of the first)."""
    ax = fig.add_subplot()
    values = _nums(c.series[0].values)
    ys = list(range(len(values)))[::-1]
    ax.barh(ys, values, color=colour, height=0.65)
    ax.set_yticks(ys, list(c.labels), fontsize=8 * k)
    top = max(values) or 1.0
    for y, v in zip(ys, values, strict=True):
        text = f"{v:,.0f}"
        if share_of_first and values[0]:
            text += f"  ({100.0 * v / values[0]:.0f} %)"
        ax.text(v + top * 0.02, y, text, va="center", fontsize=7 * k, color=INK)
    ax.set_xlim(0, top * 1.3)
    _style(ax, k)
    ax.tick_params(axis="y", length=0)


def _active(fig: Figure, c: Chart, k: float) -> None:
    _hbars(fig, c, k, BLUE)


def _funnel(fig: Figure, c: Chart, k: float) -> None:
    _hbars(fig, c, k, BLUE, share_of_first=True)


def _engagement(fig: Figure, c: Chart, k: float) -> None:
    ax = fig.add_subplot()
    rates = c.series[0].values
    xs = range(len(c.labels))
    ax.bar(xs, _nums(rates), color=LIGHT, width=0.7)
    if c.headline.endswith("%"):
        overall = float(c.headline.rstrip(" %"))
        ax.axhline(overall, color=BLUE, linewidth=1.2, linestyle="--")
        ax.text(
            len(c.labels) - 0.4,
            overall,
            f"all members {c.headline}",
            ha="right",
            va="bottom",
            fontsize=7 * k,
            color=BLUE,
        )
    ax.set_ylim(0, 100)
    ax.set_ylabel("% active", fontsize=8 * k)
    _style(ax, k)
    _x_ticks(ax, c.labels, k)


def _stacked(fig: Figure, c: Chart, k: float, colours: list[str], *, legend_cols: int = 4) -> Axes:
    ax = fig.add_subplot()
    xs = range(len(c.labels))
    base = [0.0] * len(c.labels)
    for s, colour in zip(c.series, colours, strict=False):
        values = _nums(s.values)
        ax.bar(xs, values, bottom=base, color=colour, width=0.7, label=s.name)
        base = [b + v for b, v in zip(base, values, strict=True)]
    ax.legend(
        fontsize=6 * k,
        ncols=legend_cols,
        frameon=False,
        loc="upper left",
        bbox_to_anchor=(0, 1.02),
        handlelength=1,
        columnspacing=0.8,
    )
    ax.set_ylim(0, (max(base) or 1) * 1.3)  # room for the legend above the bars
    _style(ax, k)
    _x_ticks(ax, c.labels, k)
    return ax


def _interactions(fig: Figure, c: Chart, k: float) -> None:
    _stacked(fig, c, k, list(KIND_COLOURS))


def _attendance(fig: Figure, c: Chart, k: float) -> None:
    shown = Chart(
        c.key, c.title, c.period, c.labels, c.series[:2], c.headline, c.caption, c.definition
    )
    ax = _stacked(fig, shown, k, [BLUE, "#fca5a5"], legend_cols=2)
    ax.set_ylabel("invitations", fontsize=8 * k)


def _nps(fig: Figure, c: Chart, k: float) -> None:
    ax = fig.add_subplot()
    xs = list(range(len(c.labels)))
    bars = ax.twinx()
    bars.bar(xs, _nums(c.values("responses")), color="#e5e7eb", width=0.7)
    bars.set_ylabel("responses", fontsize=8 * k, color="#6b7280")
    bars.tick_params(labelsize=7 * k, colors="#6b7280")
    _thousands(bars)
    bars.spines["top"].set_visible(False)
    ax.set_zorder(bars.get_zorder() + 1)
    ax.patch.set_visible(False)
    values = [math.nan if v is None else v for v in c.values("NPS")]
    ax.plot(xs, values, color=BLUE, marker="o", markersize=3, linewidth=1.6)
    ax.set_ylim(-100, 100)
    ax.axhline(0, color=GREY, linewidth=0.8)
    ax.set_ylabel("NPS", fontsize=8 * k)
    _style(ax, k)
    _x_ticks(ax, c.labels, k)


def _advocacy(fig: Figure, c: Chart, k: float) -> None:
    ax = fig.add_subplot()
    ys = list(range(len(c.labels)))[::-1]
    left = [0.0] * len(c.labels)
    for s in c.series:
        values = _nums(s.values)
        ax.barh(
            ys, values, left=left, color=GROUP_COLOURS.get(s.name, GREY), height=0.65, label=s.name
        )
        left = [a + v for a, v in zip(left, values, strict=True)]
    ax.set_yticks(ys, list(c.labels), fontsize=8 * k)
    ax.legend(fontsize=6 * k, ncols=4, frameon=False, loc="lower right", handlelength=1)
    ax.set_xlim(0, (max(left) or 1) * 1.1)
    _style(ax, k)
    ax.tick_params(axis="y", length=0)


BUILDERS: dict[str, Callable[[Figure, Chart, float], None]] = {
    "membership": _membership,
    "active": _active,
    "engagement": _engagement,
    "interactions": _interactions,
    "nps": _nps,
    "attendance": _attendance,
    "funnel": _funnel,
    "advocacy": _advocacy,
}


def chart_figure(
    c: Chart, width: float = 5.0, height: float = 2.6, dpi: float = 100, font_scale: float = 1.0
) -> Figure:
    """The chart as a Figure; "No data yet" when every value is 0 or missing.
    font_scale enlarges the text for a bigger page (the PDF)."""
    fig = new_figure(width, height, dpi)
    if c.empty or c.key not in BUILDERS:
        _no_data(fig, font_scale)
    else:
        BUILDERS[c.key](fig, c, font_scale)
    return fig


def render_rgba(fig: Figure) -> tuple[bytes, int, int]:
    """Draw the figure with Agg: (RGBA bytes, width, height) in pixels. Runs off the GUI
    thread; the GUI wraps the bytes in a QImage (crm.ui.widgets.chart_image)."""
    canvas = fig.canvas
    canvas.draw()
    buffer = canvas.buffer_rgba()  # type: ignore[attr-defined]
    height, width = buffer.shape[0], buffer.shape[1]
    return bytes(buffer), width, height
