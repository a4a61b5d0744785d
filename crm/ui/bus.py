"""One app-wide signal for 'the data changed', fed by the services' ChangeNotifier.

Pages connect to `ChangeBus.changed` and refresh only when the Changes touch their
area (Anki's operation_did_execute).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from crm.services import ChangeNotifier, Changes


class ChangeBus(QObject):
    changed = Signal(object)  # Changes

    def __init__(self, notifier: ChangeNotifier, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._notifier = notifier
        notifier.subscribe(self._forward)

    def _forward(self, change: Changes) -> None:
        self.changed.emit(change)

    def detach(self) -> None:
        self._notifier.unsubscribe(self._forward)
