"""Archived outreach cards: restore them, or delete them for good after a confirmation.

The board's Trash. Cards are few (hundreds at most), so a plain list widget will do.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm.services import Changes, ServiceError, Services
from crm.ui.bus import ChangeBus
from crm.ui.widgets.labels import heading, muted


class ArchivedCardsDialog(QDialog):
    def __init__(self, services: Services, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle("Archived outreach cards")
        self.resize(460, 420)
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.empty = muted("No archived cards. Archived cards wait here until you restore them.")
        self.empty.setWordWrap(True)
        self.restore_button = QPushButton("Restore")
        self.restore_button.clicked.connect(self.restore_selected)
        self.delete_button = QPushButton("Delete for good…")
        self.delete_button.setObjectName("danger")
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Archived outreach cards", scale=1.2))
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self._bus = bus
        bus.changed.connect(self._on_changed)
        self.finished.connect(lambda _: bus.changed.disconnect(self._on_changed))
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        for card in self.services.outreach.archived():
            text = f"{card.person_name} — {card.topic or 'no topic'}  ({card.stage})"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, card.id)
            item.setToolTip(f"Archived {card.archived_at:%Y-%m-%d %H:%M} UTC")
            self.list.addItem(item)
        self.empty.setVisible(self.list.count() == 0)
        self._update_buttons()

    def selected_ids(self) -> list[int]:
        return [int(i.data(Qt.ItemDataRole.UserRole)) for i in self.list.selectedItems()]

    def _update_buttons(self) -> None:
        has = bool(self.list.selectedItems())
        self.restore_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def restore_selected(self) -> int:
        ids = self.selected_ids()
        try:
            return self.services.outreach.restore(ids) if ids else 0
        except ServiceError as exc:
            QMessageBox.warning(self, "Outreach", str(exc))
            return 0

    def delete_selected(self) -> int:
        ids = self.selected_ids()
        if not ids:
            return 0
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Delete for good",
            f"Delete {len(ids)} card{'s' if len(ids) != 1 else ''} and their move "
            "history for good?",
            parent=self,
        )
        box.setInformativeText("This cannot be undone.")
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText("Delete for good")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return 0
        return self.services.outreach.purge(ids)

    def _on_changed(self, change: Changes) -> None:
        if change.touches("outreach", "people", "trash"):
            self.reload()
