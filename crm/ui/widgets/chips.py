"""Chips: short labels on rounded tints, laid out left to right and wrapped (roles, tags).

The flow layout is Qt's FlowLayout example: a QHBoxLayout would push long tag lists
off the edge of a narrow detail panel.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLabel, QLayout, QLayoutItem, QSizePolicy, QWidget

# Soft tints: (text colour, background). Roles and tags get different families.
CHIP_STYLES = {
    "role": ("#1e40af", "#dbeafe"),
    "tag": ("#374151", "#eef0f3"),
    "good": ("#166534", "#dcfce7"),
    "bad": ("#991b1b", "#fee2e2"),
}


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect: QRect, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line = area.x(), area.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line > 0:
                x, y, line = area.x(), y + line + self._spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y() + m.bottom()


def chip(text: str, kind: str = "tag", parent: QWidget | None = None) -> QLabel:
    fg, bg = CHIP_STYLES.get(kind, CHIP_STYLES["tag"])
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(
        f"QLabel {{ color: {fg}; background: {bg}; border-radius: 9px; padding: 2px 9px; }}"
    )
    return label


class ChipBox(QWidget):
    """A wrapped row of chips; set_chips replaces them all."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = FlowLayout(self)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_chips(self, items: Iterable[tuple[str, str]]) -> None:
        """items: (text, kind) pairs; kind picks the colours (role, tag, good, bad)."""
        while (item := self._layout.takeAt(0)) is not None:
            if (w := item.widget()) is not None:
                w.deleteLater()
        for text, kind in items:
            self._layout.addWidget(chip(text, kind, self))
        self.setVisible(self._layout.count() > 0)
        self.updateGeometry()

    def texts(self) -> list[str]:
        out = []
        for i in range(self._layout.count()):
            item = self._layout.itemAt(i)
            w = item.widget() if item is not None else None
            if isinstance(w, QLabel):
                out.append(w.text())
        return out
