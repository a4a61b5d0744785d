"""Add or edit a person: every profile field, in tabs, validated by the people service.

On a ValidationError each message is shown under its field, the first tab with a
problem is brought forward, and the dialog stays open; nothing is written.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QBuffer, QByteArray, QDate, QIODevice, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crm.models import ROLES
from crm.services import ServiceError, Services, ValidationError
from crm.services.people_data import EmailData, HandleData, PersonDetail, PersonInput, PhoneData
from crm.ui.people.person_form_parts import EMAIL, HANDLE, PHONE, ConsentEditor, ContactRows
from crm.ui.widgets.avatar import Avatar
from crm.ui.widgets.field_editor import FieldEditor
from crm.ui.widgets.labels import ERROR_COLOUR, ErrorLabel, heading, muted
from crm.ui.widgets.person_picker import PersonPicker
from crm.ui.widgets.tag_edit import TagEdit

PHOTO_SIZE = 256  # stored photos are scaled down: the avatar never needs more


@cache
def time_zones() -> list[str]:
    from zoneinfo import available_timezones

    return sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setVerticalSpacing(8)
    form.setHorizontalSpacing(14)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


def _stack(*widgets: QWidget) -> QWidget:
    box = QWidget()
    v = QVBoxLayout(box)
    v.setContentsMargins(0, 0, 0, 0)
    v.setSpacing(2)
    for w in widgets:
        v.addWidget(w)
    return box


class PersonDialog(QDialog):
    def __init__(
        self, services: Services, parent: QWidget | None = None, person: PersonDetail | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.person = person
        self.saved_id: int | None = None
        self._photo: bytes | None = person.photo if person else None
        self.setWindowTitle(f"Edit {person.display_name}" if person else "New person")
        self.resize(640, 560)
        self.tabs = QTabWidget(self)
        self.errors: dict[str, ErrorLabel] = {}
        self._tab_of: dict[str, int] = {}
        self.tabs.addTab(self._profile_tab(), "Profile")
        self.tabs.addTab(self._contact_tab(), "Contact")
        self.tabs.addTab(self._roles_tab(), "Roles && tags")
        self.tabs.addTab(self._consents_tab(), "Consents")
        self.field_editors: dict[int, FieldEditor] = {}
        defs = services.fields.definitions("person")
        if defs:
            self.tabs.addTab(self._custom_tab(defs), "Custom fields")

        self.general_error = ErrorLabel()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading(self.windowTitle(), scale=1.25))
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        self._load(person.to_input() if person else PersonInput())
        self.given_name.setFocus()

    # ---- tabs ------------------------------------------------------------------------
    def _error(self, key: str, tab: int) -> ErrorLabel:
        label = ErrorLabel()
        self.errors[key] = label
        self._tab_of[key] = tab
        return label

    def _profile_tab(self) -> QWidget:
        self.given_name, self.family_name = QLineEdit(), QLineEdit()
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText("Given and family name, unless you type one")
        self.pronouns = QLineEdit()
        self.pronouns.setPlaceholderText("e.g. she/her")
        self.organisation, self.title = QLineEdit(), QLineEdit()
        self.city, self.country = QLineEdit(), QLineEdit()
        self.time_zone = QComboBox()
        self.time_zone.setEditable(True)
        self.time_zone.addItem("")
        self.time_zone.addItems(time_zones())
        self.time_zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(time_zones(), self.time_zone)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.time_zone.setCompleter(completer)
        self.bio = QPlainTextEdit()
        self.bio.setFixedHeight(70)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(70)
        self.avatar = Avatar(48)
        choose = QPushButton("Choose photo…")
        choose.clicked.connect(self._choose_photo)
        self.remove_photo = QPushButton("Remove")
        self.remove_photo.clicked.connect(lambda: self._set_photo(None))
        photo_row = QHBoxLayout()
        photo_row.addWidget(self.avatar)
        photo_row.addWidget(choose)
        photo_row.addWidget(self.remove_photo)
        photo_row.addStretch(1)

        names = QHBoxLayout()
        names.addWidget(self.given_name)
        names.addWidget(self.family_name)
        self.given_name.setPlaceholderText("Given name")
        self.family_name.setPlaceholderText("Family name")
        names_box = QWidget()
        names_box.setLayout(names)
        names.setContentsMargins(0, 0, 0, 0)
        place = QHBoxLayout()
        place.setContentsMargins(0, 0, 0, 0)
        self.city.setPlaceholderText("City")
        self.country.setPlaceholderText("Country")
        place.addWidget(self.city)
        place.addWidget(self.country)
        place_box = QWidget()
        place_box.setLayout(place)

        form = _form()
        form.addRow("Name", _stack(names_box, self._error("name", 0)))
        form.addRow("Display name", self.display_name)
        form.addRow("Pronouns", self.pronouns)
        form.addRow("Organisation", self.organisation)
        form.addRow("Title", self.title)
        form.addRow("Location", place_box)
        form.addRow("Time zone", _stack(self.time_zone, self._error("time_zone", 0)))
        form.addRow("Photo", photo_row)
        form.addRow("Bio", self.bio)
        form.addRow("Notes", self.notes)
        return self._scrolled(form)

    def _contact_tab(self) -> QWidget:
        self.emails = ContactRows(EMAIL)
        self.phones = ContactRows(PHONE)
        self.handles = ContactRows(HANDLE)
        form = _form()
        form.addRow("Emails", self.emails)
        form.addRow("Phones", self.phones)
        form.addRow("Handles", self.handles)
        return self._scrolled(form)

    def _roles_tab(self) -> QWidget:
        self.role_boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        for i, role in enumerate(ROLES):
            box = QCheckBox(role.capitalize())
            self.role_boxes[role] = box
            grid.addWidget(box, i // 3, i % 3)
        roles = QWidget()
        roles.setLayout(grid)
        self.tags = TagEdit(t.name for t in self.services.tags.all())
        self.referred_by = PersonPicker(self.services)
        if self.person is not None:
            self.referred_by.set_excluded([self.person.id])
        self.follow_up_on = QCheckBox("Follow up on")
        self.follow_up = QDateEdit(QDate.currentDate().addDays(7))
        self.follow_up.setCalendarPopup(True)
        self.follow_up.setDisplayFormat("yyyy-MM-dd")
        self.follow_up.setEnabled(False)
        self.follow_up_on.toggled.connect(self.follow_up.setEnabled)
        follow = QHBoxLayout()
        follow.addWidget(self.follow_up_on)
        follow.addWidget(self.follow_up)
        follow.addStretch(1)
        form = _form()
        form.addRow("Roles", _stack(roles, self._error("roles", 2)))
        form.addRow("Tags", _stack(self.tags, muted("Separate tags with commas.")))
        form.addRow("Referred by", _stack(self.referred_by, self._error("referred_by", 2)))
        form.addRow("Next follow-up", follow)
        return self._scrolled(form)

    def _consents_tab(self) -> QWidget:
        self.consents = ConsentEditor()
        self.errors["consents"] = self.consents.error
        self._tab_of["consents"] = 3
        box = QVBoxLayout()
        note = muted(
            "What this person agreed to. Partner exports only ever include people "
            "who granted partner sharing."
        )
        note.setWordWrap(True)
        box.addWidget(note)
        box.addWidget(self.consents)
        box.addStretch(1)
        return self._scrolled(box)

    def _custom_tab(self, defs: list) -> QWidget:  # type: ignore[type-arg]
        form = _form()
        for info in defs:
            editor = FieldEditor(info)
            self.field_editors[info.id] = editor
            form.addRow(info.name, _stack(editor, self._error(f"custom:{info.id}", 4)))
        return self._scrolled(form)

    def _scrolled(self, layout: QFormLayout | QVBoxLayout) -> QWidget:
        inner = QWidget()
        inner.setLayout(layout)
        layout.setContentsMargins(14, 14, 14, 14)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setWidget(inner)
        return area

    # ---- photo -----------------------------------------------------------------------
    def _choose_photo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a photo", "", "Images (*.png *.jpg *.jpeg *.webp *.gif)"
        )
        if not path:
            return
        image = QImage(path)
        if image.isNull():
            self.general_error.set_error(f"Cannot read {path} as an image.")
            return
        image = image.scaled(
            PHOTO_SIZE,
            PHOTO_SIZE,
            Qt.AspectRatioMode.KeepAspectRatioByExpanding,
            Qt.TransformationMode.SmoothTransformation,
        )
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        self._set_photo(bytes(data.data()))

    def _set_photo(self, photo: bytes | None) -> None:
        self._photo = photo
        name = self.display_name.text() or f"{self.given_name.text()} {self.family_name.text()}"
        self.avatar.set_person(name.strip() or "?", photo)
        self.remove_photo.setEnabled(photo is not None)

    # ---- data ------------------------------------------------------------------------
    def _load(self, d: PersonInput) -> None:
        self.given_name.setText(d.given_name)
        self.family_name.setText(d.family_name)
        auto = " ".join(x for x in (d.given_name, d.family_name) if x)
        self.display_name.setText("" if d.display_name == auto else d.display_name)
        for w, v in (
            (self.pronouns, d.pronouns),
            (self.organisation, d.organisation),
            (self.title, d.title),
            (self.city, d.city),
            (self.country, d.country),
        ):
            w.setText(v)
        self.time_zone.setCurrentText(d.time_zone)
        self.bio.setPlainText(d.bio)
        self.notes.setPlainText(d.notes)
        self._set_photo(d.photo)
        self.emails.set_values([(e.address, e.label or "work") for e in d.emails])
        self.phones.set_values([(p.number, p.label or "mobile") for p in d.phones])
        self.handles.set_values([(h.handle, h.network) for h in d.handles])
        for role, box in self.role_boxes.items():
            box.setChecked(role in d.roles)
        self.tags.set_tags(d.tags)
        if d.referred_by_id is not None and self.person and self.person.referred_by:
            self.referred_by.set_person(d.referred_by_id, self.person.referred_by.name)
        self.follow_up_on.setChecked(d.next_follow_up is not None)
        if d.next_follow_up:
            self.follow_up.setDate(QDate(d.next_follow_up))
        self.consents.set_consents(d.consents)
        for fid, editor in self.field_editors.items():
            editor.set_value(d.custom.get(fid, ""))

    def value(self) -> PersonInput:
        return PersonInput(
            given_name=self.given_name.text(),
            family_name=self.family_name.text(),
            display_name=self.display_name.text(),
            pronouns=self.pronouns.text(),
            organisation=self.organisation.text(),
            title=self.title.text(),
            city=self.city.text(),
            country=self.country.text(),
            time_zone=self.time_zone.currentText().strip(),
            bio=self.bio.toPlainText(),
            notes=self.notes.toPlainText(),
            roles=tuple(r for r, box in self.role_boxes.items() if box.isChecked()),
            emails=tuple(EmailData(a, label) for a, label in self.emails.values()),
            phones=tuple(PhoneData(n, label) for n, label in self.phones.values()),
            handles=tuple(HandleData(net, h) for h, net in self.handles.values()),
            tags=tuple(self.tags.tags()),
            consents=self.consents.consents(),
            referred_by_id=self.referred_by.person_id(),
            next_follow_up=(
                self.follow_up.date().toPython() if self.follow_up_on.isChecked() else None
            ),
            custom={fid: e.value() for fid, e in self.field_editors.items()},
            photo=self._photo,
        )

    def save(self) -> None:
        self._clear_errors()
        try:
            if self.person is None:
                self.saved_id = self.services.people.create(self.value())
            else:
                self.services.people.update(self.person.id, self.value())
                self.saved_id = self.person.id
        except ValidationError as exc:
            self._show_errors(exc.errors)
            return
        except ServiceError as exc:
            self.general_error.set_error(str(exc))
            return
        self.accept()

    def _clear_errors(self) -> None:
        for label in (*self.errors.values(), self.general_error):
            label.set_error(None)
        for i in range(self.tabs.count()):
            self.tabs.tabBar().setTabTextColor(i, QColor())
        for rows in (self.emails, self.phones):
            rows.clear_errors()

    def _show_errors(self, errors: dict[str, str]) -> None:
        tabs: list[int] = []
        leftovers: list[str] = []
        for key, message in errors.items():
            if key.startswith(("emails[", "phones[")):
                rows = self.emails if key.startswith("emails") else self.phones
                if rows.set_error(int(key[key.index("[") + 1 : -1]), message):
                    tabs.append(1)
                    continue
            elif key in self.errors:
                self.errors[key].set_error(message)
                tabs.append(self._tab_of[key])
                continue
            leftovers.append(message)
        for tab in set(tabs):  # tabs with a problem show it in their title
            self.tabs.tabBar().setTabTextColor(tab, QColor(ERROR_COLOUR))
        if tabs:
            self.tabs.setCurrentIndex(min(tabs))
        self.general_error.set_error(
            "\n".join([*leftovers, "Please correct the fields marked in red."])
        )
