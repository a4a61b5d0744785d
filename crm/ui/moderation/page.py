"""The Moderation page: confidential cases, with the subject's repeated cases counted.

Nothing on this page can be exported; the notes show here and on the subject's detail.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QPushButton, QWidget

from crm.models import CASE_STATUSES, MODERATION_ACTIONS, SEVERITIES
from crm.services import NotFound
from crm.services.moderation import CaseRow
from crm.ui.advocacy.detail_card import DetailCard, colour, date_text, esc
from crm.ui.advocacy.dialog import open_dialog
from crm.ui.advocacy.listing import ListModel, ListPage
from crm.ui.advocacy.page import UndoableDelete
from crm.ui.context import UiContext
from crm.ui.moderation.dialog import CaseDialog
from crm.ui.people.detail_sections import person_link

COLUMNS = (
    ("Date", "date", lambda r: f"{r.occurred_on:%d %b %Y}"),
    ("Subject", "subject", lambda r: r.subject_name),
    ("Cases", "repeats", lambda r: f"{r.subject_cases:,}"),
    ("Guideline", "guideline", lambda r: r.guideline),
    ("Severity", "severity", lambda r: r.severity.capitalize()),
    ("Action", "action", lambda r: r.action.capitalize()),
    ("Status", "status", lambda r: r.status.capitalize()),
    ("Channel", "channel", lambda r: r.channel),
    ("Reporter", "reporter", lambda r: r.reporter_name),
)
CASES_COLUMN, GUIDELINE_COLUMN, SEVERITY_COLUMN, STATUS_COLUMN = 2, 3, 4, 6
CHANNEL_COLUMN, REPORTER_COLUMN = 7, 8


class CaseDetailPanel(DetailCard):
    placeholder_text = "Select a case to see it. Case notes are confidential."
    edit_requested = Signal(int)
    delete_requested = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx

    def build(self) -> None:
        self.edit_button = QPushButton("Edit…", self)
        self.edit_button.clicked.connect(lambda: self._emit(self.edit_requested))
        self.delete_button = QPushButton("Delete…", self)
        self.delete_button.setObjectName("danger")
        self.delete_button.clicked.connect(lambda: self._emit(self.delete_requested))
        self.buttons.addWidget(self.edit_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.delete_button)

    def _emit(self, signal: Signal) -> None:  # type: ignore[type-arg]
        if self.item_id is not None:
            signal.emit(self.item_id)

    def load(self, item_id: int) -> bool:
        try:
            d = self.ctx.services.moderation.get(item_id)
        except NotFound:
            return False
        r = d.row
        self.name.setText(f"{r.guideline} — {r.subject_name}")
        self.badge.set_word(r.severity)
        self.subtitle.setText(f"{r.status.capitalize()} · {r.action}")
        cases = f"{r.subject_cases:,}"
        if r.subject_cases > 1:
            cases = f"<span style='color:#b42318'><b>{cases} — repeated</b></span>"
        reporter = person_link(r.reporter_id, r.reporter_name) if r.reporter_id else "—"
        self.facts(
            [
                ("Subject", person_link(r.subject_id, r.subject_name)),
                ("Their cases", cases),
                ("Reporter", reporter),
                ("Date", date_text(r.occurred_on)),
                ("Channel", esc(r.channel) or "—"),
                ("Guideline", esc(r.guideline)),
                ("Severity", esc(r.severity.capitalize())),
                ("Action taken", esc(r.action.capitalize())),
                ("Status", esc(r.status.capitalize())),
            ]
        )
        self.section("Notes (confidential)")
        self.text(d.notes, "No notes.")
        return True


class ModerationPage(ListPage):
    title = "Moderation"
    noun = "case"
    plural = "cases"
    areas = ("moderation", "people", "trash")
    settings_key = "moderation"
    empty_text = (
        "No moderation cases. Record who broke which guideline, how severe it was and "
        "what was done. Cases stay confidential: no export or report carries them."
    )
    new_text = "New case"
    LINK_KIND = "moderation"

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)

        def paint(row: CaseRow, col: int) -> Any:
            if col == CASES_COLUMN and row.subject_cases > 1:
                return colour("overdue")
            if col == SEVERITY_COLUMN:
                return colour(row.severity)
            return colour(row.status) if col == STATUS_COLUMN else None

        self.model.colour = paint

    def filters(self) -> list[tuple[str, str, list[tuple[str, Any]]]]:
        return [
            ("status", "All statuses", [(s.capitalize(), s) for s in CASE_STATUSES]),
            ("severity", "All severities", [(s.capitalize(), s) for s in SEVERITIES]),
            ("action", "All actions", [(a.capitalize(), a) for a in MODERATION_ACTIONS]),
        ]

    stretch_column = GUIDELINE_COLUMN
    hidden_columns = (CHANNEL_COLUMN, REPORTER_COLUMN)  # the detail shows both
    splitter_sizes = (820, 360)  # seven columns; the detail is a short list of facts

    def column_widths(self) -> Sequence[int]:
        return (108, 144, 62, 200, 84, 116, 92, 100, 140)

    def make_model(self) -> ListModel:
        from crm.ui.paged_model import Column

        def query(text: str, f: dict[str, Any], sort: str, descending: bool) -> list[int]:
            return self.services.moderation.query_ids(
                text,
                status=f.get("status"),
                severity=f.get("severity"),
                action=f.get("action"),
                sort=sort or "date",
                descending=descending,
            )

        columns = [Column(t, k, fn, align_right=k == "repeats") for t, k, fn in COLUMNS]
        model = ListModel(columns, query, self.services.moderation.rows, self, descending=True)
        model.sort_key = "date"
        return model

    def make_detail(self) -> QWidget:
        panel = CaseDetailPanel(self.ctx, self)
        panel.person_activated.connect(self.person_activated)
        panel.edit_requested.connect(self.edit_item)
        panel.delete_requested.connect(lambda cid: self._delete([cid]))
        return panel

    def total(self) -> int:
        return self.services.moderation.count()

    def new_item(self, subject_id: int | None = None) -> QWidget:
        dlg = CaseDialog(self.services, None, self, subject_id=subject_id)
        self.dialog = dlg
        return open_dialog(dlg, lambda: self.saved(dlg.case_id, True))

    def edit_item(self, item_id: int) -> QWidget:
        dlg = CaseDialog(self.services, item_id, self)
        self.dialog = dlg
        return open_dialog(dlg, lambda: self.saved(dlg.case_id, False))

    def delete_command(self, ids: list[int]) -> QUndoCommand | None:
        what = "this case" if len(ids) == 1 else f"{len(ids)} cases"
        if not self.ask(
            f"Delete {what}?",
            "Its notes go with it; the people stay. Ctrl+Z brings it back.",
        ):
            return None
        return UndoableDelete(
            "Delete case" if len(ids) == 1 else f"Delete {len(ids)} cases",
            lambda: self.services.moderation.delete(ids),
            self.services.moderation.restore,
        )

    def _delete(self, ids: list[int]) -> None:
        self._select_rows(ids, ids[0])
        self.delete_selected()
