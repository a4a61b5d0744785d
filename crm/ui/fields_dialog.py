"""Custom fields on people and communities: list them, add one, delete one.

Deleting a field deletes every value stored in it, on every person or community, so
it asks first; adding one shows the service's validation messages inline.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from crm.models import FIELD_TYPES
from crm.services import Services, ValidationError
from crm.ui.widgets.labels import ErrorLabel, heading, muted, section_title

ENTITIES = (("person", "People"), ("community", "Communities"))
_TYPE_HINTS = {
    "text": "any text",
    "number": "sortable as a number",
    "date": "YYYY-MM-DD, sortable by date",
    "choice": "one of a fixed list",
}


class FieldsDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle("Custom fields")
        self.resize(520, 520)
        self.entity_tabs = QTabBar()
        for _, label in ENTITIES:
            self.entity_tabs.addTab(label)
        self.entity_tabs.currentChanged.connect(lambda _i: self.reload())
        self.list = QListWidget()
        self.list.setAlternatingRowColors(True)
        self.list.currentRowChanged.connect(lambda _r: self._update_buttons())
        self.delete_button = QPushButton("Delete field…")
        self.delete_button.clicked.connect(self.delete_selected)

        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. T-shirt size")
        self.type = QComboBox()
        for t in FIELD_TYPES:
            self.type.addItem(f"{t.capitalize()} — {_TYPE_HINTS[t]}", t)
        self.choices = QLineEdit()
        self.choices.setPlaceholderText("S, M, L, XL")
        self.type.currentIndexChanged.connect(lambda _i: self._update_buttons())
        self.errors = {k: ErrorLabel() for k in ("name", "type", "choices", "entity")}
        self.add_button = QPushButton("Add field")
        self.add_button.setObjectName("primary")
        self.add_button.clicked.connect(self.add_field)
        self.name.returnPressed.connect(self.add_field)

        form = QFormLayout()
        form.addRow("Name", self._stack(self.name, self.errors["name"]))
        form.addRow("Type", self._stack(self.type, self.errors["type"]))
        form.addRow("Choices", self._stack(self.choices, self.errors["choices"]))
        add_row = QHBoxLayout()
        add_row.addStretch(1)
        add_row.addWidget(self.add_button)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        close.accepted.connect(self.accept)
        list_row = QHBoxLayout()
        list_row.addStretch(1)
        list_row.addWidget(self.delete_button)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading("Custom fields", scale=1.25))
        note = muted(
            "Fields you define show in the detail panel, as table columns, and are "
            "searchable and sortable."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.entity_tabs)
        layout.addWidget(self.list, 1)
        layout.addLayout(list_row)
        layout.addWidget(section_title("Add a field"))
        layout.addLayout(form)
        layout.addWidget(self.errors["entity"])
        layout.addLayout(add_row)
        layout.addWidget(close)
        self.reload()

    @staticmethod
    def _stack(*widgets: QWidget) -> QWidget:
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        for w in widgets:
            v.addWidget(w)
        return box

    @property
    def entity(self) -> str:
        return ENTITIES[max(self.entity_tabs.currentIndex(), 0)][0]

    def set_entity(self, entity: str) -> None:
        self.entity_tabs.setCurrentIndex([e for e, _ in ENTITIES].index(entity))

    def reload(self) -> None:
        self.list.clear()
        for info in self.services.fields.definitions(self.entity):
            text = f"{info.name}  ·  {info.type}"
            if info.choices:
                text += f" ({', '.join(info.choices)})"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, info.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, info.name)
            self.list.addItem(item)
        if self.list.count() == 0:
            item = QListWidgetItem("No custom fields yet.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(item)
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self.list.currentItem()
        self.delete_button.setEnabled(
            item is not None and item.data(Qt.ItemDataRole.UserRole) is not None
        )
        self.choices.setEnabled(self.type.currentData() == "choice")

    def add_field(self) -> int | None:
        for label in self.errors.values():
            label.set_error(None)
        kind = str(self.type.currentData())
        choices = self.choices.text().split(",") if kind == "choice" else []
        try:
            fid = self.services.fields.create(self.entity, self.name.text(), kind, choices)
        except ValidationError as exc:
            for key, message in exc.errors.items():
                self.errors.get(key, self.errors["entity"]).set_error(message)
            return None
        self.name.clear()
        self.choices.clear()
        self.reload()
        return fid

    def delete_selected(self) -> None:
        item = self.list.currentItem()
        fid = item.data(Qt.ItemDataRole.UserRole) if item else None
        if fid is None:
            return
        name = item.data(Qt.ItemDataRole.UserRole + 1)
        answer = QMessageBox.question(
            self,
            "Delete field",
            f"Delete the field “{name}” and every value stored in it?\nThis cannot be undone.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.services.fields.delete(int(fid))
            self.reload()
