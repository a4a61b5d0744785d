"""The board: one column per stage, cards moved by drag and drop or by the keyboard.

Keys on a column: Up/Down choose a card, Left/Right go to the next column, Ctrl+Left
and Ctrl+Right move the chosen card one column over, Enter or F2 edits it, Del archives
it. The right-click menu has the same and "Move to ▸" any stage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QItemSelectionModel, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from crm.services.outreach_data import DECLINED, PIPELINE, Card
from crm.ui.outreach.column_model import Mover, StageModel
from crm.ui.outreach.delegate import CardDelegate
from crm.ui.widgets.labels import muted

STAGES = (*PIPELINE, DECLINED)
STAGE_COLOURS = {
    "identified": "#6b7280",
    "contacted": "#2563eb",
    "interested": "#7c3aed",
    "confirmed": "#16a34a",
    "delivered": "#0d9488",
    "declined": "#b42318",
}


def stage_title(stage: str) -> str:
    return stage.capitalize()


_PANELS: dict[tuple[int, int, float], QPixmap] = {}


def panel_pixmap(size: QSize, ratio: float) -> QPixmap:
    """A column's rounded tinted panel of this size (kept: the six columns share one)."""
    key = (size.width(), size.height(), ratio)
    if (pixmap := _PANELS.get(key)) is None:
        if len(_PANELS) > 16:  # sizes of a window being resized: keep only recent ones
            _PANELS.clear()
        pixmap = QPixmap(size * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(128, 128, 128, 26))
        painter.drawRoundedRect(QRectF(0, 0, size.width(), size.height()), 8, 8)
        painter.end()
        _PANELS[key] = pixmap
    return pixmap


def key_action(event: QKeyEvent) -> str | None:
    """What a key does to the chosen card: "edit", "left", "right", "archive" or nothing.

    Handled by the view itself rather than by four QActions per column: making those
    cost ~30 ms of the board's first paint on a loaded machine. (No window shortcut
    takes these keys on this page: the main window's Del is enabled on People only.)
    """
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    key = event.key()
    if mods == Qt.KeyboardModifier.ControlModifier:
        return {Qt.Key.Key_Left: "left", Qt.Key.Key_Right: "right"}.get(Qt.Key(key))
    if mods == Qt.KeyboardModifier.NoModifier:
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2):
            return "edit"
        if key == Qt.Key.Key_Delete:
            return "archive"
    return None


class CardListView(QListView):
    """A column's cards; Left/Right hand the focus to the neighbouring column."""

    step_focus = Signal(int)  # -1 left, +1 right
    card_key = Signal(str)  # see key_action
    first_paint = Signal()

    _painted = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (action := key_action(event)) is not None:
            self.card_key.emit(action)
            return
        if event.modifiers() == Qt.KeyboardModifier.NoModifier and event.key() in (
            Qt.Key.Key_Left,
            Qt.Key.Key_Right,
        ):
            self.step_focus.emit(-1 if event.key() == Qt.Key.Key_Left else 1)
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.model() is not None and self.model().rowCount() == 0:
            painter = QPainter(self.viewport())
            colour = self.palette().color(QPalette.ColorRole.Text)
            colour.setAlphaF(0.45)
            painter.setPen(colour)
            painter.drawText(
                self.viewport().rect().adjusted(0, 12, 0, 0),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                "No cards",
            )
            painter.end()
        if not self._painted:
            self._painted = True
            self.first_paint.emit()


