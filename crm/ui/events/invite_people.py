"""People → Invite to event…: the People table's selection invited to one event."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from crm.models import INVITATION_ROLES
from crm.services import ServiceError, Services
from crm.services.invitations import InvitationResult
from crm.ui.events.style import when_text
from crm.ui.widgets.labels import ErrorLabel, muted


class InviteToEventDialog(QDialog):
    """Upcoming events by default (past ones behind a tick box), a role, Invite."""

    def __init__(
        self, services: Services, person_ids: Sequence[int], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.person_ids = list(person_ids)
        self.result_: InvitationResult | None = None
        self.event_id: int | None = None
        n = len(self.person_ids)
        self.setWindowTitle("Invite to event")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.event_box = QComboBox(self)
        self.event_box.setMinimumWidth(380)
        self.past = QCheckBox("Show past events too", self)
        self.past.toggled.connect(lambda _: self._fill())
        self.role = QComboBox(self)
        for r in INVITATION_ROLES:
            self.role.addItem(r.capitalize(), r)
        self.error = ErrorLabel(self)
        form = QFormLayout()
        form.addRow("Event", self.event_box)
        form.addRow("", self.past)
        form.addRow("Invite as", self.role)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(f"Invite {n:,} {'person' if n == 1 else 'people'}")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(muted("Those already invited to the event are skipped.", self))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._fill()

    def _fill(self) -> None:
        scope = "all" if self.past.isChecked() else "upcoming"
        ids = self.services.events.query_ids(scope, descending=True if scope == "all" else None)
        self.event_box.clear()
        for row in self.services.events.rows(ids[:500]):
            self.event_box.addItem(f"{row.title} — {when_text(row)}", row.id)
        self.ok.setEnabled(self.event_box.count() > 0)
        self.error.set_error(
            None if self.event_box.count() else "No upcoming events: make one first."
        )

    def accept(self) -> None:
        event_id = self.event_box.currentData()
        if event_id is None:
            return
        try:
            self.result_ = self.services.invitations.invite(
                event_id, self.person_ids, self.role.currentData()
            )
        except ServiceError as exc:
            self.error.set_error(str(exc).split(": ", 1)[-1])
            return
        self.event_id = event_id
        if self.result_.warning:
            QMessageBox.warning(self, "Over capacity", self.result_.warning)
        super().accept()
