"""New or edit an outreach card: person, talk topic, target event, next step and its date.

The service validates; its messages appear under the fields they concern and the dialog
stays open, so nothing typed is lost and nothing invalid is written. Editing shows the
card's moves too: when it went from which stage to which.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from crm.services import ServiceError, Services, ValidationError
from crm.services.outreach_data import CardDetail, CardInput
from crm.ui.outreach.board import STAGES, stage_title
from crm.ui.widgets.labels import ErrorLabel, heading, muted
from crm.ui.widgets.person_picker import PersonPicker


def moves_text(detail: CardDetail) -> str:
    """The card's moves, oldest first, one per line (rich text)."""
    lines = []
    for m in detail.moves:
        what = (
            f"created in <b>{html.escape(stage_title(m.to_stage))}</b>"
            if m.from_stage is None
            else f"{html.escape(stage_title(m.from_stage))} → "
            f"<b>{html.escape(stage_title(m.to_stage))}</b>"
        )
        lines.append(f"{m.moved_at:%Y-%m-%d}&nbsp;&nbsp;{what}")
    return "<br>".join(lines)


def event_combo(services: Services) -> QComboBox:
    """The target event: upcoming events first, then past ones. Typing finds an event
    by any part of its title (the demo has 2,000); the combo is sized by a length, not
    by measuring every title (~30 ms at 2,000)."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(32)
    combo.addItem("No target event", None)
    for choice in services.outreach.event_choices():
        combo.addItem(choice.label + ("  — past" if choice.past else ""), choice.id)
    completer = combo.completer()
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    combo.lineEdit().setPlaceholderText("Type to find an event")
    return combo


class CardDialog(QDialog):
    """Window-modal, not blocking: open() returns at once; `saved_id` is set on success."""

    def __init__(
        self,
        services: Services,
        parent: QWidget | None = None,
        *,
        card_id: int | None = None,
        person: tuple[int, str] | None = None,
        stage: str = "identified",
        event_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.card_id = card_id
        self.saved_id: int | None = None
        detail = services.outreach.get(card_id) if card_id is not None else None
        self.setWindowTitle("Edit outreach card" if detail else "New outreach card")
        self.setMinimumWidth(500)

        self.person = PersonPicker(services)
        self.person.setPlaceholderText("Who: type a name…")
        self.topic = QLineEdit()
        self.topic.setPlaceholderText("The talk they could give")
        self.event = event_combo(services)
        self.stage = QComboBox()
        for s in STAGES:
            self.stage.addItem(stage_title(s), s)
        self.stage.setCurrentIndex(STAGES.index(stage) if stage in STAGES else 0)
        self.next_step = QLineEdit()
        self.next_step.setPlaceholderText("e.g. Send the call for papers")
        self.has_date = QCheckBox("by")
        self.next_date = QDateEdit(QDate.currentDate().addDays(7))
        self.next_date.setCalendarPopup(True)
        self.next_date.setDisplayFormat("yyyy-MM-dd")
        self.next_date.setEnabled(False)
        self.has_date.toggled.connect(self.next_date.setEnabled)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Bio, travel, slides, anything to remember")
        self.notes.setMinimumHeight(80)

        self.errors = {k: ErrorLabel() for k in ("person", "topic", "event", "next_step", "stage")}
        self.general_error = ErrorLabel()
        step_row = QHBoxLayout()
        step_row.setContentsMargins(0, 0, 0, 0)
        step_row.addWidget(self.next_step, 1)
        step_row.addWidget(self.has_date)
        step_row.addWidget(self.next_date)
        step_box = QWidget()
        step_box.setLayout(step_row)

        form = QFormLayout()
        form.setVerticalSpacing(8)
        form.addRow("Person", self._with_error(self.person, "person"))
        form.addRow("Topic", self._with_error(self.topic, "topic"))
        form.addRow("Target event", self._with_error(self.event, "event"))
        if detail is None:
            form.addRow("Stage", self._with_error(self.stage, "stage"))
        form.addRow("Next step", self._with_error(step_box, "next_step"))
        form.addRow("Notes", self.notes)
        self.history = QLabel()
        if detail is not None:
            self.history.setText(moves_text(detail))
            form.addRow("Moves", self.history)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle(), scale=1.2))
        if detail is not None:
            layout.addWidget(muted(f"Now in {stage_title(detail.stage)}"))
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        if detail is not None:
            self._fill(detail)
        else:
            if person is not None:
                self.person.set_person(*person)
            if event_id is not None and (i := self.event.findData(event_id)) >= 0:
                self.event.setCurrentIndex(i)
        (self.topic if self.person.person_id() else self.person).setFocus()

    def _with_error(self, widget: QWidget, key: str) -> QWidget:
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        v.addWidget(widget)
        v.addWidget(self.errors[key])
        return box

    def _fill(self, d: CardDetail) -> None:
        self.person.set_person(d.person_id, d.person_name)
        self.topic.setText(d.topic)
        i = self.event.findData(d.event_id) if d.event_id is not None else 0
        if i < 0:  # an event no longer offered (archived): keep it rather than drop it
            self.event.addItem(d.event_title or f"Event {d.event_id}", d.event_id)
            i = self.event.count() - 1
        self.event.setCurrentIndex(i)
        self.next_step.setText(d.next_step)
        if d.next_step_on is not None:
            self.has_date.setChecked(True)
            self.next_date.setDate(QDate(d.next_step_on))
        self.notes.setPlainText(d.notes)

    def value(self) -> CardInput:
        return CardInput(
            person_id=self.person.person_id(),
            topic=self.topic.text(),
            event_id=self.event.currentData(),
            next_step=self.next_step.text(),
            next_step_on=self.next_date.date().toPython() if self.has_date.isChecked() else None,  # type: ignore[arg-type]
            notes=self.notes.toPlainText(),
        )

    def save(self) -> None:
        for label in (*self.errors.values(), self.general_error):
            label.set_error(None)
        if self.person.person_id() is None and self.person.text().strip():
            self.errors["person"].set_error("Pick the person from the suggestions.")
            return
        if self.event.currentText() != self.event.itemText(self.event.currentIndex()):
            self.errors["event"].set_error("Pick the event from the list (or No target event).")
            return
        try:
            if self.card_id is None:
                self.saved_id = self.services.outreach.create(
                    self.value(), stage=self.stage.currentData()
                )
            else:
                self.services.outreach.update(self.card_id, self.value())
                self.saved_id = self.card_id
        except ValidationError as exc:
            for key, message in exc.errors.items():
                self.errors.get(key, self.general_error).set_error(message)
            return
        except ServiceError as exc:
            self.general_error.set_error(str(exc))
            return
        self.accept()
