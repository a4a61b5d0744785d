"""Run something once a widget has painted for the first time, in a later turn of the
event loop: what a page shows first (its list) reaches the screen before the work that
can follow a frame later (the chosen row's detail, a chart)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class AfterFirstPaint(QObject):
    """Calls `callback` `delay_ms` after `widget`'s first paint is over (once), unless
    `fire()` ran it earlier.

    The paint event arrives before the widget (and the rest of the window) has painted;
    a zero timer started then runs once the painting is done, in the same pass of the
    event loop; only from there does the delay start, so the callback runs in a later
    pass, after the frame went out."""

    def __init__(self, widget: QWidget, callback: Callable[[], None], delay_ms: int = 0) -> None:
        super().__init__(widget)
        self.widget = widget
        self.callback = callback
        self.done = False
        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self.fire)
        self._painted = QTimer(self, singleShot=True, interval=0)
        self._painted.timeout.connect(self._timer.start)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.done:
            self.widget.removeEventFilter(self)
            self._painted.start()
        return False

    def fire(self) -> None:
        """Run now (a user action needs the result before any paint); never twice."""
        if self.done:
            return
        self.done = True
        self._painted.stop()
        self._timer.stop()
        self.widget.removeEventFilter(self)
        self.callback()
