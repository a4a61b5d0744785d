"""The Goals table, and the painted progress bar its Progress column and detail share.

Rows are the goals as written (cheap to read); their progress is measured on a task
by the page and handed in with set_progress(), so the table paints at once and the
bars fill as the measurements arrive. A goal keeps its last progress until a newer one
arrives, so a re-measure never blanks the bars.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from crm.services import Services
from crm.services.goals import GoalInfo
from crm.services.goals_progress import Progress
from crm.ui.paged_model import Column, PagedTableModel

_Index = QModelIndex | QPersistentModelIndex
STATE_COLOURS = {
    "reached": "#16a34a",
    "on track": "#2563eb",
    "behind": "#d97706",
    "missed": "#b42318",
    "not started": "#6b7280",
    "no data": "#6b7280",
}
ProgressRole = Qt.ItemDataRole.UserRole + 2


def num_text(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"


def day_text(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def metric_text(metric: str) -> str:
    """A metric as a label: first letter up, the rest kept ("Average NPS", not "nps")."""
    return metric[:1].upper() + metric[1:]


# Short enough for the table's Metric column; the full name is in its tooltip.
_SHORT = {"members active in the last 30 days": "Active members (30 days)"}


def metric_short(metric: str) -> str:
    return _SHORT.get(metric, metric_text(metric))


def screen_text(text: str) -> str:
    """Keep "47 %" together when a label wraps."""
    return text.replace(" %", "\u00a0%")


def percent(p: Progress) -> str:
    return "—" if p.current is None else f"{max(p.gained, 0):.0%}".replace("%", " %")


MEASURING = "…"
# The columns that show progress: their text comes from the measured progress.
_BY_PROGRESS: dict[int, Callable[[Progress], str]] = {
    2: percent,
    3: lambda p: p.state.capitalize(),
    4: lambda p: num_text(p.current),
}
COLUMNS: tuple[Column[GoalInfo], ...] = (
    Column("Title", "title", lambda r: r.title),
    Column("Metric", "metric", lambda r: metric_short(r.metric)),
    Column("Progress", None, lambda r: MEASURING),
    Column("State", None, lambda r: MEASURING),
    Column("Now", None, lambda r: MEASURING, align_right=True),
    Column("Target", "target", lambda r: num_text(r.target), align_right=True),
    Column("Deadline", "deadline", lambda r: day_text(r.deadline)),
)
METRIC_COLUMN = 1
PROGRESS_COLUMN = 2
STATE_COLUMN = 3


class GoalTableModel(PagedTableModel[GoalInfo]):
    def __init__(self, services: Services, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self.services = services
        self.text = ""
        self.metric: str | None = None
        self.when = "all"
        self.sort_key = "deadline"
        self.progress: dict[int, Progress] = {}  # by goal id, kept across reloads

    def query_ids(self) -> list[int]:
        return self.services.goals.query_ids(
            self.text,
            metric=self.metric,
            when=self.when,
            sort=self.sort_key or "deadline",
            descending=self.descending,
        )

    def fetch_rows(self, ids: Sequence[int]) -> list[GoalInfo]:
        return self.services.goals.infos(ids)

    def set_progress(self, measured: dict[int, Progress]) -> None:
        """Measurements arrived: repaint only the rows whose progress changed."""
        changed = [gid for gid, p in measured.items() if self.progress.get(gid) != p]
        self.progress.update(measured)
        for gid in changed:
            row = self.row_of(gid)
            if row >= 0:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def progress_of(self, goal_id: int | None) -> Progress | None:
        return self.progress.get(goal_id) if goal_id is not None else None

    def set_filter(self, text: str, metric: str | None, when: str) -> None:
        if (text, metric, when) != (self.text, self.metric, self.when):
            self.text, self.metric, self.when = text, metric, when
            self.reload()

    def sort_column(self) -> int:
        for i, col in enumerate(self.columns):
            if col.sort_key == self.sort_key:
                return i
        return 0

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        col = index.column()
        if role in (ProgressRole, Qt.ItemDataRole.ToolTipRole) or (
            col in _BY_PROGRESS and role == Qt.ItemDataRole.DisplayRole
        ):
            p = self.progress_of(self.id_at(index.row()))
            if role == ProgressRole:
                return p
            if role == Qt.ItemDataRole.ToolTipRole:
                if col == METRIC_COLUMN:
                    row = self.row_at(index.row())
                    return metric_text(row.metric) if row is not None else None
                return p.explanation if p is not None else "Measuring…"
            return _BY_PROGRESS[col](p) if p is not None else MEASURING
        if role == Qt.ItemDataRole.ForegroundRole and col == STATE_COLUMN:
            p = self.progress_of(self.id_at(index.row()))
            return QColor(STATE_COLOURS.get(p.state if p else "", "#6b7280"))
        return super().data(index, role)


def paint_bar(painter: QPainter, rect: QRect, p: Progress | None, palette: QPalette) -> None:
    """The share of the way covered as a filled bar; a tick where time says it should be.

    Without a progress (still being measured) only the empty track is drawn.
    """
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    track = QColor(palette.color(QPalette.ColorRole.WindowText))
    track.setAlpha(28)
    r = QRectF(rect)
    radius = r.height() / 2
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(track)
    painter.drawRoundedRect(r, radius, radius)
    if p is None:
        painter.restore()
        return
    share = 0.0 if p.current is None else min(max(p.gained, 0.0), 1.0)
    if share > 0:
        fill = QRectF(r.x(), r.y(), max(r.width() * share, r.height()), r.height())
        painter.setBrush(QColor(STATE_COLOURS.get(p.state, "#6b7280")))
        painter.drawRoundedRect(fill, radius, radius)
    x = r.x() + r.width() * p.time_used
    tick = QColor(palette.color(QPalette.ColorRole.WindowText))
    tick.setAlpha(170)
    painter.setPen(tick)
    painter.drawLine(int(x), int(r.y()) - 2, int(x), int(r.bottom()) + 2)
    painter.restore()


class ProgressDelegate(QStyledItemDelegate):
    """Paints the Progress column: a bar and the percentage beside it."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        p = index.data(ProgressRole)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget: QWidget | None = option.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(style.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect: QRect = option.rect  # type: ignore[attr-defined]
        text_w = 44
        bar = QRect(rect.x() + 6, rect.center().y() - 4, max(rect.width() - text_w - 12, 10), 8)
        paint_bar(painter, bar, p, option.palette)  # type: ignore[attr-defined]
        painter.save()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.setPen(
            opt.palette.color(
                QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
            )
        )
        painter.drawText(
            QRect(bar.right() + 6, rect.y(), text_w, rect.height()),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            percent(p) if p is not None else MEASURING,
        )
        painter.restore()
