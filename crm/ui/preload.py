"""Imports the pages' modules in the idle time after the first paint, one per tick.

Pages are built on first visit, which keeps start-up quick; but the first visit then
also pays for importing the page and its services (≈ 70 ms for Events). Importing them
a few at a time once the window is up moves that cost to a moment nobody waits on.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable

from PySide6.QtCore import QObject, QTimer


class PagePreloader(QObject):
    def __init__(
        self, modules: Iterable[str], parent: QObject, delay_ms: int = 800, gap_ms: int = 40
    ) -> None:
        super().__init__(parent)
        self._modules = list(modules)
        self._gap = gap_ms
        self._timer = QTimer(self)  # dies with the window: nothing runs after it closes
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._next)
        self._timer.start(delay_ms)

    def pending(self) -> list[str]:
        return list(self._modules)

    def _next(self) -> None:
        while self._modules:
            name = self._modules.pop(0)
            if name in sys.modules:
                continue
            try:
                importlib.import_module(name)
            except ImportError:
                self._modules.clear()  # the page will say so itself when it is opened
            break
        if self._modules:
            self._timer.start(self._gap)
