"""Editable parts of the person detail panel: relationships and custom fields.

They live apart from the read-only sections because they keep their own widgets
across refreshes: rebuilding an editor while the user tabs through it would steal
the focus and lose what they typed.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crm.models import RELATIONSHIP_KINDS
from crm.services import ServiceError, Services, ValidationError
from crm.services.people_data import FieldValueData, PersonDetail
from crm.ui.widgets.field_editor import FieldEditor
from crm.ui.widgets.labels import ErrorLabel, muted
from crm.ui.widgets.person_picker import PersonPicker


def clear_layout(layout: QLayout) -> None:
    """Remove and schedule deletion of everything in a layout (nested layouts too)."""
    while (item := layout.takeAt(0)) is not None:
        if (w := item.widget()) is not None:
            w.hide()
            w.deleteLater()
        elif (sub := item.layout()) is not None:
            clear_layout(sub)


def _item_kind(href: str) -> str | None:
    """ "event" for "event:12"; None for anything that is not an in-app link."""
    kind, _, rest = href.partition(":")
    return kind if kind.isidentifier() and kind.islower() and rest.isdigit() else None


def item_link(kind: str, item_id: int, text: str) -> str:
    """A link to an item on another page (see crm.ui.people.linked)."""
    return f'<a href="{kind}:{item_id}">{html.escape(text)}</a>'


def person_link(person_id: int, name: str) -> str:
    return f'<a href="person:{person_id}">{html.escape(name)}</a>'


def community_link(community_id: int, name: str) -> str:
    return f'<a href="community:{community_id}">{html.escape(name)}</a>'


def link_label(
    text: str,
    on_person: Callable[[int], None],
    on_community: Callable[[int], None] | None = None,
    on_item: Callable[[str, int], None] | None = None,
) -> QLabel:
    """Rich text whose person:<id>, community:<id> and <kind>:<id> links call back.

    Any other link (http, mailto) opens outside the app.
    """
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)

    def activated(href: str) -> None:
        if href.startswith("person:"):
            on_person(int(href.split(":", 1)[1]))
        elif href.startswith("community:"):
            if on_community is not None:
                on_community(int(href.split(":", 1)[1]))
        elif (kind := _item_kind(href)) is not None:
            if on_item is not None:
                on_item(kind, int(href.split(":", 1)[1]))
        else:
            from PySide6.QtCore import QUrl
            from PySide6.QtGui import QDesktopServices

            QDesktopServices.openUrl(QUrl(href))

    label.linkActivated.connect(activated)
    return label


class RelationshipsEditor(QWidget):
    """The person's relationships, each removable, and a row to add one."""

    person_activated = Signal(int)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.person_id: int | None = None
        self._list = QVBoxLayout()
        self._list.setSpacing(4)
        self.kind = QComboBox()
        for k in RELATIONSHIP_KINDS:
            self.kind.addItem(k, k)
        self.other = PersonPicker(services)
        self.other.setPlaceholderText("Person…")
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(self._add)
        self.other.person_chosen.connect(lambda *_: self.add_button.setFocus())
        self.error = ErrorLabel()
        add_row = QHBoxLayout()
        add_row.addWidget(self.kind)
        add_row.addWidget(self.other, 1)
        add_row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(self._list)
        layout.addLayout(add_row)
        layout.addWidget(self.error)

    def set_person(self, detail: PersonDetail) -> None:
        if detail.id != self.person_id:
            self.other.set_person(None)
            self.error.set_error(None)
        self.person_id = detail.id
        self.other.set_excluded([detail.id])
        clear_layout(self._list)
        if not detail.relationships:
            self._list.addWidget(muted("No relationships yet."))
        for rel in detail.relationships:
            if rel.outgoing:
                text = f"{html.escape(rel.kind)} {person_link(rel.other_id, rel.other_name)}"
            else:
                text = (
                    f"{person_link(rel.other_id, rel.other_name)} is "
                    f"<span>{html.escape(rel.kind)}</span> them"
                )
            row = QHBoxLayout()
            row.addWidget(link_label(text, self.person_activated.emit), 1)
            remove = QToolButton()
            remove.setText("✕")
            remove.setToolTip("Remove this relationship")
            remove.setAutoRaise(True)
            remove.clicked.connect(lambda _=False, rid=rel.id: self._remove(rid))
            row.addWidget(remove)
            self._list.addLayout(row)

    def _add(self) -> None:
        other = self.other.person_id()
        if self.person_id is None:
            return
        if other is None:
            self.error.set_error("Pick a person from the suggestions first.")
            return
        try:
            self.services.people.add_relationship(self.person_id, other, self.kind.currentData())
        except ValidationError as exc:
            self.error.set_error(" ".join(exc.errors.values()))
            return
        except ServiceError as exc:
            self.error.set_error(str(exc))
            return
        self.error.set_error(None)
        self.other.set_person(None)

    def _remove(self, relationship_id: int) -> None:
        self.services.people.remove_relationship(relationship_id)


class CustomFieldsEditor(QWidget):
    """Custom fields edited in place: saved when the user leaves the field."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.person_id: int | None = None
        self.editors: dict[int, FieldEditor] = {}
        self.errors: dict[int, ErrorLabel] = {}
        self._stored: dict[int, str] = {}
        self._signature: tuple[object, ...] = ()
        self._form = QFormLayout(self)
        self._form.setContentsMargins(0, 0, 0, 0)
        self._form.setVerticalSpacing(6)

    def set_person(self, detail: PersonDetail, defs: list) -> None:  # type: ignore[type-arg]
        signature = (detail.id, tuple((f.id, f.name, f.type, f.choices) for f in defs))
        values = {v.field_id: v for v in detail.custom}
        if signature != self._signature:
            self._rebuild(defs)
            self._signature = signature
        self.person_id = detail.id
        for fid, editor in self.editors.items():
            value = values.get(fid, FieldValueData(fid, "", "", "")).value
            self._stored[fid] = value
            if not editor.editor().hasFocus():
                editor.set_value(value)
        self.setVisible(bool(defs))

    def _rebuild(self, defs: list) -> None:  # type: ignore[type-arg]
        while self._form.rowCount():
            self._form.removeRow(0)
        self.editors, self.errors = {}, {}
        for info in defs:
            editor = FieldEditor(info)
            error = ErrorLabel()
            box = QWidget()
            v = QVBoxLayout(box)
            v.setContentsMargins(0, 0, 0, 0)
            v.setSpacing(2)
            v.addWidget(editor)
            v.addWidget(error)
            editor.committed.connect(lambda fid=info.id: self.commit(fid))
            self.editors[info.id] = editor
            self.errors[info.id] = error
            self._form.addRow(info.name, box)

    def commit(self, field_id: int) -> bool:
        """Save one field if it changed; show the service's message if refused."""
        editor = self.editors.get(field_id)
        if editor is None or self.person_id is None:
            return False
        raw = editor.value()
        if raw.strip() == self._stored.get(field_id, ""):
            self.errors[field_id].set_error(None)
            return True
        try:
            self.services.fields.set_value(field_id, self.person_id, raw)
        except ValidationError as exc:
            self.errors[field_id].set_error(" ".join(exc.errors.values()))
            return False
        except ServiceError as exc:
            self.errors[field_id].set_error(str(exc))
            return False
        self.errors[field_id].set_error(None)
        return True
