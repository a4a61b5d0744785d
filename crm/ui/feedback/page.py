"""The Feedback page: surveys (sortable, filterable) beside one survey's figure, trend
and responses. Everything is read through the feedback service; writes come back
through the change bus, which triggers refresh()."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crm.services import Changes, ServiceError
from crm.services.undo_rows import DeletedRows
from crm.ui.communities.selection import show_row
from crm.ui.context import UiContext
from crm.ui.feedback.after_paint import AfterFirstPaint
from crm.ui.feedback.detail import SurveyDetailPanel
from crm.ui.feedback.dialogs import ResponseDialog, SurveyDialog
from crm.ui.feedback.models import SurveyTableModel
from crm.ui.feedback.table_look import ColumnChooser, fit_columns
from crm.ui.undo import CallbackCommand
from crm.ui.widgets.empty_hint import EmptyHint
from crm.ui.widgets.labels import heading, muted

EMPTY_HINT = (
    "No surveys yet. Add the first with New survey (Ctrl+Shift+N), then add responses "
    "or import a Google Forms or Typeform export."
)
EMPTY_DETAIL = (
    "A survey collects scores on one scale: NPS (0–10) or CSAT (1–5). "
    "Its responses, figure and trend show here."
)


class FeedbackPage(QWidget):
    title = "Feedback"
    LINK_KIND = "survey"
    person_activated = Signal(int)
    message = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.services = ctx.services
        self.dialog: QWidget | None = None

        self.heading = heading(self.title, self, scale=1.35)
        self.count = muted("", self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search surveys…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.scale = QComboBox(self)
        self.scale.addItem("NPS and CSAT", None)
        self.scale.addItem("NPS", "nps")
        self.scale.addItem("CSAT", "csat")
        self.new_button = QPushButton("New survey", self)
        self.new_button.setObjectName("primary")
        self.new_button.clicked.connect(self.new_survey)
        self.new_button.setToolTip("New survey (Ctrl+Shift+N)")
        new_shortcut = QAction(self)
        new_shortcut.setShortcut(QKeySequence("Ctrl+Shift+N"))
        new_shortcut.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new_shortcut.triggered.connect(self.new_survey)
        self.addAction(new_shortcut)
        bar = QHBoxLayout()
        bar.addWidget(self.heading)
        bar.addWidget(self.count, 0, Qt.AlignmentFlag.AlignBottom)
        bar.addStretch(1)
        bar.addWidget(self.search)
        bar.addWidget(self.scale)
        bar.addWidget(self.new_button)

        self.model = SurveyTableModel(ctx.services, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        # Title | Kind | Scale | Score | Responses | Opened | Closed | Event: the title
        # takes what is left; Kind, Closed and Event (in the detail too) start hidden.
        fit_columns(
            self.table,
            {
                1: "Survey",
                2: "CSAT",
                3: "100 %",
                4: "10,000",
                5: "2026-12-31",
                6: "2026-12-31",
                7: "Community meetup",
            },
            stretch=0,
        )
        self.columns = ColumnChooser(self.table, ctx.settings, "feedback/hidden_columns", (1, 6, 7))
        self.empty_hint = EmptyHint(self.table)
        header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.doubleClicked.connect(lambda _: self.edit_current())

        self.edit_action = QAction("Edit…", self)
        self.edit_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence("F2")])
        self.edit_action.triggered.connect(self.edit_current)
        self.delete_action = QAction("Delete…", self)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.triggered.connect(self.delete_current)
        for act in (self.edit_action, self.delete_action):
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.table.addAction(act)

        self.detail = SurveyDetailPanel(ctx.services, ctx.tasks, self)
        self.detail.person_activated.connect(self.person_activated)
        self.detail.edit_requested.connect(self.edit_survey)
        self.detail.delete_requested.connect(self.delete_survey)
        self.detail.add_response_requested.connect(self.add_response)
        self.detail.import_requested.connect(self.import_results)
        self.detail.response_activated.connect(self.edit_response)
        delete_responses = QAction("Delete response", self.detail.table)
        delete_responses.setShortcut(QKeySequence.StandardKey.Delete)
        delete_responses.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete_responses.triggered.connect(self.delete_responses)
        self.detail.table.addAction(delete_responses)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([520, 640])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _: self._timer.start())
        self.scale.currentIndexChanged.connect(lambda _: self.apply_filter())
        self.model.reload()
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        ctx.bus.changed.connect(self._on_changed)
        self._update_count()
        # The list paints first; the chosen survey's detail (its figure and responses,
        # as much painting again) fills a frame later.
        self._detail_live = AfterFirstPaint(self.table.viewport(), self._selection_changed)
        if self.model.rowCount():
            self.table.selectRow(0)

    # ---- the page interface -------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def refresh(self) -> None:
        current = self.current_id()
        self.model.reload()
        self._select_rows(current)
        self._update_count()

    def show_item(self, survey_id: int) -> None:
        if self.model.row_of(survey_id) < 0 and (self.search.text() or self.scale.currentData()):
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.scale.blockSignals(True)
            self.scale.setCurrentIndex(0)
            self.scale.blockSignals(False)
            self.model.set_filter("", None)
        self._select_rows(survey_id)

    # ---- table ------------------------------------------------------------------------
    def current_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.id_at(rows[0].row()) if rows else None

    def _select_rows(self, survey_id: int | None) -> None:
        self._detail_live.done = True  # a later action: the detail follows at once
        show_row(self.table, self.model.row_of(survey_id) if survey_id is not None else -1)
        self._selection_changed()

    def _selection_changed(self) -> None:
        sid = self.current_id()
        self.edit_action.setEnabled(sid is not None)
        self.delete_action.setEnabled(sid is not None)
        if self._detail_live.done:
            self.detail.show_survey(sid)
        else:
            self.detail.empty.hide()  # blank for the frame before the detail fills

    def apply_filter(self) -> None:
        self._timer.stop()
        current = self.current_id()
        self.model.set_filter(self.search.text().strip(), self.scale.currentData())
        self._select_rows(current)
        self._update_count()

    def _update_count(self) -> None:
        total = self.services.feedback.survey_count()
        shown = self.model.rowCount()
        filtered = bool(self.model.text or self.model.scale)
        self.count.setText(f"{shown:,} of {total:,}" if filtered else f"{total:,} surveys")
        if not total:
            hint = EMPTY_HINT
        elif not shown:
            hint = "No survey matches. Try fewer words or “NPS and CSAT”."
        else:
            hint = ""
        self.empty_hint.set_text(hint)
        self.detail.empty.setText(
            "Choose a survey to see its responses." if total else EMPTY_DETAIL
        )

    # ---- actions ------------------------------------------------------------------------
    def _open(self, dlg: QWidget, on_accept=None) -> QWidget:  # type: ignore[no-untyped-def]
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if on_accept is not None:
            dlg.accepted.connect(on_accept)  # type: ignore[attr-defined]
        self.dialog = dlg
        dlg.open()  # type: ignore[attr-defined]
        return dlg

    def new_survey(self) -> SurveyDialog:
        dlg = SurveyDialog(self.services, None, self)
        return self._open(dlg, lambda: self._saved(dlg.survey_id, "Survey created."))  # type: ignore[return-value]

    def edit_current(self) -> SurveyDialog | None:
        sid = self.current_id()
        return self.edit_survey(sid) if sid is not None else None

    def edit_survey(self, survey_id: int) -> SurveyDialog:
        dlg = SurveyDialog(self.services, survey_id, self)
        return self._open(dlg, lambda: self._saved(survey_id, "Survey saved."))  # type: ignore[return-value]

    def _saved(self, survey_id: int | None, text: str) -> None:
        if survey_id is not None:
            self.show_item(survey_id)
        self.message.emit(text)

    def add_response(self, survey_id: int) -> ResponseDialog:
        dlg = ResponseDialog(self.services, survey_id, None, self)
        return self._open(dlg, lambda: self.message.emit("Response added."))  # type: ignore[return-value]

    def edit_response(self, response_id: int) -> ResponseDialog | None:
        if self.detail.survey_id is None:
            return None
        dlg = ResponseDialog(self.services, self.detail.survey_id, response_id, self)
        return self._open(dlg, lambda: self.message.emit("Response saved."))  # type: ignore[return-value]

    def import_results(self, survey_id: int):  # type: ignore[no-untyped-def]
        from crm.ui.feedback.import_dialog import SurveyImportDialog

        return self._open(SurveyImportDialog(self.services, survey_id, self))

    def delete_current(self) -> None:
        if (sid := self.current_id()) is not None:
            self.delete_survey(sid)

    def delete_survey(self, survey_id: int) -> bool:
        """Delete (Ctrl+Z brings it back); asks first when responses or questions go too."""
        try:
            title = self.services.feedback.get_survey(survey_id).title
            responses, questions = self.services.feedback.survey_impact(survey_id)
        except ServiceError as exc:
            QMessageBox.warning(self, "Feedback", str(exc))
            return False
        goes = []
        if responses:
            goes.append(f"{responses:,} response{'s' if responses != 1 else ''}")
        if questions:
            goes.append(f"{questions} question{'s' if questions != 1 else ''}")
        if goes:
            text = f"Delete the survey “{title}” with its {' and '.join(goes)}?"
            text += "\nCtrl+Z (Edit → Undo) brings them back."
            answer = QMessageBox.question(self, "Delete survey", text)
            if answer != QMessageBox.StandardButton.Yes:
                return False
        return self._push_delete(
            f"Delete survey “{title}”",
            lambda: self.services.feedback.delete_survey(survey_id),
            f"Deleted “{title}” — Ctrl+Z brings it back.",
        )

    def delete_responses(self) -> bool:
        """Delete the selected responses (Ctrl+Z brings them back); asks for several."""
        ids = self.detail.selected_response_ids()
        if not ids:
            return False
        n = len(ids)
        if n > 1:
            answer = QMessageBox.question(
                self,
                "Delete responses",
                f"Delete {n:,} responses?\nCtrl+Z (Edit → Undo) brings them back.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        what = "response" if n == 1 else f"{n:,} responses"
        return self._push_delete(
            f"Delete {what}",
            lambda: self.services.feedback.delete_responses(ids),
            f"Deleted {what} — Ctrl+Z brings {'it' if n == 1 else 'them'} back.",
        )

    def _push_delete(self, label: str, delete: Callable[[], DeletedRows], done: str) -> bool:
        """Run a delete as an undoable command on the window's undo stack."""
        gone: list[DeletedRows] = []

        def do() -> None:
            gone[:] = [delete()]

        def undo() -> None:
            try:
                self.services.feedback.restore(gone[0])
            except ServiceError as exc:
                QMessageBox.warning(self, "Undo", str(exc))

        try:
            self.ctx.undo.push(CallbackCommand(label, do, undo))
        except ServiceError as exc:
            QMessageBox.warning(self, "Feedback", str(exc))
            return False
        self.message.emit(done)
        return True

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches("feedback"):
            self.detail.drop_charts()
        if changes.touches("feedback", "people", "trash"):
            self.refresh()
