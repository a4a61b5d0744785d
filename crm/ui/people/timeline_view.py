"""The timeline list in the detail panel: a painted card per interaction, edit and delete.

A delegate paints the rows (kind and date muted above the summary, the other people
below) because a plain list would show one long line per interaction.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from crm.services.interactions import InteractionRow
from crm.ui.people.timeline_model import TimelineModel, describe

_Index = QModelIndex | QPersistentModelIndex
_SENTIMENT_COLOURS = {-2: "#dc2626", -1: "#f97316", 0: "", 1: "#65a30d", 2: "#16a34a"}
_PAD = 8


class TimelineDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person_id: int | None = None

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        line = QFontMetrics(option.font).lineSpacing()
        return QSize(200, 3 * line + 2 * _PAD + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        row: InteractionRow | None = index.data(TimelineModel.RowRole)
        if row is None:
            return
        painter.save()
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        text = pal.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        faded = QColor(text)
        faded.setAlphaF(0.6)
        rect = option.rect.adjusted(_PAD + 10, _PAD, -_PAD, -_PAD)
        line = QFontMetrics(option.font).lineSpacing()
        # The sentiment, as a coloured bar down the left edge.
        colour = _SENTIMENT_COLOURS.get(row.sentiment, "")
        bar = QRect(option.rect.left() + 4, option.rect.top() + _PAD, 3, option.rect.height() - 16)
        painter.fillRect(bar, QColor(colour) if colour else faded.lighter(160))
        small = QFontMetrics(option.font)
        painter.setPen(faded)
        painter.drawText(
            QRect(rect.left(), rect.top(), rect.width(), line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            small.elidedText(describe(row), Qt.TextElideMode.ElideRight, rect.width()),
        )
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text)
        painter.drawText(
            QRect(rect.left(), rect.top() + line, rect.width(), line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(bold).elidedText(row.summary, Qt.TextElideMode.ElideRight, rect.width()),
        )
        painter.setFont(option.font)
        others = [name for pid, name in row.participants if pid != self.person_id]
        if others:
            painter.setPen(faded)
            painter.drawText(
                QRect(rect.left(), rect.top() + 2 * line, rect.width(), line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                small.elidedText(
                    "with " + ", ".join(others), Qt.TextElideMode.ElideRight, rect.width()
                ),
            )
        painter.restore()


class TimelineView(QListView):
    """Double-click edits; the context menu edits or deletes."""

    edit_requested = Signal(int)
    delete_requested = Signal(int)

    def __init__(self, model: TimelineModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.delegate = TimelineDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setUniformItemSizes(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.doubleClicked.connect(self._double_clicked)
        self.setObjectName("timeline")

    def set_person(self, person_id: int | None) -> None:
        self.delegate.person_id = person_id

    def _double_clicked(self, index: QModelIndex) -> None:
        iid = index.data(TimelineModel.IdRole)
        if iid is not None:
            self.edit_requested.emit(int(iid))

    def _menu(self, pos: QPoint) -> None:
        index = self.indexAt(pos)
        iid = index.data(TimelineModel.IdRole) if index.isValid() else None
        if iid is None:
            return
        menu = QMenu(self)
        menu.addAction("Edit interaction…", lambda: self.edit_requested.emit(int(iid)))
        menu.addAction("Delete interaction…", lambda: self.delete_requested.emit(int(iid)))
        menu.exec(self.viewport().mapToGlobal(pos))
