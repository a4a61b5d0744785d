"""Add people to a community: pick several, choose their role and since when."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm.models.communities import MEMBERSHIP_ROLES
from crm.services import ServiceError, Services
from crm.ui.communities.person_picker import PersonPicker
from crm.ui.widgets.labels import ErrorLabel, muted

_IdRole = Qt.ItemDataRole.UserRole + 1


class AddMembersDialog(QDialog):
    """Writes nothing until Add is pressed; then one add_member call for all picked people."""

    def __init__(
        self,
        services: Services,
        community_id: int,
        community_name: str,
        role: str = "member",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.community_id = community_id
        self.setWindowTitle(f"Add members to {community_name}")
        self.setMinimumWidth(460)

        self.picker = PersonPicker(services, self)
        self.picker.person_chosen.connect(self.add_person)
        self.chosen = QListWidget(self)
        self.chosen.setMinimumHeight(160)
        self.chosen.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.remove_button = QPushButton("Remove from list", self)
        self.remove_button.clicked.connect(self._remove_selected)
        self.remove_button.setEnabled(False)
        self.chosen.itemSelectionChanged.connect(
            lambda: self.remove_button.setEnabled(bool(self.chosen.selectedItems()))
        )

        self.role = QComboBox(self)
        for r in MEMBERSHIP_ROLES:
            self.role.addItem(r.capitalize(), r)
        self.role.setCurrentIndex(max(0, self.role.findData(role)))
        self.since = QDateEdit(QDate.currentDate(), self)
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        self.error = ErrorLabel(self)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("Find people", self.picker)
        form.addRow("", muted("Pick as many as you like; each joins with the role below."))
        form.addRow("To add", self.chosen)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_button)
        form.addRow("", row)
        form.addRow("Role", self.role)
        form.addRow("Since", self.since)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.add_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.add_button.setText("Add")
        self.add_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def person_ids(self) -> list[int]:
        return [int(self.chosen.item(i).data(_IdRole)) for i in range(self.chosen.count())]

    def add_person(self, person_id: int, name: str = "") -> None:
        if person_id in self.person_ids():
            return
        if not name:
            name = self.services.people.names([person_id]).get(person_id, f"#{person_id}")
        item = QListWidgetItem(name)
        item.setData(_IdRole, person_id)
        self.chosen.addItem(item)
        self.add_button.setEnabled(True)

    def _remove_selected(self) -> None:
        for item in self.chosen.selectedItems():
            self.chosen.takeItem(self.chosen.row(item))
        self.add_button.setEnabled(self.chosen.count() > 0)

    def accept(self) -> None:
        ids = self.person_ids()
        if not ids:
            self.error.set_error("Pick at least one person.")
            return
        qd = self.since.date()
        try:
            self.services.communities.add_member(
                self.community_id,
                ids,
                role=str(self.role.currentData()),
                since=date(qd.year(), qd.month(), qd.day()),
            )
        except ServiceError as exc:
            self.error.set_error(str(exc))
            return
        super().accept()
