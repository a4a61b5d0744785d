"""Selected rows of a table view, read from the selection's ranges.

selectedRows() builds one index per selected row and cell check; after Select All on
50,000 rows that takes seconds, while the ranges are a handful of (top, bottom) pairs.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTableView


def selected_rows(view: QAbstractItemView) -> list[int]:
    sm = view.selectionModel()
    if sm is None:
        return []
    rows: set[int] = set()
    for rng in sm.selection():
        rows.update(range(rng.top(), rng.bottom() + 1))
    return sorted(rows)


def show_row(view: QTableView, row: int) -> None:
    """Select one row and scroll it into view; a row below 0 clears the selection."""
    if row >= 0:
        view.selectRow(row)
        view.scrollTo(view.model().index(row, 0))
    else:
        view.clearSelection()
