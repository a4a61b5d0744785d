"""One column of the outreach board: the cards in one stage, draggable to another column.

A list model rather than a widget per card, so a column of hundreds of cards costs one
view and a delegate's paint per visible card. A drop does not move rows itself: it asks
the page (`mover`) to move the cards through the service, and the board is re-read when
the change comes back on the bus, as after any other write.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from crm.services.outreach_data import Card

_Index = QModelIndex | QPersistentModelIndex
MIME = "application/x-rapport-outreach-cards"
CardRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2
# Flags are asked for once per visible card on every paint; build them once.
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

Mover = Callable[[Sequence[int], str], bool]


def encode_ids(ids: Sequence[int]) -> QMimeData:
    data = QMimeData()
    data.setData(MIME, QByteArray(",".join(str(int(i)) for i in ids).encode()))
    return data


def decode_ids(data: QMimeData) -> list[int]:
    if not data.hasFormat(MIME):
        return []
    raw = bytes(data.data(MIME).data()).decode("ascii", "replace")
    return [int(part) for part in raw.split(",") if part.strip().isdigit()]


class StageModel(QAbstractListModel):
    def __init__(self, stage: str, mover: Mover | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.mover = mover
        self._cards: list[Card] = []

    # ---- contents ------------------------------------------------------------------------
    def set_cards(self, cards: Sequence[Card]) -> None:
        self.beginResetModel()
        self._cards = list(cards)
        self.endResetModel()

    @property
    def cards(self) -> list[Card]:
        return self._cards

    def card_at(self, row: int) -> Card | None:
        return self._cards[row] if 0 <= row < len(self._cards) else None

    def row_of(self, card_id: int) -> int:
        for i, card in enumerate(self._cards):
            if card.id == card_id:
                return i
        return -1

    # ---- the model interface -------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cards)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._cards):
            return None
        card = self._cards[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return card.person_name
        if role == CardRole:
            return card
        if role == IdRole:
            return card.id
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [card.person_name, card.topic, card.event_title]
            if card.next_step:
                when = f" (by {card.next_step_on:%Y-%m-%d})" if card.next_step_on else ""
                parts.append(f"Next: {card.next_step}{when}{' — overdue' if card.overdue else ''}")
            return "\n".join(p for p in parts if p)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            late = ", overdue" if card.overdue else ""
            return f"{card.person_name}, {card.topic or 'no topic'}, next: {card.next_step}{late}"
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # drops land on the column, not on a card
        return _FLAGS

    # ---- drag and drop -------------------------------------------------------------------
    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return encode_ids([self._cards[r].id for r in rows if r < len(self._cards)])

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: _Index,
    ) -> bool:
        return self.mover is not None and bool(decode_ids(data))

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: _Index,
    ) -> bool:
        """Cards dropped on this column move to its stage (wherever in it they land)."""
        if action == Qt.DropAction.IgnoreAction:
            return True
        ids = [i for i in decode_ids(data) if self.row_of(i) < 0]  # not already here
        if self.mover is None or not ids:
            return False
        return self.mover(ids, self.stage)