class BoardColumn(QFrame):
    def __init__(self, stage: str, mover: Mover, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.setObjectName("boardColumn")
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.count = muted("0")
        head = QHBoxLayout()
        head.setContentsMargins(4, 0, 4, 0)
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.count)
        self.model = StageModel(stage, mover, self)
        self.view = CardListView(self)
        self.view.setObjectName(f"column-{stage}")
        self.view.setModel(self.model)
        self.view.setItemDelegate(CardDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(False)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The column's tint shows through: no stylesheet on the view, which would route
        # every card's paint through the style-sheet style.
        self.view.viewport().setAutoFillBackground(False)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 8, 6, 6)
        layout.setSpacing(6)
        layout.addLayout(head)
        layout.addWidget(self.view, 1)
        self.set_cards([])

    def paintEvent(self, event: QPaintEvent) -> None:
        """A light rounded panel, painted rather than styled: a style sheet here would
        route every child's painting (the cards' scroll bars too) through QStyleSheetStyle.
        Drawn once per size into a pixmap: an antialiased fill this big costs milliseconds."""
        painter = QPainter(self)
        painter.drawPixmap(0, 0, panel_pixmap(self.size(), self.devicePixelRatioF()))
        painter.end()

    def set_cards(self, cards: Sequence[Card]) -> None:
        self.model.set_cards(cards)
        colour = STAGE_COLOURS.get(self.stage, "#6b7280")
        self.title.setText(
            f"<span style='color:{colour}'>●</span>&nbsp;<b>{stage_title(self.stage)}</b>"
        )
        self.count.setText(f"{len(cards):,}")

    def current_card(self) -> Card | None:
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().isSelected(index):
            return None
        return self.model.card_at(index.row())

    def select_card(self, card_id: int, focus: bool = False) -> bool:
        row = self.model.row_of(card_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.view.scrollTo(index)
        if focus:
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        return True


class Board(QWidget):
    """The six columns side by side. Moves go through `mover`; edits are asked for."""

    edit_requested = Signal(int)
    archive_requested = Signal(int)
    new_requested = Signal(str)  # a stage: a new card wanted in this column
    first_painted = Signal()  # once, when the first column has been painted

    def __init__(self, mover: Mover, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mover = mover
        self._painted = False
        self.columns: dict[str, BoardColumn] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        for i, stage in enumerate(STAGES):
            column = BoardColumn(stage, mover, self)
            column.view.doubleClicked.connect(self._double_clicked)
            column.view.step_focus.connect(lambda step, i=i: self.focus_column(i + step))
            column.view.customContextMenuRequested.connect(
                lambda pos, c=column: self._context_menu(c, pos)
            )
            column.view.selectionModel().currentChanged.connect(
                lambda *_, c=column: self._column_current(c)
            )
            column.view.card_key.connect(self._card_key)
            column.view.first_paint.connect(self._first_paint)
            self.columns[stage] = column
            if stage == DECLINED:
                layout.addSpacing(8)
            layout.addWidget(column, 1)

    # ---- contents ------------------------------------------------------------------------
    def set_board(self, board: Mapping[str, Sequence[Card]], keep: int | None = None) -> None:
        """Show these cards; keep the card `keep` (or the current one) selected."""
        if keep is None and (card := self.current_card()) is not None:
            keep = card.id
        had_focus = any(c.view.hasFocus() for c in self.columns.values())
        for stage, column in self.columns.items():
            column.set_cards(board.get(stage, []))
        if keep is not None:
            self.select_card(keep, focus=had_focus)

    def current_card(self) -> Card | None:
        for column in self.columns.values():
            if column.view.hasFocus() and (card := column.current_card()) is not None:
                return card
        for column in self.columns.values():
            if (card := column.current_card()) is not None:
                return card
        return None

    def select_card(self, card_id: int, focus: bool = False) -> bool:
        for column in self.columns.values():
            if column.model.row_of(card_id) >= 0:
                return column.select_card(card_id, focus)
        return False

    def focus_column(self, i: int) -> None:
        if not 0 <= i < len(STAGES):
            return
        column = self.columns[STAGES[i]]
        view = column.view
        view.setFocus(Qt.FocusReason.OtherFocusReason)
        if column.model.rowCount() and column.current_card() is None:
            row = max(view.currentIndex().row(), 0)
            column.select_card(column.model.cards[min(row, column.model.rowCount() - 1)].id)

    # ---- moving --------------------------------------------------------------------------
    def move_current(self, step: int) -> bool:
        """Ctrl+Left / Ctrl+Right: the chosen card one column over."""
        card = self.current_card()
        if card is None:
            return False
        i = STAGES.index(card.stage) + step
        if not 0 <= i < len(STAGES):
            return False
        return self.mover([card.id], STAGES[i])

    def move_to(self, card: Card, stage: str) -> bool:
        return self.mover([card.id], stage)

    # ---- internals -----------------------------------------------------------------------
    def _column_current(self, column: BoardColumn) -> None:
        """One card chosen on the whole board: choosing in a column clears the others."""
        if column.current_card() is None:
            return
        for other in self.columns.values():
            if other is not column:
                other.view.selectionModel().clearSelection()

    def _first_paint(self) -> None:
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def _card_key(self, action: str) -> None:
        if action == "edit":
            self._edit()
        elif action == "archive":
            self._archive()
        else:
            self.move_current(-1 if action == "left" else 1)

    def _edit(self) -> None:
        if (card := self.current_card()) is not None:
            self.edit_requested.emit(card.id)

    def _archive(self) -> None:
        if (card := self.current_card()) is not None:
            self.archive_requested.emit(card.id)

    def _double_clicked(self, index) -> None:  # type: ignore[no-untyped-def]
        card = index.data(Qt.ItemDataRole.UserRole + 1)
        if card is not None:
            self.edit_requested.emit(card.id)

    def context_menu(self, column: BoardColumn, card: Card | None) -> QMenu:
        """The right-click menu for a card (or for the empty part of a column)."""
        menu = QMenu(self)
        if card is None:
            menu.addAction(
                f"New card in {stage_title(column.stage)}…",
                lambda: self.new_requested.emit(column.stage),
            )
            return menu
        menu.addAction("Edit…\tEnter", lambda: self.edit_requested.emit(card.id))
        move = menu.addMenu("Move to")
        for stage in STAGES:
            act = move.addAction(stage_title(stage), lambda s=stage: self.move_to(card, s))
            act.setEnabled(stage != card.stage)
        menu.addSeparator()
        menu.addAction("Archive\tDel", lambda: self.archive_requested.emit(card.id))
        return menu

    def _context_menu(self, column: BoardColumn, pos: QPoint) -> None:
        index = column.view.indexAt(pos)
        card = column.model.card_at(index.row()) if index.isValid() else None
        if card is not None:
            column.select_card(card.id)
        self.context_menu(column, card).popup(column.view.viewport().mapToGlobal(pos))
