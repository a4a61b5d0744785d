"""Create or edit a goal; the service validates and its messages appear by the fields."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from crm.models.goals import GOAL_METRICS
from crm.services import ServiceError, Services, ValidationError
from crm.services.goals import GoalInput
from crm.ui.goals.table_model import metric_text
from crm.ui.widgets.labels import ErrorLabel, muted


def _number() -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(-1e9, 1e9)  # the service says what is out of range, and why
    box.setDecimals(1)
    box.setGroupSeparatorShown(True)
    return box


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _py(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


class GoalDialog(QDialog):
    def __init__(
        self, services: Services, goal_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.goal_id = goal_id
        self.setWindowTitle("New goal" if goal_id is None else "Edit goal")
        self.setMinimumWidth(500)
        today = date.today()
        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText("e.g. Grow the membership")
        self.metric_combo = QComboBox(self)
        for m in GOAL_METRICS:
            self.metric_combo.addItem(metric_text(m), m)
        self.baseline, self.target = _number(), _number()
        self.baseline.setParent(self)
        self.target.setParent(self)
        self.starts_on = _date_edit(today)
        self.deadline = _date_edit(today + timedelta(days=90))
        for w in (self.starts_on, self.deadline):
            w.setParent(self)
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(60)
        self.hint = muted("", self)
        self.hint.setWordWrap(True)
        self.metric_combo.currentIndexChanged.connect(lambda _: self._hint())
        self._hint()

        self.errors: dict[str, ErrorLabel] = {}
        self.widgets: dict[str, QWidget] = {}
        self.general_error = ErrorLabel(self)
        self._form = QFormLayout()
        self._form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for label, widget, key in (
            ("Title", self.title_edit, "title"),
            ("Metric", self.metric_combo, "metric"),
            ("", self.hint, "hint"),
            ("Baseline", self.baseline, "baseline"),
            ("Target", self.target, "target"),
            ("Start", self.starts_on, "starts_on"),
            ("Deadline", self.deadline, "deadline"),
            ("Notes", self.notes, "notes"),
        ):
            self._add_row(label, widget, key)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if goal_id is None:
            self.save_button.setText("Create")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.general_error)
        layout.addLayout(self._form)
        layout.addWidget(self.buttons)
        if goal_id is not None:
            self._load(goal_id)
        self.title_edit.setFocus()

    def _hint(self) -> None:
        metric = self.metric_combo.currentData()
        period = metric in (
            "events held",
            "average NPS",
            "speakers confirmed",
            "advocacy notes shipped",
        )
        self.hint.setText(
            "Counted between the start and the deadline."
            if period
            else "Measured as it stands today; the baseline is where it stood at the start."
        )

    def _add_row(self, label: str, widget: QWidget, key: str) -> None:
        error = ErrorLabel(self)
        self.errors[key] = error
        self.widgets[key] = widget
        holder = QWidget(self)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        box.addWidget(error)
        self._form.addRow(label, holder)

    def _load(self, goal_id: int) -> None:
        g = self.services.goals.info(goal_id)
        self.title_edit.setText(g.title)
        self.metric_combo.setCurrentIndex(max(0, self.metric_combo.findData(g.metric)))
        self.baseline.setValue(g.baseline)
        self.target.setValue(g.target)
        for edit, d in ((self.starts_on, g.starts_on), (self.deadline, g.deadline)):
            edit.setDate(QDate(d.year, d.month, d.day))
        self.notes.setPlainText(g.notes)

    def data(self) -> GoalInput:
        return GoalInput(
            self.title_edit.text(),
            str(self.metric_combo.currentData()),
            self.baseline.value(),
            self.target.value(),
            _py(self.starts_on),
            _py(self.deadline),
            self.notes.toPlainText(),
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.set_error(errors.get(key))
        self.general_error.set_error(
            "\n".join(m for k, m in errors.items() if k not in self.errors)
        )
        for key in self.errors:
            if key in errors:
                self.widgets[key].setFocus()
                break

    def accept(self) -> None:
        try:
            if self.goal_id is None:
                self.goal_id = self.services.goals.create(self.data())
            else:
                self.services.goals.update(self.goal_id, self.data())
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return
        except ServiceError as exc:
            self.show_errors({"": str(exc)})
            return
        super().accept()
