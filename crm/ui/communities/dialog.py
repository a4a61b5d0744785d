"""Create or edit a community. The service validates; its messages appear next to the fields.

The dialog never closes on refused input and writes nothing itself: a ValidationError
from the service (or a size that is not a number) keeps it open with the reasons shown.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from crm.models.communities import COMMUNITY_KINDS, PARTNERSHIP_STATUSES
from crm.services import ServiceError, Services, ValidationError
from crm.services.communities import CommunityInput
from crm.services.fields import FieldInfo
from crm.ui.widgets.labels import ErrorLabel, section_title

_NO_DATE = QDate(1900, 1, 1)


class OptionalDateEdit(QDateEdit):
    """A date edit that can also be empty: its minimum date stands for 'no date'."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(_NO_DATE)
        self.setSpecialValueText("—")
        self.setDate(_NO_DATE)

    def value(self) -> str:
        d = self.date()
        return "" if d == _NO_DATE else d.toString("yyyy-MM-dd")

    def set_value(self, text: str) -> None:
        d = QDate.fromString(text, "yyyy-MM-dd") if text else _NO_DATE
        self.setDate(d if d.isValid() else _NO_DATE)


class FieldEditor:
    """One custom field's editor, chosen by the field's type, with a uniform get/set."""

    def __init__(self, info: FieldInfo, parent: QWidget) -> None:
        self.info = info
        self.widget: QWidget
        if info.type == "choice":
            combo = QComboBox(parent)
            combo.addItem("—", "")
            for c in info.choices:
                combo.addItem(c, c)
            self.widget = combo
        elif info.type == "date":
            self.widget = OptionalDateEdit(parent)
        else:
            edit = QLineEdit(parent)
            if info.type == "number":
                edit.setPlaceholderText("A number")
            self.widget = edit

    def value(self) -> str:
        w = self.widget
        if isinstance(w, QComboBox):
            return str(w.currentData() or "")
        if isinstance(w, OptionalDateEdit):
            return w.value()
        assert isinstance(w, QLineEdit)
        return w.text()

    def set_value(self, text: str) -> None:
        w = self.widget
        if isinstance(w, QComboBox):
            i = w.findData(text)
            if i < 0 and text:  # a value from before the choices changed: keep it visible
                w.addItem(text, text)
                i = w.count() - 1
            w.setCurrentIndex(max(i, 0))
        elif isinstance(w, OptionalDateEdit):
            w.set_value(text)
        else:
            assert isinstance(w, QLineEdit)
            w.setText(text)


class CommunityDialog(QDialog):
    def __init__(
        self, services: Services, community_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.community_id = community_id
        self.setWindowTitle("New community" if community_id is None else "Edit community")
        self.setMinimumWidth(520)
        self.errors: dict[str, ErrorLabel] = {}

        self.name = QLineEdit(self)
        self.name.setPlaceholderText("e.g. Rust Berlin")
        self.kind = QComboBox(self)
        for k in COMMUNITY_KINDS:
            self.kind.addItem(k.capitalize(), k)
        self.status = QComboBox(self)
        for s in PARTNERSHIP_STATUSES:
            self.status.addItem(s.capitalize(), s)
        self.website = QLineEdit(self)
        self.website.setPlaceholderText("https://…")
        self.size = QLineEdit(self)
        self.size.setPlaceholderText("How many people, roughly")
        self.notes = QPlainTextEdit(self)
        self.notes.setPlaceholderText("Who they are, what the partnership is about…")
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(90)

        self.general_error = ErrorLabel(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._form = form
        self._add_row("Name", self.name, "name")
        self._add_row("Kind", self.kind, "kind")
        self._add_row("Status", self.status, "status")
        self._add_row("Website", self.website, "website")
        self._add_row("Size", self.size, "size")
        self._add_row("Notes", self.notes, "notes")

        self.field_editors: dict[int, FieldEditor] = {}
        fields = services.fields.definitions("community")
        if fields:
            form.addRow(section_title("Custom fields", self))
        for info in fields:
            editor = FieldEditor(info, self)
            self.field_editors[info.id] = editor
            self._add_row(info.name, editor.widget, f"custom:{info.id}")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if community_id is None:
            self.save_button.setText("Create")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.general_error)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        if community_id is not None:
            self._load(community_id)
        self.name.setFocus()

    def _add_row(self, label: str, widget: QWidget, key: str) -> None:
        error = ErrorLabel(self)
        self.errors[key] = error
        holder = QWidget(self)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        box.addWidget(error)
        self._form.addRow(label, holder)

    def _load(self, community_id: int) -> None:
        d = self.services.communities.get(community_id)
        self.name.setText(d.name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(d.kind)))
        self.status.setCurrentIndex(max(0, self.status.findData(d.status)))
        self.website.setText(d.website)
        self.size.setText("" if d.size is None else str(d.size))
        self.notes.setPlainText(d.notes)
        for f in d.custom:
            if (editor := self.field_editors.get(f.field_id)) is not None:
                editor.set_value(f.value)

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each message next to its field; ones for no field at the top."""
        general = []
        for key, label in self.errors.items():
            label.set_error(errors.get(key))
        for key, message in errors.items():
            if key not in self.errors:
                general.append(message)
        self.general_error.set_error("\n".join(general))
        for key in self.errors:
            if key in errors:
                self._focus_field(key)
                break

    def _focus_field(self, key: str) -> None:
        widgets: dict[str, QWidget] = {
            "name": self.name,
            "kind": self.kind,
            "status": self.status,
            "website": self.website,
            "size": self.size,
            "notes": self.notes,
        }
        widgets.update({f"custom:{fid}": e.widget for fid, e in self.field_editors.items()})
        if key in widgets:
            widgets[key].setFocus()

    def data(self) -> CommunityInput:
        """What the form says; raises ValidationError for a size that is not a number."""
        raw_size = self.size.text().strip().replace(",", "").replace("_", "")
        size: int | None = None
        if raw_size:
            try:
                size = int(raw_size)
            except ValueError:
                raise ValidationError({"size": "Size must be a whole number."}) from None
        return CommunityInput(
            name=self.name.text(),
            kind=str(self.kind.currentData()),
            status=str(self.status.currentData()),
            website=self.website.text(),
            size=size,
            notes=self.notes.toPlainText(),
            custom={fid: e.value() for fid, e in self.field_editors.items()},
        )

    def accept(self) -> None:
        try:
            data = self.data()
            if self.community_id is None:
                self.community_id = self.services.communities.create(data)
            else:
                self.services.communities.update(self.community_id, data)
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return
        except ServiceError as exc:
            self.show_errors({"": str(exc)})
            return
        super().accept()
