"""Create or edit a moderation case: subject, reporter, what happened and what was done."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QLineEdit, QWidget

from crm.models import CASE_STATUSES, MODERATION_ACTIONS, SEVERITIES
from crm.services import Services, ValidationError
from crm.services.moderation import CHANNELS, CaseInput
from crm.ui.advocacy.dialog import FormDialog, combo, set_combo, text_box
from crm.ui.widgets.person_picker import PersonPicker


class CaseDialog(FormDialog):
    def __init__(
        self,
        services: Services,
        case_id: int | None = None,
        parent: QWidget | None = None,
        *,
        subject_id: int | None = None,
    ) -> None:
        super().__init__(
            "New moderation case" if case_id is None else "Edit moderation case",
            case_id is None,
            parent,
        )
        self.services = services
        self.case_id = case_id
        self.subject = PersonPicker(services, self)
        self.subject.setPlaceholderText("Who the case is about: type a name…")
        self.reporter = PersonPicker(services, self)
        self.reporter.setPlaceholderText("Who reported it (optional)")
        self.occurred = QDateEdit(self)
        self.occurred.setCalendarPopup(True)
        self.occurred.setDisplayFormat("yyyy-MM-dd")
        self.occurred.setDate(QDate.currentDate())
        self.occurred.setMaximumDate(QDate.currentDate())
        self.channel = QComboBox(self)
        self.channel.setEditable(True)
        for c in CHANNELS:
            self.channel.addItem(c)
        self.guideline = QLineEdit(self)
        self.guideline.setPlaceholderText("e.g. Be respectful")
        self.severity = combo(self, SEVERITIES)
        self.action = combo(self, MODERATION_ACTIONS)
        self.status = combo(self, CASE_STATUSES)
        self.notes = text_box(self, "Confidential: what happened, links, what was said…", 100)
        self.add_row("Subject", self.subject, "subject_id")
        self.add_row("Reporter", self.reporter, "reporter_id")
        self.add_row("Date", self.occurred, "occurred_on")
        self.add_row("Channel", self.channel, "channel")
        self.add_row("Guideline broken", self.guideline, "guideline")
        self.add_row("Severity", self.severity, "severity")
        self.add_row("Action taken", self.action, "action")
        self.add_row("Status", self.status, "status")
        self.add_row("Notes (confidential)", self.notes, "notes")
        if case_id is not None:
            d = services.moderation.get(case_id)
            r = d.row
            self.subject.set_person(r.subject_id, r.subject_name)
            self.reporter.set_person(r.reporter_id, r.reporter_name)
            self.occurred.setDate(QDate(r.occurred_on.year, r.occurred_on.month, r.occurred_on.day))
            self.channel.setCurrentText(r.channel)
            self.guideline.setText(r.guideline)
            set_combo(self.severity, r.severity)
            set_combo(self.action, r.action)
            set_combo(self.status, r.status)
            self.notes.setPlainText(d.notes)
        elif subject_id is not None:
            self.subject.set_person(subject_id)
        self.subject.setFocus()

    def data(self) -> CaseInput:
        errors = {}
        # A name typed but not picked from the suggestions is not a person yet.
        if self.subject.text().strip() and self.subject.person_id() is None:
            errors["subject_id"] = "Pick the subject from the suggestions."
        if self.reporter.text().strip() and self.reporter.person_id() is None:
            errors["reporter_id"] = "Pick the reporter from the suggestions, or leave it empty."
        if errors:
            raise ValidationError(errors)
        return CaseInput(
            subject_id=self.subject.person_id(),
            occurred_on=self.occurred.date().toPython(),  # type: ignore[arg-type]
            guideline=self.guideline.text(),
            reporter_id=self.reporter.person_id(),
            channel=self.channel.currentText(),
            severity=str(self.severity.currentData()),
            action=str(self.action.currentData()),
            status=str(self.status.currentData()),
            notes=self.notes.toPlainText(),
        )

    def save(self) -> None:
        if self.case_id is None:
            self.case_id = self.services.moderation.create(self.data())
        else:
            self.services.moderation.update(self.case_id, self.data())
