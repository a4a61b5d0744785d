"""Settings kept in the database: the organiser that calendar invitations name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from crm.services import ServiceError, Services, ValidationError
from crm.ui.widgets.labels import ErrorLabel, muted


class SettingsDialog(QDialog):
    """Saves through SettingsService on OK; stays open (writing nothing) on refusal."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle("Settings")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        org = services.settings.organiser()
        self.name = QLineEdit(org.name, self)
        self.name.setPlaceholderText("e.g. Ann Lee, Community team")
        self.email = QLineEdit(org.email, self)
        self.email.setPlaceholderText("you@example.org")
        self.name_error = ErrorLabel(self)
        self.email_error = ErrorLabel(self)
        intro = muted(
            "Calendar invitations name this person as their organiser; replies go to "
            "this address. Stored in this database, so it travels with it.",
            self,
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Organiser name", self.name)
        form.addRow("", self.name_error)
        form.addRow("Organiser email", self.email)
        form.addRow("", self.email_error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(440, 200)

    def accept(self) -> None:
        self.name_error.set_error(None)
        self.email_error.set_error(None)
        try:
            self.services.settings.set_organiser(self.name.text(), self.email.text())
        except ValidationError as exc:
            self.name_error.set_error(exc.errors.get("name"))
            self.email_error.set_error(exc.errors.get("email"))
            (self.email if "email" in exc.errors else self.name).setFocus()
            return
        except ServiceError as exc:
            self.email_error.set_error(str(exc))
            return
        super().accept()
