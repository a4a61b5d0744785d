"""A line of muted text in the middle of an empty table: what to do to fill it.

An empty grid with headers only reads as broken; one line saying how to add the first
item (or that the filters hide everything) tells the user what is going on.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView

from crm.ui.widgets.labels import muted


class EmptyHint(QObject):
    """Shows `text` over the view's viewport while text is set; follows its size."""

    def __init__(self, view: QAbstractItemView) -> None:
        self.viewport = view.viewport()
        super().__init__(self.viewport)
        self.label = muted("", self.viewport)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.label.hide()
        self.viewport.installEventFilter(self)

    def set_text(self, text: str) -> None:
        self.label.setText(text)
        self.label.setVisible(bool(text))
        self._place()

    def text(self) -> str:
        return "" if self.label.isHidden() else self.label.text()

    def _place(self) -> None:
        self.label.setGeometry(self.viewport.rect().adjusted(24, 0, -24, 0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # An identity test only: no call into a view that may be going away.
        if watched is self.viewport and event.type() == QEvent.Type.Resize:
            self._place()
        return super().eventFilter(watched, event)
