"""Selected rows of a table view, read from the selection's ranges.

selectedRows() builds one index per selected row and cell check; after Select All on
50,000 rows that takes seconds, while the ranges are a handful of (top, bottom) pairs.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QItemSelection, QItemSelectionModel
from PySide6.QtWidgets import QAbstractItemView, QTableView


def selected_rows(view: QAbstractItemView) -> list[int]:
    sm = view.selectionModel()
    if sm is None:
        return []
    rows: set[int] = set()
    for rng in sm.selection():
        rows.update(range(rng.top(), rng.bottom() + 1))
    return sorted(rows)


def reselect_rows(view: QAbstractItemView, rows: Iterable[int]) -> None:
    """Make these rows the selection (rows below 0 are skipped) in one call: one range
    per run of adjacent rows. Row by row, each call re-reads the whole selection, so
    putting back 1,000 selected rows after a reload took seconds."""
    model, sm = view.model(), view.selectionModel()
    ordered = sorted({r for r in rows if r >= 0})
    selection = QItemSelection()
    start = 0
    for k in range(1, len(ordered) + 1):
        if k == len(ordered) or ordered[k] != ordered[k - 1] + 1:
            selection.select(model.index(ordered[start], 0), model.index(ordered[k - 1], 0))
            start = k
    flags = QItemSelectionModel.SelectionFlag
    sm.select(selection, flags.ClearAndSelect | flags.Rows)


def show_row(view: QTableView, row: int) -> None:
    """Select one row and scroll it into view; a row below 0 clears the selection."""
    if row >= 0:
        view.selectRow(row)
        view.scrollTo(view.model().index(row, 0))
    else:
        view.clearSelection()
