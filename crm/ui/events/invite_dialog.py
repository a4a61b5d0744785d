"""Inviting people to an event: chosen one by one, or everyone with a tag, role or
community, each with the role they are invited in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from crm.models import INVITATION_ROLES
from crm.services import ServiceError, Services
from crm.services.invitations import InvitationResult
from crm.ui.widgets.labels import ErrorLabel, muted
from crm.ui.widgets.person_picker import PeoplePicker
from crm.vocab import ROLES

MODES = ("people", "tag", "role", "community")


class InviteDialog(QDialog):
    """Writes through InvitationService on Invite; stays open (and writes nothing) on refusal."""

    def __init__(
        self, services: Services, event_id: int, mode: str = "people", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.event_id = event_id
        self.result_: InvitationResult | None = None
        title = services.events.get(event_id).title
        self.setWindowTitle(f"Invite to {title}")
        self.setWindowModality(Qt.WindowModality.WindowModal)

        self.mode_group = QButtonGroup(self)
        modes = QHBoxLayout()
        self.mode_buttons: dict[str, QRadioButton] = {}
        for i, (key, label) in enumerate(
            zip(MODES, ("People", "By tag", "By role", "By community"), strict=True)
        ):
            button = QRadioButton(label, self)
            self.mode_group.addButton(button, i)
            self.mode_buttons[key] = button
            modes.addWidget(button)
        modes.addStretch(1)

        self.people = PeoplePicker(services, self)
        self.tag = QComboBox(self)
        for t in services.tags.all():
            self.tag.addItem(f"{t.name} ({t.count:,})", t.name)
        self.person_role = QComboBox(self)
        for r in ROLES:
            self.person_role.addItem(r.capitalize(), r)
        self.community = QComboBox(self)
        for cid, name in services.communities.all_names():
            self.community.addItem(name, cid)
        self.stack = QStackedWidget(self)
        for w in (self.people, self.tag, self.person_role, self.community):
            page = QWidget(self.stack)
            box = QVBoxLayout(page)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(w)
            box.addStretch(1)
            self.stack.addWidget(page)
        self.mode_group.idToggled.connect(lambda i, on: on and self.stack.setCurrentIndex(i))

        self.role = QComboBox(self)
        for r in INVITATION_ROLES:
            self.role.addItem(r.capitalize(), r)
        form = QFormLayout()
        form.addRow("Invite as", self.role)
        self.error = ErrorLabel(self)
        hint = muted("People already invited are skipped; archived people are left out.", self)
        hint.setWordWrap(True)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Invite")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(modes)
        layout.addWidget(self.stack, 1)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(480, 320)
        self.set_mode(mode)

    def set_mode(self, mode: str) -> None:
        self.mode_buttons[mode].setChecked(True)
        self.stack.setCurrentIndex(MODES.index(mode))

    def mode(self) -> str:
        return MODES[max(self.mode_group.checkedId(), 0)]

    def accept(self) -> None:
        inv = self.services.invitations
        role = self.role.currentData()
        mode = self.mode()
        try:
            if mode == "people":
                self.result_ = inv.invite(self.event_id, self.people.ids(), role)
            elif mode == "tag":
                if self.tag.currentData() is None:
                    raise ServiceError("There are no tags yet.")
                self.result_ = inv.invite_by(self.event_id, tag=self.tag.currentData(), role=role)
            elif mode == "role":
                self.result_ = inv.invite_by(
                    self.event_id, person_role=self.person_role.currentData(), role=role
                )
            else:
                if self.community.currentData() is None:
                    raise ServiceError("There are no communities yet.")
                self.result_ = inv.invite_by(
                    self.event_id, community_id=self.community.currentData(), role=role
                )
        except ServiceError as exc:
            self.error.set_error(str(exc).split(": ", 1)[-1] if ": " in str(exc) else str(exc))
            return
        super().accept()
