"""Forms for the operations pages: the service validates, its messages appear by the fields.

A dialog never closes on refused input and writes nothing itself: a ValidationError
keeps it open with the reasons shown next to the fields they are about.
"""

from __future__ import annotations

from collections.abc import Callable

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

from crm.models import ADVOCACY_KINDS, DEPARTMENTS
from crm.services import ServiceError, Services, ValidationError
from crm.services.advocacy import NoteInput
from crm.ui.widgets.labels import ErrorLabel


def combo(parent: QWidget, values: tuple[str, ...] | list[str]) -> QComboBox:
    box = QComboBox(parent)
    for v in values:
        box.addItem(v.capitalize(), v)
    return box


def set_combo(box: QComboBox, value: object) -> None:
    box.setCurrentIndex(max(0, box.findData(value)))


def text_box(parent: QWidget, placeholder: str, height: int = 80) -> QPlainTextEdit:
    edit = QPlainTextEdit(parent)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(height)
    return edit


class FormDialog(QDialog):
    """A form of labelled rows, each with an inline error; save() does the service call."""

    def __init__(self, title: str, create: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(540)
        self.errors: dict[str, ErrorLabel] = {}
        self.fields: dict[str, QWidget] = {}
        self.general_error = ErrorLabel(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if create:
            self.save_button.setText("Create")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.general_error)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)

    def add_row(self, label: str, widget: QWidget, key: str) -> QWidget:
        error = ErrorLabel(self)
        self.errors[key] = error
        self.fields[key] = widget
        holder = QWidget(self)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        box.addWidget(error)
        self.form.addRow(label, holder)
        return widget

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.set_error(errors.get(key))
        self.general_error.set_error(
            "\n".join(m for k, m in errors.items() if k not in self.errors)
        )
        for key in self.errors:
            if key in errors:
                self.fields[key].setFocus()
                break

    def save(self) -> None:
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self.save()
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return
        except ServiceError as exc:
            self.show_errors({"": str(exc)})
            return
        super().accept()


class NoteDialog(FormDialog):
    """Create or edit an advocacy note (its status moves from the detail panel)."""

    def __init__(
        self, services: Services, note_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            "New advocacy note" if note_id is None else "Edit advocacy note",
            note_id is None,
            parent,
        )
        self.services = services
        self.note_id = note_id
        self.title = QLineEdit(self)
        self.title.setPlaceholderText("e.g. Dark mode for the dashboard")
        self.kind = combo(self, ADVOCACY_KINDS)
        self.department = combo(self, DEPARTMENTS)
        self.ticket = QLineEdit(self)
        self.ticket.setPlaceholderText("https://tracker.example.com/PRD-123")
        self.details = text_box(self, "What members asked for, in their words…", 100)
        self.outcome = text_box(self, "What was told back to the members…", 60)
        self.add_row("Title", self.title, "title")
        self.add_row("Kind", self.kind, "kind")
        self.add_row("Department", self.department, "department")
        self.add_row("Ticket link", self.ticket, "ticket_url")
        self.add_row("Details", self.details, "details")
        self.add_row("Outcome", self.outcome, "outcome")
        if note_id is not None:
            d = services.advocacy.get(note_id)
            self.title.setText(d.title)
            set_combo(self.kind, d.kind)
            set_combo(self.department, d.department)
            self.ticket.setText(d.ticket_url)
            self.details.setPlainText(d.details)
            self.outcome.setPlainText(d.outcome)
        self.title.setFocus()

    def data(self) -> NoteInput:
        return NoteInput(
            title=self.title.text(),
            kind=str(self.kind.currentData()),
            details=self.details.toPlainText(),
            department=str(self.department.currentData()),
            ticket_url=self.ticket.text(),
            outcome=self.outcome.toPlainText(),
        )

    def save(self) -> None:
        if self.note_id is None:
            self.note_id = self.services.advocacy.create(self.data())
        else:
            self.services.advocacy.update(self.note_id, self.data())


def open_dialog(dlg: QDialog, on_saved: Callable[[], None]) -> QDialog:
    """Window-modal but not blocking: returns at once; on_saved runs after a save."""
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.accepted.connect(on_saved)
    dlg.open()
    return dlg
