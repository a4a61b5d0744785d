"""Log or edit an interaction (Ctrl+I): kind, when, who, channel, direction, sentiment.

The service validates; its messages appear under the fields they concern and the
dialog stays open, so nothing half-typed is lost and nothing invalid is written.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from crm.models import CHANNELS, DIRECTIONS, INTERACTION_KINDS, SENTIMENTS
from crm.services import Services, ValidationError
from crm.services.interactions import InteractionInput, InteractionRow
from crm.ui.widgets.labels import ErrorLabel, heading
from crm.ui.widgets.person_picker import PeoplePicker


class InteractionDialog(QDialog):
    def __init__(
        self,
        services: Services,
        parent: QWidget | None = None,
        *,
        people: Iterable[tuple[int, str]] = (),
        interaction: InteractionRow | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.interaction = interaction
        self.saved_id: int | None = None
        self.setWindowTitle("Edit interaction" if interaction else "Log interaction")
        self.setMinimumWidth(520)

        self.kind = QComboBox()
        for k in INTERACTION_KINDS:
            self.kind.addItem(k.capitalize(), k)
        self.when = QDateTimeEdit(QDateTime.currentDateTime())
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.participants = PeoplePicker(services)
        self.channel = QComboBox()
        self.channel.setEditable(True)
        self.channel.addItem("")
        self.channel.addItems(list(CHANNELS))
        self.direction = QComboBox()
        for d in DIRECTIONS:
            self.direction.addItem(d.capitalize(), d)
        self.direction.setCurrentIndex(DIRECTIONS.index("mutual"))
        self.sentiment = QComboBox()
        for value, label in sorted(SENTIMENTS.items(), reverse=True):
            self.sentiment.addItem(f"{value:+d}  {label}" if value else f"0  {label}", value)
        self.sentiment.setCurrentIndex(self.sentiment.findData(0))
        self.summary = QLineEdit()
        self.summary.setPlaceholderText("What happened, in a few words")
        self.details = QPlainTextEdit()
        self.details.setPlaceholderText("Notes, links, next steps…")
        self.details.setMinimumHeight(90)

        self.errors = {k: ErrorLabel() for k in ("kind", "participants", "direction", "sentiment")}
        self.errors["summary"] = ErrorLabel()
        self.general_error = ErrorLabel()

        form = QFormLayout()
        form.setVerticalSpacing(8)
        form.addRow("Kind", self._with_error(self.kind, "kind"))
        form.addRow("When", self.when)
        form.addRow("People", self._with_error(self.participants, "participants"))
        form.addRow("Channel", self.channel)
        form.addRow("Direction", self._with_error(self.direction, "direction"))
        form.addRow("Sentiment", self._with_error(self.sentiment, "sentiment"))
        form.addRow("Summary", self._with_error(self.summary, "summary"))
        form.addRow("Details", self.details)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(heading(self.windowTitle(), scale=1.25))
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)

        if interaction is not None:
            self._load(interaction)
        else:
            self.participants.set_people(people)
        self.summary.setFocus()

    def _with_error(self, widget: QWidget, key: str) -> QWidget:
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        v.addWidget(widget)
        v.addWidget(self.errors[key])
        return box

    def _load(self, row: InteractionRow) -> None:
        self.kind.setCurrentIndex(max(0, self.kind.findData(row.kind)))
        self.when.setDateTime(QDateTime(row.occurred_at))
        self.participants.set_people(row.participants)
        self.channel.setCurrentText(row.channel)
        self.direction.setCurrentIndex(max(0, self.direction.findData(row.direction)))
        self.sentiment.setCurrentIndex(max(0, self.sentiment.findData(row.sentiment)))
        self.summary.setText(row.summary)
        self.details.setPlainText(row.details)

    def value(self) -> InteractionInput:
        return InteractionInput(
            kind=str(self.kind.currentData()),
            occurred_at=self.when.dateTime().toPython(),
            participant_ids=tuple(self.participants.ids()),
            summary=self.summary.text(),
            channel=self.channel.currentText(),
            direction=str(self.direction.currentData()),
            sentiment=int(self.sentiment.currentData()),
            details=self.details.toPlainText(),
        )

    def save(self) -> None:
        for label in (*self.errors.values(), self.general_error):
            label.set_error(None)
        try:
            if self.interaction is None:
                self.saved_id = self.services.interactions.log(self.value())
            else:
                self.services.interactions.update(self.interaction.id, self.value())
                self.saved_id = self.interaction.id
        except ValidationError as exc:
            for key, message in exc.errors.items():
                (self.errors.get(key) or self.general_error).set_error(message)
            return
        self.accept()
