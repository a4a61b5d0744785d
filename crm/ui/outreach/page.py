"""The Outreach page: the speaker-outreach board with its conversion strip, a search and a
filter by target event.

Moves and archives are undoable (Ctrl+Z): undoing a move forgets it rather than
recording a move back, so a slip of the mouse leaves no trace in the conversion figures.
The page holds no data of its own: every write comes back through the change bus.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm.services import Changes, ServiceError
from crm.ui.context import UiContext
from crm.ui.outreach.board import Board, stage_title
from crm.ui.outreach.dialog import CardDialog
from crm.ui.outreach.strip import ConversionStrip
from crm.ui.undo import DoneCommand
from crm.ui.widgets.labels import heading, muted

SEARCH_DEBOUNCE_MS = 200
EMPTY_HINT = (
    "No cards yet: click New card (Ctrl+Shift+N), or right-click a person on the People "
    "page → Add to speaker outreach…"
)


class OutreachPage(QWidget):
    title = "Outreach"
    LINK_KIND = "outreach"
    message = Signal(str)
    person_activated = Signal(int)
    figures_shown = Signal()  # the conversion, counts and event filter, after the first paint

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.services = ctx.services
        self.dialog: CardDialog | None = None

        self.heading = heading(self.title, self, scale=1.35)
        self.count = muted("", self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search cards…  (Ctrl+F)")
        self.search.setToolTip("Finds people, topics, target events and next steps")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.event = QComboBox(self)
        self.event.addItem("All events", None)
        # Sized by a length, not by measuring every item (events are filled in later).
        self.event.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.event.setMinimumContentsLength(26)
        self.event.setToolTip("Show the cards for one target event")
        self.archived_button = QPushButton("Archived…", self)
        self.archived_button.clicked.connect(self.show_archived)
        self.new_button = QPushButton("New card", self)
        self.new_button.setObjectName("primary")
        self.new_button.setToolTip("Add a speaker or expert to the board (Ctrl+Shift+N)")
        self.new_button.clicked.connect(lambda: self.new_card())
        new_shortcut = QAction(self)
        new_shortcut.setShortcut(QKeySequence("Ctrl+Shift+N"))
        new_shortcut.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new_shortcut.triggered.connect(lambda: self.new_card())
        self.addAction(new_shortcut)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.heading)
        bar.addWidget(self.count, 0, Qt.AlignmentFlag.AlignBottom)
        bar.addStretch(1)
        bar.addWidget(self.search)
        bar.addWidget(self.event)
        bar.addWidget(self.archived_button)
        bar.addWidget(self.new_button)

        self.strip = ConversionStrip(self)
        self.hint = muted("", self)
        self.hint.setVisible(False)
        self._shown = 0
        self.board = Board(self.move_cards, self)
        self.board.edit_requested.connect(self.edit_card)
        self.board.archive_requested.connect(self.archive_card)
        self.board.new_requested.connect(lambda stage: self.new_card(stage=stage))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(bar)
        layout.addWidget(self.strip)
        layout.addWidget(self.hint)
        layout.addWidget(self.board, 1)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self.refresh)
        self.event.currentIndexChanged.connect(lambda _: self.refresh())
        ctx.bus.changed.connect(self._on_changed)
        self._stale = False
        self._events_loaded = False
        # First paint: the cards only. The event filter, the conversion strip and the
        # counts are read once the columns have been painted (see _after_first_paint).
        self.board.first_painted.connect(
            lambda: QTimer.singleShot(0, self._after_first_paint),
            Qt.ConnectionType.SingleShotConnection,
        )
        self._refresh_board()

    # ---- the page interface --------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def refresh(self) -> None:
        """Re-read the board, the conversion figures and the counts (for the filters shown)."""
        self._refresh_board()
        self._refresh_figures()

    def _refresh_board(self) -> None:
        self._search_timer.stop()
        self._stale = False
        board = self.services.outreach.board(
            event_id=self.event.currentData(), search=self.search.text().strip()
        )
        self.board.set_board(board)
        self._shown = sum(len(cards) for cards in board.values())

    def _refresh_figures(self) -> None:
        event_id = self.event.currentData()
        filtered = event_id is not None or bool(self.search.text().strip())
        self.strip.set_conversion(self.services.outreach.conversion(event_id=event_id))
        live, archived = self.services.outreach.counts()
        shown = self._shown
        noun = "card" if live == 1 else "cards"
        self.count.setText(f"{shown:,} of {live:,} {noun}" if filtered else f"{shown:,} {noun}")
        self.archived_button.setText(f"Archived ({archived:,})…" if archived else "Archived…")
        if live == 0:
            self.hint.setText(EMPTY_HINT)
        elif shown == 0:
            self.hint.setText("No card matches this search or event.")
        self.hint.setVisible(shown == 0)

    def _after_first_paint(self) -> None:
        """What the first paint left out: the event filter, the conversion, the counts."""
        if not self._events_loaded:
            self._load_events()
        self._refresh_figures()
        self.figures_shown.emit()

    def show_item(self, card_id: int) -> None:
        """Select one card (clearing a search or filter that hides it)."""
        if self._stale:
            self.refresh()
        if not self.board.select_card(card_id, focus=True) and (
            self.search.text() or self.event.currentData() is not None
        ):
            for widget in (self.search, self.event):
                widget.blockSignals(True)
            self.search.clear()
            self.event.setCurrentIndex(0)
            for widget in (self.search, self.event):
                widget.blockSignals(False)
            self.refresh()
            self.board.select_card(card_id, focus=True)

    # ---- filters -------------------------------------------------------------------------
    def _load_events(self) -> None:
        """The filter's events: those the cards aim at, with how many cards each."""
        self._events_loaded = True
        current = self.event.currentData()
        self.event.blockSignals(True)
        self.event.clear()
        self.event.addItem("All events", None)
        for choice in self.services.outreach.board_events():
            noun = "card" if choice.cards == 1 else "cards"
            self.event.addItem(f"{choice.label} · {choice.cards} {noun}", choice.id)
        i = self.event.findData(current) if current is not None else 0
        self.event.setCurrentIndex(max(i, 0))
        self.event.blockSignals(False)
        if current is not None and i < 0:  # its last card went: show every card again
            self.refresh()

    def set_event_filter(self, event_id: int | None) -> None:
        if not self._events_loaded:
            self._load_events()
        i = self.event.findData(event_id) if event_id is not None else 0
        self.event.setCurrentIndex(max(i, 0))

    # ---- actions -------------------------------------------------------------------------
    def move_cards(self, ids: Sequence[int], stage: str) -> bool:
        """Move cards (a drop, a key, the menu); each move goes on the undo stack."""
        moved = False
        for card_id in ids:
            try:
                if not self.services.outreach.move(card_id, stage):
                    continue
            except ServiceError as exc:
                QMessageBox.warning(self, "Outreach", str(exc))
                continue
            moved = True
            self.ctx.undo.push(
                DoneCommand(
                    f"Move card to {stage_title(stage)}",
                    lambda c=card_id: self.services.outreach.move(c, stage),
                    lambda c=card_id: self.services.outreach.undo_move(c),
                )
            )
            self.board.select_card(card_id, focus=self.board.current_card() is not None)
        if moved:
            self.message.emit(f"Moved to {stage_title(stage)} (Ctrl+Z to undo).")
        return moved

    def new_card(
        self, person: tuple[int, str] | None = None, stage: str = "identified"
    ) -> CardDialog:
        dlg = CardDialog(
            self.services, self, person=person, stage=stage, event_id=self.event.currentData()
        )
        return self._open(dlg, created=True)

    def edit_card(self, card_id: int) -> CardDialog:
        return self._open(CardDialog(self.services, self, card_id=card_id), created=False)

    def _open(self, dlg: CardDialog, created: bool) -> CardDialog:
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self._saved(dlg.saved_id, created))
        self.dialog = dlg
        dlg.open()
        return dlg

    def _saved(self, card_id: int | None, created: bool) -> None:
        if card_id is None:
            return
        self.show_item(card_id)
        self.message.emit("Card added to the board." if created else "Card saved.")

    def archive_card(self, card_id: int) -> None:
        try:
            self.services.outreach.archive([card_id])
        except ServiceError as exc:
            QMessageBox.warning(self, "Outreach", str(exc))
            return
        self.ctx.undo.push(
            DoneCommand(
                "Archive card",
                lambda: self.services.outreach.archive([card_id]),
                lambda: self.services.outreach.restore([card_id]),
            )
        )
        self.message.emit("Card archived (Ctrl+Z to undo; Archived… to restore later).")

    def show_archived(self):  # type: ignore[no-untyped-def]
        from crm.ui.outreach.archived import ArchivedCardsDialog

        dlg = ArchivedCardsDialog(self.services, self.ctx.bus, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg

    # ---- reacting to writes anywhere -----------------------------------------------------
    def _on_changed(self, changes: Changes) -> None:
        if changes.touches("outreach", "people", "events", "trash"):
            if self.isVisible():
                self._load_events()
                self.refresh()
            else:
                self._stale = True
                self._events_loaded = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            if not self._events_loaded:
                self._load_events()
            self.refresh()
