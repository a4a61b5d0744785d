"""The duplicates step: incoming records that match someone already in Rapport, or a
record earlier in the same import (the same person twice in a file, or in two files).

Each matched record shows the people it matches and why (same email, same phone,
close name at the same organisation) with a score, and a choice: merge into the
existing person (or into the earlier record: one new person), skip it, or add it as
a new person. The choice is set for the
selected records or for all at once; records without a match are simply added.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm.ui.io.common import first, person_name, plural
from crm.ui.widgets.labels import heading, muted

CHOICES = (("merge", "Merge"), ("skip", "Skip"), ("add", "Add as new"))
LABELS = dict(CHOICES)
INDEX = Qt.ItemDataRole.UserRole
# Records listed one by one (about 55 ms to build); the rest follow the "For all" choice.
# Re-importing a 20,000-card file matches every card, and 40,000 tree items take 1 s.
SHOWN = 1000


def score_text(value: object) -> str:
    try:
        score = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    return f"{score:.0f}%" if score > 1 else f"{score * 100:.0f}%"


class DecisionsStep(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.decisions: dict[int, str] = {}
        self.default = "merge"  # for matched records beyond SHOWN
        self.name_default = "add"  # the same, for those matched by name alone
        self.hidden = 0
        self._items: dict[int, QTreeWidgetItem] = {}
        self.summary = muted()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(
            ["Incoming record / existing person", "Email · why it matches", "Score", "Choice"]
        )
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        head = self.tree.header()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        head.resizeSection(0, 300)
        head.resizeSection(1, 280)
        head.resizeSection(2, 60)
        self.tree.itemSelectionChanged.connect(self._update)

        self.selected_buttons: list[QPushButton] = []
        row = QHBoxLayout()
        row.addWidget(muted("Selected:"))
        for key, label in CHOICES:
            button = QPushButton(label)
            button.clicked.connect(lambda _c=False, k=key: self.set_selected(k))
            self.selected_buttons.append(button)
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(muted("For all:"))
        self.all_choice = QComboBox()
        for key, label in CHOICES:
            self.all_choice.addItem(label, key)
        self.apply_all_button = QPushButton("Apply to all")
        self.apply_all_button.clicked.connect(lambda: self.set_all(self.all_choice.currentData()))
        row.addWidget(self.all_choice)
        row.addWidget(self.apply_all_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading("Possible duplicates", scale=1.15))
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        # With nothing to decide, the message sits under the heading and the rest is empty.
        self._filler = QWidget(self)
        layout.addWidget(self._filler, 1)
        self.choices = QWidget(self)
        self.choices.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.choices)

    def set_plan(self, plan: Any) -> None:
        self.tree.clear()
        self.decisions.clear()
        self._items.clear()
        self.default, self.name_default = "merge", "add"
        self.all_choice.setCurrentIndex(0)
        self.hidden = 0
        items = []
        in_batch = in_db = 0  # records matching an earlier one of this import / a person
        for index, planned in enumerate(plan.items):
            if not planned.matches:
                continue
            if len(items) >= SHOWN:
                self.hidden += 1
                in_batch += planned.matches[-1].item is not None  # those come last
                in_db += planned.matches[0].item is None
                continue
            p = planned.record.person
            where = f"{getattr(planned.file, 'name', planned.file)}, line {planned.record.line}"
            top = QTreeWidgetItem([person_name(p), first(p.emails, "address"), "", ""])
            top.setToolTip(0, where)
            top.setData(0, INDEX, index)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            for m in planned.matches:
                if m.item is None:
                    reason, tip = str(m.reason), f"Already in Rapport (#{m.person_id})"
                else:
                    other = plan.items[m.item]
                    at = f"{getattr(other.file, 'name', other.file)}, line {other.record.line}"
                    reason = f"{m.reason} as a record earlier in this import"
                    tip = f"Earlier in this import: {at}. Merge makes them one new person."
                child = QTreeWidgetItem([f"↳ {m.name}", reason, score_text(m.score), ""])
                child.setData(0, INDEX, index)
                child.setToolTip(0, tip)
                top.addChild(child)
            in_batch += planned.matches[-1].item is not None
            in_db += planned.matches[0].item is None
            items.append(top)
            self._items[index] = top
            # Two people may share a name at one organisation: a match by name alone is
            # offered, but added as a new person unless the user says merge.
            by_name = all(m.by_name for m in planned.matches)
            self.decisions[index] = self.name_default if by_name else self.default
        self.tree.addTopLevelItems(items)
        self.tree.expandAll()
        for index in self._items:
            self._show(index)
        total, matched = len(plan.items), len(self._items) + self.hidden
        new = total - matched
        if matched:
            whom = " or ".join(
                w
                for n, w in (
                    (in_db, "people already in Rapport"),
                    (in_batch, "records earlier in this import"),
                )
                if n
            )
            text = (
                f"{plural(matched, 'record')} of {total:,} match {whom}. "
                f"Choose for each: merge into that person (nothing is lost), skip, or "
                f"add as a new person. {plural(new, 'other record')} will be added."
            )
        else:
            text = f"No duplicates: {plural(total, 'record')} will be added as new people."
        if self.hidden:
            text += (
                f" The first {SHOWN:,} are listed; the other {self.hidden:,} follow the "
                "“For all” choice."
            )
        if plan.rejected:
            text += f" {plural(len(plan.rejected), 'record')} cannot be imported."
        self.summary.setText(text)
        self.tree.setVisible(bool(matched))
        self.choices.setVisible(bool(matched))
        self._filler.setVisible(not matched)
        self._update()

    def _show(self, index: int) -> None:
        self._items[index].setText(3, LABELS[self.decisions[index]])

    def selected_indexes(self) -> list[int]:
        return sorted({int(item.data(0, INDEX)) for item in self.tree.selectedItems()})

    def select(self, indexes: list[int]) -> None:
        self.tree.clearSelection()
        for i in indexes:
            self._items[i].setSelected(True)

    def set_selected(self, choice: str) -> None:
        for index in self.selected_indexes():
            self.decisions[index] = choice
            self._show(index)

    def set_all(self, choice: str) -> None:
        self.default = self.name_default = choice
        for index in self.decisions:
            self.decisions[index] = choice
            self._show(index)

    def _update(self) -> None:
        has_selection = bool(self.tree.selectedItems())
        for b in self.selected_buttons:
            b.setEnabled(has_selection)
        any_matches = bool(self._items) or self.hidden > 0
        self.all_choice.setEnabled(any_matches)
        self.apply_all_button.setEnabled(any_matches)
