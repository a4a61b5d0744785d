"""The right side of the Feedback page: one survey's figure, trend and responses."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crm.services import NotFound, Services
from crm.services.feedback_answers import LATEST_TEXTS
from crm.services.feedback_scores import DEFINITIONS
from crm.ui.feedback.after_paint import AfterFirstPaint
from crm.ui.feedback.answers_view import MORE_TEXTS, AnswersView
from crm.ui.feedback.models import ResponseTableModel
from crm.ui.feedback.table_look import fit_columns
from crm.ui.feedback.trend_view import TrendChart
from crm.ui.tasks import TaskRunner
from crm.ui.widgets.empty_hint import EmptyHint
from crm.ui.widgets.labels import heading, muted

BANDS = {
    "nps": (
        ("All scores", None),
        ("Promoters (9–10)", "good"),
        ("Passives (7–8)", "neutral"),
        ("Detractors (0–6)", "bad"),
        ("No score", "none"),
    ),
    "csat": (
        ("All scores", None),
        ("Satisfied (4–5)", "good"),
        ("Not satisfied (1–3)", "bad"),
        ("No score", "none"),
    ),
}


class SurveyDetailPanel(QWidget):
    edit_requested = Signal(int)
    delete_requested = Signal(int)
    add_response_requested = Signal(int)
    import_requested = Signal(int)
    response_activated = Signal(int)  # a response was double-clicked: edit it
    person_activated = Signal(int)

    def __init__(
        self, services: Services, tasks: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.survey_id: int | None = None
        self.scale = "nps"
        self.title = heading("", self, scale=1.2)
        self.title.setWordWrap(True)
        self.meta = muted("", self)
        self.meta.setWordWrap(True)
        self.figure = QLabel(self)
        self.figure.setObjectName("scoreFigure")
        font = self.figure.font()  # a font, not a style sheet: cheaper to build and paint
        font.setPixelSize(26)
        font.setWeight(QFont.Weight.DemiBold)
        self.figure.setFont(font)
        self.breakdown = muted("", self)
        self.definition = muted("", self)
        self.definition.setWordWrap(True)
        self.chart_title = muted("", self)
        self.chart_title.hide()  # until a chart is drawn

        self.edit_button = QPushButton("Edit…", self)
        self.edit_button.clicked.connect(lambda: self._emit(self.edit_requested))
        self.delete_button = QPushButton("Delete…", self)
        self.delete_button.clicked.connect(lambda: self._emit(self.delete_requested))
        self.add_button = QPushButton("Add response…", self)
        self.add_button.clicked.connect(lambda: self._emit(self.add_response_requested))
        self.import_button = QPushButton("Import results…", self)
        self.import_button.clicked.connect(lambda: self._emit(self.import_requested))
        actions = QHBoxLayout()
        for b in (self.add_button, self.import_button, self.edit_button, self.delete_button):
            actions.addWidget(b)
        actions.addStretch(1)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search comments, tags, people…")
        self.search.setClearButtonEnabled(True)
        self.band = QComboBox(self)
        self.responses = ResponseTableModel(services, self)
        self.table = QTableView(self)
        self.table.setModel(self.responses)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        # Date | Score | Person | Comment | Tags: the comment takes what is left.
        fit_columns(
            self.table,
            {0: "2026-12-31 23:59", 1: "10", 2: "Alexandra Papadopoulou", 4: "venue, talks"},
            stretch=3,
        )
        self.table.setColumnWidth(2, min(self.table.columnWidth(2), 170))
        self.responses_hint = EmptyHint(self.table)
        self.table.doubleClicked.connect(self._activated)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.band)
        self.count = muted("", self)

        self.answers = AnswersView(self)
        self.answers.person_activated.connect(self.person_activated)
        self.answers.more_requested.connect(self._more_answers)
        self._answers_for: int | None = None  # the survey the Answers tab shows
        self._latest = LATEST_TEXTS  # text answers shown per question
        responses_tab = QWidget(self)
        responses_box = QVBoxLayout(responses_tab)
        responses_box.setContentsMargins(0, 6, 0, 0)
        responses_box.addLayout(filters)
        responses_box.addWidget(self.table, 1)
        responses_box.addWidget(self.count)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(responses_tab, "Responses")
        self.tabs.addTab(self.answers, "Answers")
        self.tabs.setTabToolTip(1, "Each choice counted, and the latest text answers")
        self.tabs.currentChanged.connect(lambda _: self._fill_answers())

        self.empty = muted("Choose a survey to see its responses.", self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)  # a long hint wraps instead of widening the panel
        self.body = QWidget(self)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.title)
        body.addWidget(self.meta)
        figure_row = QHBoxLayout()
        figure_row.addWidget(self.figure)
        figure_row.addWidget(self.breakdown, 1, Qt.AlignmentFlag.AlignBottom)
        body.addLayout(figure_row)
        body.addWidget(self.definition)
        body.addWidget(self.chart_title)
        self.chart = TrendChart(services, tasks, self.body)
        self.chart.changed.connect(self._chart_changed)
        body.addWidget(self.chart)
        body.addLayout(actions)
        body.addWidget(self.tabs, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 0, 0, 0)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.body, 1)
        self.body.hide()

        # The chart is drawn on a worker (TrendChart); it is asked for only once the
        # responses table has painted and that frame is out (a later turn of the event
        # loop), so the worker's import of matplotlib does not compete with that paint.
        self._chart_live = AfterFirstPaint(self.table.viewport(), self._show_chart, delay_ms=40)
        self._chart_timer = QTimer(self, singleShot=True, interval=0)
        self._chart_timer.timeout.connect(self._show_chart)
        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _: self._timer.start())
        self.band.currentIndexChanged.connect(lambda _: self.apply_filter())

    def _emit(self, signal: Signal) -> None:  # type: ignore[type-arg]
        if self.survey_id is not None:
            signal.emit(self.survey_id)

    def _activated(self, index) -> None:  # type: ignore[no-untyped-def]
        rid = self.responses.id_at(index.row())
        if rid is not None:
            self.response_activated.emit(rid)

    def selected_response_ids(self) -> list[int]:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        return [i for r in sorted(rows) if (i := self.responses.id_at(r)) is not None]

    def show_survey(self, survey_id: int | None) -> None:
        try:
            d = self.services.feedback.get_survey(survey_id) if survey_id else None
        except NotFound:
            d = None
        if d is None:
            self.survey_id = None
            self.responses.set_filter(None, "", None)
            self.body.hide()
            self.empty.show()
            return
        changed = d.id != self.survey_id
        self.survey_id = d.id
        self.title.setText(d.title)
        when = " – ".join(f"{x:%Y-%m-%d}" for x in (d.opened_on, d.closed_on) if x)
        parts = [
            d.kind.capitalize(),
            d.scale.upper(),
            when,
            d.event_title,
            f"{d.responses:,} responses ({d.anonymous:,} anonymous)",
        ]
        self.meta.setText(" · ".join(p for p in parts if p))
        self.figure.setText(
            f"{d.scale.upper()} {d.score.text()}" if d.score.value is not None else "No responses"
        )
        self.breakdown.setText(d.score.breakdown() if d.score.responses else "")
        self.definition.setText(DEFINITIONS[d.scale])
        if changed or d.scale != self.scale:
            self.scale = d.scale
            self.band.blockSignals(True)
            self.band.clear()
            for label, key in BANDS[d.scale]:
                self.band.addItem(label, key)
            self.band.blockSignals(False)
            if changed:
                self.search.blockSignals(True)
                self.search.clear()
                self.search.blockSignals(False)
        if self._chart_live.done:
            self._chart_timer.start()
        self.empty.hide()
        self.body.show()
        self.apply_filter()
        self._answers_for = None
        if changed:
            self._latest = LATEST_TEXTS
        self._fill_answers()

    def _more_answers(self) -> None:
        self._latest += MORE_TEXTS
        self._answers_for = None
        self._fill_answers()

    def _fill_answers(self) -> None:
        """The Answers tab is counted when it is shown (and again when the data changed)."""
        if self.survey_id is None or self.tabs.currentWidget() is not self.answers:
            return
        if self._answers_for == self.survey_id:
            return
        try:
            summary = self.services.feedback.answers(self.survey_id, self._latest)
        except NotFound:
            summary = None
        self.answers.show_summary(summary)
        self._answers_for = self.survey_id

    def apply_filter(self) -> None:
        self._timer.stop()
        header = self.table.horizontalHeader()
        col = header.sortIndicatorSection()
        if 0 <= col < len(self.responses.columns):
            self.responses.sort_key = self.responses.columns[col].sort_key
            self.responses.descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        self.responses.set_filter(
            self.survey_id, self.search.text().strip(), self.band.currentData()
        )
        n = self.responses.rowCount()
        self.count.setText(f"{n:,} response{'s' if n != 1 else ''} shown")
        if n:
            hint = ""
        elif self.search.text().strip() or self.band.currentData():
            hint = "No response matches. Try fewer words or “All scores”."
        else:
            hint = (
                "No responses yet. Add one with Add response…, or bring in a Google Forms "
                "or Typeform export with Import results…"
            )
        self.responses_hint.set_text(hint)

    def drop_charts(self) -> None:
        """The responses changed: the trend is drawn again, the answers counted again."""
        self.chart.drop()
        self._answers_for = None

    def _show_chart(self) -> None:
        """The trend of every survey on this scale, month by month (a single survey
        rarely spans more than a month or two)."""
        if self.survey_id is not None:
            self.chart.show_scale(self.scale)

    def _chart_changed(self) -> None:
        label = self.scale.upper()
        state = self.chart.state
        if state in ("drawn", "drawing"):
            self.chart_title.setText(f"{label} of all {label} surveys, by month")
        elif state == "failed":
            self.chart_title.setText(f"The {label} trend could not be drawn: {self.chart.error}")
        else:
            self.chart_title.setText("")
        self.chart_title.setVisible(state in ("drawn", "drawing", "failed"))
