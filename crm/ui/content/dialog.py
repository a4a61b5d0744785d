"""Create or edit a content item. The service validates; its messages appear by the fields.

The dialog never closes on refused input and writes nothing itself.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from crm.models.engagement import CONTENT_KINDS, CONTENT_STATUSES
from crm.services import ServiceError, Services, ValidationError
from crm.services.content_data import ContentInput
from crm.ui.communities.dialog import OptionalDateEdit
from crm.ui.widgets.labels import ErrorLabel
from crm.ui.widgets.person_picker import PersonPicker


def _date(edit: OptionalDateEdit) -> date | None:
    text = edit.value()
    return date.fromisoformat(text) if text else None


class ContentDialog(QDialog):
    def __init__(
        self, services: Services, item_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.item_id = item_id
        self.setWindowTitle("New content" if item_id is None else "Edit content")
        self.setMinimumWidth(540)
        self.errors: dict[str, ErrorLabel] = {}

        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText("e.g. What we learned running Rust meetups")
        self.kind = QComboBox(self)
        for k in CONTENT_KINDS:
            self.kind.addItem(k.capitalize(), k)
        self.status = QComboBox(self)
        for st in CONTENT_STATUSES:
            self.status.addItem(st.capitalize(), st)
        self.channel = QComboBox(self)
        self.channel.setEditable(True)
        self.channel.addItems(["", *services.content.channels()])
        self.channel.lineEdit().setPlaceholderText("Blog, Newsletter, YouTube…")
        self.owner = QComboBox(self)
        self.owner.setEditable(True)
        self.owner.addItems(["", *services.content.owners()])
        self.owner.lineEdit().setPlaceholderText("Who on the team writes or runs it")
        for combo in (self.channel, self.owner):  # wide enough for the placeholder
            combo.setMinimumWidth(280)
        self.guest = PersonPicker(services, self)
        self.guest.setPlaceholderText("A person from your contacts (optional)…")
        self.due = OptionalDateEdit(self)
        self.publish = OptionalDateEdit(self)
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://…")
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(70)

        self.general_error = ErrorLabel(self)
        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.widgets: dict[str, QWidget] = {}
        for label, widget, key in (
            ("Title", self.title_edit, "title"),
            ("Kind", self.kind, "kind"),
            ("Status", self.status, "status"),
            ("Channel", self.channel, "channel"),
            ("Owner", self.owner, "owner"),
            ("Guest author", self.guest, "guest_author_id"),
            ("Due", self.due, "due_on"),
            ("Publish", self.publish, "publish_on"),
            ("URL", self.url, "url"),
            ("Notes", self.notes, "notes"),
        ):
            self._add_row(label, widget, key)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if item_id is None:
            self.save_button.setText("Create")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.general_error)
        layout.addLayout(self._form)
        layout.addWidget(self.buttons)
        if item_id is not None:
            self._load(item_id)
        self.title_edit.setFocus()

    def _add_row(self, label: str, widget: QWidget, key: str) -> None:
        error = ErrorLabel(self)
        self.errors[key] = error
        self.widgets[key] = widget
        holder = QWidget(self)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        box.addWidget(error)
        self._form.addRow(label, holder)

    def _load(self, item_id: int) -> None:
        d = self.services.content.get(item_id)
        self.title_edit.setText(d.title)
        self.kind.setCurrentIndex(max(0, self.kind.findData(d.kind)))
        self.status.setCurrentIndex(max(0, self.status.findData(d.status)))
        self.channel.setCurrentText(d.channel)
        self.owner.setCurrentText(d.owner)
        self.guest.set_person(d.guest_author_id, d.guest_author)
        self.due.set_value(d.due_on.isoformat() if d.due_on else "")
        self.publish.set_value(d.publish_on.isoformat() if d.publish_on else "")
        self.url.setText(d.url)
        self.notes.setPlainText(d.notes)

    def data(self) -> ContentInput:
        guest = self.guest.person_id()
        if guest is None and self.guest.text().strip():
            raise ValidationError(
                {"guest_author_id": "Pick the guest author from the suggestions, or clear it."}
            )
        return ContentInput(
            title=self.title_edit.text(),
            kind=str(self.kind.currentData()),
            status=str(self.status.currentData()),
            channel=self.channel.currentText(),
            owner=self.owner.currentText(),
            guest_author_id=guest,
            due_on=_date(self.due),
            publish_on=_date(self.publish),
            url=self.url.text(),
            notes=self.notes.toPlainText(),
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.set_error(errors.get(key))
        self.general_error.set_error(
            "\n".join(m for k, m in errors.items() if k not in self.errors)
        )
        for key in self.errors:
            if key in errors:
                self.widgets[key].setFocus()
                break

    def accept(self) -> None:
        try:
            data = self.data()
            if self.item_id is None:
                self.item_id = self.services.content.create(data)
            else:
                self.services.content.update(self.item_id, data)
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return
        except ServiceError as exc:
            self.show_errors({"": str(exc)})
            return
        super().accept()
