"""Dialogs of the Feedback page: a survey with its questions, and one response.

Both write nothing until Save; a refused save shows the service's message in the
dialog and keeps what was typed.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crm.models.feedback import SURVEY_KINDS
from crm.services import ServiceError, Services
from crm.services.feedback import QuestionInput, ResponseInput, SurveyInput
from crm.services.feedback_scores import DEFINITIONS, score_range
from crm.ui.widgets.labels import ErrorLabel, muted
from crm.ui.widgets.person_picker import PersonPicker

_CHOICES = re.compile(r"^(.*?)\s*\[(.+)\]\s*$")


def _optional_date(parent: QWidget, value: date | None) -> tuple[QCheckBox, QDateEdit]:
    box = QCheckBox(parent)
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate(value) if value else QDate.currentDate())
    box.setChecked(value is not None)
    edit.setEnabled(value is not None)
    box.toggled.connect(edit.setEnabled)
    return box, edit


def _row(*widgets: QWidget) -> QHBoxLayout:
    h = QHBoxLayout()
    for w in widgets:
        h.addWidget(w)
    h.addStretch(1)
    return h


def _answer_field(
    parent: QWidget, kind: str, choices: tuple[str, ...], had: str
) -> QComboBox | QLineEdit:
    """A choice question's answer is picked from its choices; an answer the choices do
    not hold (several ticked in a form, or a choice renamed since) stays on offer as it is."""
    if kind == "text":
        edit = QLineEdit(had, parent)
        edit.setPlaceholderText("(no answer)")
        return edit
    box = QComboBox(parent)
    box.addItem("(no answer)", "")
    for c in choices:
        box.addItem(c, c)
    if had and had not in choices:
        box.addItem(f"{had} (as answered)", had)
    box.setCurrentIndex(max(0, box.findData(had)))
    return box


def questions_text(questions: tuple[QuestionInput, ...]) -> str:
    lines = []
    for q in questions:
        lines.append(f"{q.text} [{' | '.join(q.choices)}]" if q.kind == "choice" else q.text)
    return "\n".join(lines)


def parse_questions(text: str, old: tuple[QuestionInput, ...]) -> tuple[QuestionInput, ...]:
    """One question per line; "Text [A | B]" is a choice question. Lines whose text
    matches an existing question keep its id (and, for the score question, its kind)."""
    by_text = {q.text: q for q in old}
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        m = _CHOICES.match(line)
        if m:
            q_text, choices = m.group(1), tuple(c.strip() for c in m.group(2).split("|"))
            kind = "choice"
        else:
            q_text, choices, kind = line, (), "text"
        prev = by_text.get(q_text)
        if prev is not None and prev.kind == "score" and kind == "text":
            kind = "score"
        out.append(QuestionInput(q_text, kind, choices, prev.id if prev else None))
    return tuple(out)


class SurveyDialog(QDialog):
    def __init__(
        self, services: Services, survey_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.survey_id = survey_id
        old = services.feedback.get_survey(survey_id).to_input() if survey_id else SurveyInput("")
        self._old_questions = old.questions
        self.setWindowTitle("Edit survey" if survey_id else "New survey")
        self.setMinimumWidth(520)
        self.title = QLineEdit(old.title, self)
        self.title.setPlaceholderText("e.g. Spring meetup feedback")
        self.kind = QComboBox(self)
        for k in SURVEY_KINDS:
            self.kind.addItem(k.capitalize(), k)
        self.kind.setCurrentIndex(SURVEY_KINDS.index(old.kind))
        self.scale = QComboBox(self)
        self.scale.addItem("NPS (0–10)", "nps")
        self.scale.addItem("CSAT (1–5)", "csat")
        self.scale.setCurrentIndex(0 if old.scale == "nps" else 1)
        self.definition = muted("", self)
        self.definition.setWordWrap(True)
        self.scale.currentIndexChanged.connect(self._scale_changed)
        self._scale_changed()
        self.event = QComboBox(self)
        self.event.addItem("(no event)", None)
        for eid, label in services.feedback.event_choices():
            self.event.addItem(label, eid)
        if old.event_id is not None:
            self.event.setCurrentIndex(max(0, self.event.findData(old.event_id)))
        self.has_opened, self.opened = _optional_date(self, old.opened_on)
        self.has_closed, self.closed = _optional_date(self, old.closed_on)
        self.description = QPlainTextEdit(old.description, self)
        self.description.setFixedHeight(60)
        self.questions = QPlainTextEdit(questions_text(old.questions), self)
        self.questions.setPlaceholderText(
            "One question per line.\nWhich topic next? [Security | Tooling | Careers]"
        )
        self.questions.setFixedHeight(110)
        self.error = ErrorLabel(self)
        form = QFormLayout()
        form.addRow("Title", self.title)
        form.addRow("Kind", self.kind)
        form.addRow("Scale", self.scale)
        form.addRow("", self.definition)
        form.addRow("Event", self.event)
        form.addRow("Opens", _row(self.has_opened, self.opened))
        form.addRow("Closes", _row(self.has_closed, self.closed))
        form.addRow("Description", self.description)
        form.addRow("Questions", self.questions)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _scale_changed(self) -> None:
        self.definition.setText(DEFINITIONS[self.scale.currentData()])

    def value(self) -> SurveyInput:
        return SurveyInput(
            self.title.text(),
            self.kind.currentData(),
            self.scale.currentData(),
            self.description.toPlainText(),
            self.event.currentData(),
            self.opened.date().toPython() if self.has_opened.isChecked() else None,  # type: ignore[arg-type]
            self.closed.date().toPython() if self.has_closed.isChecked() else None,  # type: ignore[arg-type]
            parse_questions(self.questions.toPlainText(), self._old_questions),
        )

    def save(self) -> None:
        try:
            if self.survey_id is None:
                self.survey_id = self.services.feedback.create_survey(self.value())
            else:
                self.services.feedback.update_survey(self.survey_id, self.value())
        except ServiceError as exc:
            self.error.set_error(str(exc))
            return
        self.accept()


class ResponseDialog(QDialog):
    """Add or edit one response; the score box follows the survey's scale."""

    def __init__(
        self,
        services: Services,
        survey_id: int,
        response_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.survey_id = survey_id
        self.response_id = response_id
        survey = services.feedback.get_survey(survey_id)
        old = services.feedback.get_response(response_id) if response_id else None
        self.setWindowTitle(f"{'Edit' if old else 'Add'} response — {survey.title}")
        self.setMinimumWidth(480)
        low, high = score_range(survey.scale)
        self.score = QSpinBox(self)
        # One below the scale means "no score" (a text-only answer).
        self.score.setRange(low - 1, high)
        self.score.setSpecialValueText("no score")
        self.score.setValue(old.score if old and old.score is not None else low - 1)
        self.scale_hint = muted(f"{survey.scale.upper()} {low}–{high}", self)
        self.person = PersonPicker(services, self)
        self.person.setPlaceholderText("Anonymous — type a name to link a person")
        if old and old.person_id is not None:
            self.person.set_person(old.person_id, old.person_name)
        self.when = QDateTimeEdit(self)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setCalendarPopup(True)
        self.when.setDateTime(QDateTime(old.responded_at) if old else QDateTime.currentDateTime())
        self.event = QComboBox(self)
        self.event.addItem("(no event)", None)
        for eid, label in services.feedback.event_choices():
            self.event.addItem(label, eid)
        default_event = old.event_id if old else survey.event_id
        if default_event is not None:
            self.event.setCurrentIndex(max(0, self.event.findData(default_event)))
        self.comment = QPlainTextEdit(old.comment if old else "", self)
        self.comment.setFixedHeight(90)
        self.tags = QLineEdit(", ".join(old.tags) if old else "", self)
        self.tags.setPlaceholderText("venue, speakers")
        self._answers = dict(old.answers) if old else {}
        self.error = ErrorLabel(self)
        form = QFormLayout()
        form.addRow("Score", _row(self.score, self.scale_hint))
        form.addRow("Person", self.person)
        form.addRow("Date", self.when)
        form.addRow("Event", self.event)
        form.addRow("Comment", self.comment)
        form.addRow("Tags", self.tags)
        # The survey's own questions (the score question is the score above).
        self.answer_fields: dict[str, QComboBox | QLineEdit] = {}
        for q in survey.questions:
            if q.kind not in ("choice", "text"):
                continue
            key, had = str(q.id), self._answers.get(str(q.id), "")
            field = _answer_field(self, q.kind, q.choices, had)
            self.answer_fields[key] = field
            label = q.text if len(q.text) <= 40 else q.text[:39] + "…"
            form.addRow(label, field)
            form.labelForField(field).setToolTip(q.text)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.score.setFocus(Qt.FocusReason.OtherFocusReason)

    def answers(self) -> dict[str, str]:
        """The answers as saved: the fields' (an empty one removes its answer), and any
        others the response had (an imported email, a question since removed)."""
        out = dict(self._answers)
        for key, field in self.answer_fields.items():
            text = field.currentData() if isinstance(field, QComboBox) else field.text().strip()
            if text:
                out[key] = text
            else:
                out.pop(key, None)
        return out

    def value(self) -> ResponseInput:
        score = self.score.value()
        when: datetime = self.when.dateTime().toPython()  # type: ignore[assignment]
        return ResponseInput(
            None if score < self.score.minimum() + 1 else score,
            self.comment.toPlainText(),
            tuple(self.tags.text().split(",")),
            self.person.person_id() if self.person.text().strip() else None,
            self.event.currentData(),
            when,
            self.answers(),
        )

    def save(self) -> None:
        if self.person.text().strip() and self.person.person_id() is None:
            self.error.set_error("Pick the person from the suggestions, or clear the field.")
            return
        try:
            if self.response_id is None:
                self.response_id = self.services.feedback.add_response(self.survey_id, self.value())
            else:
                self.services.feedback.update_response(self.response_id, self.value())
        except ServiceError as exc:
            self.error.set_error(str(exc))
            return
        self.accept()
