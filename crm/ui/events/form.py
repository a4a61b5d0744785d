"""The event form: used for a new event (in a dialog) and as the detail's Details tab.

The form writes nothing: it builds an EventInput and shows the service's refusal
under each field it concerns.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from zoneinfo import available_timezones

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crm.models import EVENT_KINDS, EVENT_STATUSES
from crm.services import ServiceError, Services, ValidationError
from crm.services.events import EventDetail, EventInput
from crm.ui.widgets.labels import ErrorLabel

NO_LIMIT = -1


@cache
def zone_names() -> list[str]:
    return sorted(z for z in available_timezones() if "/" in z or z == "UTC")


def _qdt(moment: datetime) -> QDateTime:
    """A wall time as a QDateTime in UTC: no zone, so the machine's own DST switches
    never shift or refuse a time meant for the event's zone."""
    return QDateTime(
        QDate(moment.year, moment.month, moment.day),
        QTime(moment.hour, moment.minute),
        QTimeZone.utc(),
    )


def _py(value: QDateTime) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


class EventForm(QWidget):
    """Every field of an event, with an error line under those the service may refuse."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.title = QLineEdit(self)
        self.title.setPlaceholderText("e.g. Berlin Rust Meetup #12")
        self.kind = QComboBox(self)
        for k in EVENT_KINDS:
            self.kind.addItem(k if k == "AMA" else k.capitalize(), k)
        self.status = QComboBox(self)
        for st in EVENT_STATUSES:
            self.status.addItem(st.capitalize(), st)
        self.starts = QDateTimeEdit(self)
        self.ends = QDateTimeEdit(self)
        for edit in (self.starts, self.ends):
            edit.setTimeZone(QTimeZone.utc())  # wall times: see _qdt
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("ddd dd MMM yyyy  HH:mm")
        self.starts.dateTimeChanged.connect(self._start_moved)
        self._last_start = self.starts.dateTime()
        self.zone = QComboBox(self)
        self.zone.setEditable(True)
        self.zone.addItems(zone_names())
        self.zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(zone_names(), self.zone)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.zone.setCompleter(completer)
        self.location = QLineEdit(self)
        self.location.setPlaceholderText("Venue and city, or leave empty for online only")
        self.online_url = QLineEdit(self)
        self.online_url.setPlaceholderText("https://…")
        self.capacity = QSpinBox(self)
        self.capacity.setRange(NO_LIMIT, 1_000_000)
        self.capacity.setSpecialValueText("No limit")
        self.community = QComboBox(self)
        self.description = QPlainTextEdit(self)
        self.description.setPlaceholderText("What attendees should know")
        self.description.setMinimumHeight(70)

        self.errors: dict[str, ErrorLabel] = {}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, widget, key in (
            ("Title", self.title, "title"),
            ("Kind", self.kind, "kind"),
            ("Status", self.status, "status"),
            ("Starts", self.starts, "starts_at"),
            ("Ends", self.ends, "ends_at"),
            ("Time zone", self.zone, "time_zone"),
            ("Location", self.location, "location"),
            ("Online link", self.online_url, "online_url"),
            ("Capacity", self.capacity, "capacity"),
            ("Community", self.community, "community"),
            ("Description", self.description, "description"),
        ):
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(widget)
            error = ErrorLabel(self)
            box.addWidget(error)
            self.errors[key] = error
            form.addRow(label, box)
        self.general_error = ErrorLabel(self)
        form.addRow(self.general_error)
        self.reload_communities()
        self.clear()

    def reload_communities(self) -> None:
        """Fill the community choice (once, and when communities change)."""
        selected = self.community.currentData()
        self.community.clear()
        self.community.addItem("None", None)
        for cid, name in self.services.communities.all_names():
            self.community.addItem(name, cid)
        self._choose(self.community, selected)

    def _select_community(self, community_id: int | None) -> None:
        if community_id is not None and self.community.findData(community_id) < 0:
            self.reload_communities()  # made since the form was filled
        self._choose(self.community, community_id)

    @staticmethod
    def _choose(combo: QComboBox, value: object) -> None:
        i = combo.findData(value)
        combo.setCurrentIndex(max(i, 0))

    def _start_moved(self, value: QDateTime) -> None:
        """Moving the start moves the end with it, keeping the length."""
        length = self._last_start.secsTo(self.ends.dateTime())
        self._last_start = value
        if length > 0:
            self.ends.setDateTime(value.addSecs(length))

    # ---- values --------------------------------------------------------------------
    def clear(self) -> None:
        """Defaults for a new event: next week at 18:30, three hours, the local zone."""
        start = (datetime.now() + timedelta(days=7)).replace(
            hour=18, minute=30, second=0, microsecond=0
        )
        self.title.clear()
        self._choose(self.kind, "meetup")
        self._choose(self.status, "planning")
        self._last_start = _qdt(start)
        self.starts.setDateTime(_qdt(start))
        self.ends.setDateTime(_qdt(start + timedelta(hours=3)))
        self.zone.setCurrentText(_local_zone())
        self.location.clear()
        self.online_url.clear()
        self.capacity.setValue(NO_LIMIT)
        self._select_community(None)
        self.description.clear()
        self.show_errors(None)

    def set_event(self, e: EventDetail) -> None:
        self.title.setText(e.title)
        self._choose(self.kind, e.kind)
        self._choose(self.status, e.status)
        self._last_start = _qdt(e.starts_at)
        self.starts.setDateTime(_qdt(e.starts_at))
        self.ends.setDateTime(_qdt(e.ends_at))
        self.zone.setCurrentText(e.time_zone)
        self.location.setText(e.location)
        self.online_url.setText(e.online_url)
        self.capacity.setValue(NO_LIMIT if e.capacity is None else e.capacity)
        self._select_community(e.community_id)
        self.description.setPlainText(e.description)
        self.show_errors(None)

    def value(self) -> EventInput:
        capacity = self.capacity.value()
        return EventInput(
            title=self.title.text(),
            starts_at=_py(self.starts.dateTime()),
            ends_at=_py(self.ends.dateTime()),
            time_zone=self.zone.currentText().strip(),
            kind=self.kind.currentData(),
            status=self.status.currentData(),
            location=self.location.text(),
            online_url=self.online_url.text(),
            capacity=None if capacity == NO_LIMIT else capacity,
            description=self.description.toPlainText(),
            community_id=self.community.currentData(),
        )

    def show_errors(self, exc: ServiceError | None) -> None:
        for label in self.errors.values():
            label.set_error(None)
        self.general_error.set_error(None)
        if exc is None:
            return
        if isinstance(exc, ValidationError):
            for key, message in exc.errors.items():
                self.errors.get(key, self.general_error).set_error(message)
            first = next(iter(exc.errors))
            widget = {
                "title": self.title,
                "starts_at": self.starts,
                "ends_at": self.ends,
                "time_zone": self.zone,
                "online_url": self.online_url,
            }.get(first)
            if widget is not None:
                widget.setFocus()
        else:
            self.general_error.set_error(str(exc))


def _local_zone() -> str:
    """The machine's IANA zone when it can be told, else UTC."""
    import os
    from pathlib import Path

    name = os.environ.get("TZ", "").lstrip(":")
    if not name:
        try:
            target = Path("/etc/localtime").resolve()
            parts = target.parts
            if "zoneinfo" in parts:
                name = "/".join(parts[parts.index("zoneinfo") + 1 :])
        except OSError:
            name = ""
    return name if name in zone_names() else "UTC"


class NewEventDialog(QDialog):
    """A new event: the form, and Create / Cancel. Stays open on refused input."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.event_id: int | None = None
        self.setWindowTitle("New event")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.form = EventForm(services, self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Create event")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        self.resize(520, 600)
        self.form.title.setFocus()

    def accept(self) -> None:
        try:
            self.event_id = self.services.events.create(self.form.value())
        except ServiceError as exc:
            self.form.show_errors(exc)
            return
        super().accept()
