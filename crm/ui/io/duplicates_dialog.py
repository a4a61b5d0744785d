"""Find duplicates: pairs of people who may be the same, side by side, merged on request.

The search over the whole database runs as a task with progress and Cancel. A pair
shows both people's key fields next to each other (rows that differ are marked), the
user picks which record to keep, and Merge folds the other into it — the service keeps
every field, tag, consent, membership and interaction and journals the merge. The
Journal tab lists merges, and Unmerge restores both people as they were.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crm.services import ServiceError
from crm.ui.context import UiContext
from crm.ui.io import heap
from crm.ui.io.common import TaskStrip, plural, show_error, throttled
from crm.ui.io.decisions_step import score_text
from crm.ui.io.export_log_dialog import when_text
from crm.ui.tasks import TaskControl
from crm.ui.widgets.labels import muted

DIFFERS = QColor("#fff4e5")
FIELDS = (
    ("Name", lambda p: p.display_name),
    ("Emails", lambda p: "\n".join(e.address for e in p.emails)),
    ("Phones", lambda p: "\n".join(x.number for x in p.phones)),
    ("Organisation", lambda p: p.organisation),
    ("Title", lambda p: p.title),
    ("Place", lambda p: ", ".join(x for x in (p.city, p.country) if x)),
    ("Roles", lambda p: ", ".join(p.roles)),
    ("Tags", lambda p: ", ".join(p.tags)),
    ("Communities", lambda p: ", ".join(m.community_name for m in p.communities)),
    ("Handles", lambda p: "\n".join(f"{h.network}: {h.handle}" for h in p.handles)),
    (
        "Consents",
        lambda p: ", ".join(f"{c.kind}{'' if c.granted else ' (no)'}" for c in p.consents),
    ),
    ("Last interaction", lambda p: when_text(p.last_interaction, utc=False)),
    ("Added", lambda p: when_text(p.created_at)),
)
PAIR = Qt.ItemDataRole.UserRole


def ref(person: Any) -> tuple[int, str]:
    """(id, name) of a PersonRef (or an (id, name) pair)."""
    if isinstance(person, tuple | list):
        return int(person[0]), str(person[1])
    return int(person.id), str(person.name)


class DuplicatesDialog(QDialog):
    def __init__(
        self, ctx: UiContext, parent: QWidget | None = None, *, start: bool = True
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.duplicates = ctx.services.duplicates
        self.setWindowTitle("Find duplicates")
        self.resize(980, 600)
        self.pairs: list[Any] = []

        self.summary = muted()
        self.list = QListWidget()
        self.list.setMinimumWidth(280)
        self.list.currentRowChanged.connect(self._show_pair)
        self.keep_a = QRadioButton()
        self.keep_b = QRadioButton()
        self.keep_a.setChecked(True)
        self.compare = QTableWidget(len(FIELDS), 2)
        self.compare.setVerticalHeaderLabels([f for f, _ in FIELDS])
        self.compare.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.compare.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.compare.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.compare.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.merge_button = QPushButton("Merge")
        self.merge_button.setObjectName("primary")
        self.merge_button.clicked.connect(self.merge_current)
        self.skip_button = QPushButton("Skip")
        self.skip_button.setToolTip("Not the same person: hide this pair")
        self.skip_button.clicked.connect(self.skip_current)
        self.rescan_button = QPushButton("Search again")
        self.rescan_button.clicked.connect(self.find)
        self.strip = TaskStrip(ctx)
        self.strip.finished.connect(self._found)
        self.strip.failed.connect(self._failed)

        keep = QHBoxLayout()
        keep.addWidget(muted("Keep:"))
        keep.addWidget(self.keep_a, 1)
        keep.addWidget(self.keep_b, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.rescan_button)
        actions.addStretch(1)
        actions.addWidget(self.skip_button)
        actions.addWidget(self.merge_button)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addLayout(keep)
        rv.addWidget(self.compare, 1)
        rv.addWidget(
            muted("Merging keeps every email, phone, tag, consent, membership and interaction.")
        )
        rv.addLayout(actions)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.list)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        pairs_tab = QWidget()
        pv = QVBoxLayout(pairs_tab)
        pv.addWidget(self.summary)
        pv.addWidget(split, 1)
        pv.addWidget(self.strip)

        self.journal = QTableWidget(0, 4)
        self.journal.setHorizontalHeaderLabels(["When", "Kept", "Merged into it", "Undone"])
        self.journal.verticalHeader().hide()
        self.journal.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.journal.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.journal.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.journal.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.journal.itemSelectionChanged.connect(self._update)
        self.unmerge_button = QPushButton("Unmerge")
        self.unmerge_button.setToolTip("Restore both people as they were before the merge")
        self.unmerge_button.clicked.connect(self.unmerge_selected)
        journal_tab = QWidget()
        jv = QVBoxLayout(journal_tab)
        jv.addWidget(muted("Every merge, newest first. Unmerge restores both people as they were."))
        jv.addWidget(self.journal, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.unmerge_button)
        jv.addLayout(row)

        self.tabs = QTabWidget()
        self.tabs.addTab(pairs_tab, "Pairs")
        self.tabs.addTab(journal_tab, "Journal")
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.load_journal()
        self._update()
        if start:
            self.find()

    # ---- finding ---------------------------------------------------------------------
    def find(self) -> None:
        if self.strip.busy:
            return
        duplicates = self.duplicates

        def work(control: TaskControl) -> Any:
            return duplicates.find(progress=throttled(control), cancelled=lambda: control.cancelled)

        self.summary.setText("Looking for people who may be the same…")
        self.strip.run("Comparing people…", work)
        self._update()

    def _found(self, pairs: Any) -> None:
        self.set_pairs(list(pairs))

    def _failed(self, exc: BaseException) -> None:
        if self.strip.cancelled:
            self.summary.setText("Search cancelled.")
        else:
            self.summary.setText(str(exc))
            show_error(self, "Find duplicates", exc)
        self._update()

    def set_pairs(self, pairs: list[Any]) -> None:
        self.pairs = pairs
        self.list.clear()
        for i, pair in enumerate(pairs):
            item = QListWidgetItem(
                f"{ref(pair.a)[1]}  ⇄  {ref(pair.b)[1]}\n{pair.reason} · {score_text(pair.score)}"
            )
            item.setData(PAIR, i)
            self.list.addItem(item)
        self._summarise()
        if pairs:
            self.list.setCurrentRow(0)
        else:
            self._show_pair(-1)
        self._update()

    def _summarise(self) -> None:
        n = self.list.count()
        self.summary.setText(
            f"{plural(n, 'pair')} of people who may be the same."
            if n
            else "No likely duplicates found."
        )

    def current_pair(self) -> Any:
        item = self.list.currentItem()
        return self.pairs[int(item.data(PAIR))] if item is not None else None

    def _show_pair(self, _row: int) -> None:
        pair = self.current_pair()
        self.compare.clearContents()
        if pair is None:
            self.keep_a.setText("")
            self.keep_b.setText("")
            self._update()
            return
        people = self.ctx.services.people
        try:
            a, b = people.get(ref(pair.a)[0]), people.get(ref(pair.b)[0])
        except ServiceError as exc:
            show_error(self, "Find duplicates", exc)
            return
        self.keep_a.setText(f"{a.display_name} (#{a.id})")
        self.keep_b.setText(f"{b.display_name} (#{b.id})")
        self.keep_a.setChecked(True)
        self.compare.setHorizontalHeaderLabels([a.display_name, b.display_name])
        for r, (_label, get) in enumerate(FIELDS):
            va, vb = str(get(a) or ""), str(get(b) or "")
            for c, value in enumerate((va, vb)):
                item = QTableWidgetItem(value)
                if va != vb:
                    item.setBackground(DIFFERS)
                self.compare.setItem(r, c, item)
        self._update()

    # ---- acting on a pair ------------------------------------------------------------
    def merge_current(self) -> int | None:
        pair = self.current_pair()
        if pair is None:
            return None
        a, b = ref(pair.a), ref(pair.b)
        keep, other = (a, b) if self.keep_a.isChecked() else (b, a)
        try:
            merge_id = self.duplicates.merge(keep[0], other[0])
        except ServiceError as exc:
            show_error(self, "Merge", exc)
            return None
        gone = {keep[0], other[0]}
        # Pairs that involved either person are stale now: the search runs again later.
        self._drop(lambda p: ref(p.a)[0] in gone or ref(p.b)[0] in gone)
        self.load_journal()
        return merge_id

    def skip_current(self) -> None:
        pair = self.current_pair()
        if pair is not None:
            self._drop(lambda p: p is pair)

    def _drop(self, stale) -> None:  # type: ignore[no-untyped-def]
        row = max(self.list.currentRow(), 0)
        self.set_pairs([p for p in self.pairs if not stale(p)])
        if self.list.count():
            self.list.setCurrentRow(min(row, self.list.count() - 1))

    # ---- journal ---------------------------------------------------------------------
    def load_journal(self) -> None:
        try:
            entries = self.duplicates.journal(limit=200)
        except ServiceError as exc:
            show_error(self, "Merge journal", exc)
            entries = []
        self.entries = list(entries)
        self.journal.setRowCount(len(self.entries))
        for r, e in enumerate(self.entries):
            kept = ref(e.kept)[1]
            values = (when_text(e.at), kept, str(e.merged_name), when_text(e.undone_at))
            for c, value in enumerate(values):
                self.journal.setItem(r, c, QTableWidgetItem(value))
        self._update()

    def selected_entry(self) -> Any:
        rows = {i.row() for i in self.journal.selectedIndexes()}
        return self.entries[min(rows)] if rows else None

    def unmerge_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None or entry.undone_at:
            return
        try:
            self.duplicates.unmerge(entry.id)
        except ServiceError as exc:
            show_error(self, "Unmerge", exc)
        self.load_journal()

    def _update(self) -> None:
        has_pair = self.current_pair() is not None and not self.strip.busy
        self.merge_button.setEnabled(has_pair)
        self.skip_button.setEnabled(has_pair)
        self.keep_a.setEnabled(has_pair)
        self.keep_b.setEnabled(has_pair)
        self.rescan_button.setEnabled(not self.strip.busy)
        entry = self.selected_entry() if hasattr(self, "entries") else None
        self.unmerge_button.setEnabled(entry is not None and not entry.undone_at)

    def reject(self) -> None:
        if self.strip.busy:
            self.strip.cancel()
            return
        super().reject()

    def done(self, result: int) -> None:
        super().done(result)
        heap.thaw()  # what the tasks left frozen is collectable again
