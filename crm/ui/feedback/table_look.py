"""How the Feedback and Initiatives tables fit beside their detail panel.

The title column takes the room that is left, the others are as wide as what they
hold (measured with the view's font, not guessed in pixels), and the columns the
detail already shows start hidden: a right-click on the header shows or hides any
column but the title, and the choice is remembered in the settings.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView


def fit_columns(view: QTableView, samples: dict[int, str], stretch: int) -> None:
    """`samples`: column → the widest text it usually holds (its title counts too)."""
    header = view.horizontalHeader()
    fm = view.fontMetrics()
    model = view.model()
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(40)
    for col, sample in samples.items():
        title = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
        # the title needs room for the sort arrow too
        view.setColumnWidth(
            col, max(fm.horizontalAdvance(sample) + 16, fm.horizontalAdvance(title) + 30)
        )
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


class ColumnChooser:
    """Right-click on the header: show or hide each column but `keep`; remembered under
    `key` in the settings (the hidden columns' titles joined by "|"; "" for none)."""

    def __init__(
        self,
        view: QTableView,
        settings: QSettings,
        key: str,
        hidden_by_default: Sequence[int] = (),
        keep: int = 0,
    ) -> None:
        self.view, self.settings, self.key, self.keep = view, settings, key, keep
        header = view.horizontalHeader()
        header.setToolTip("Right-click to choose the columns")
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._popup)
        titles = self._titles()
        saved = settings.value(key)
        hidden = (
            {titles.index(t) for t in saved.split("|") if t in titles}
            if isinstance(saved, str)
            else set(hidden_by_default)
        )
        for col in range(len(titles)):
            header.setSectionHidden(col, col in hidden and col != keep)

    def _titles(self) -> list[str]:
        model = self.view.model()
        return [
            str(model.headerData(c, Qt.Orientation.Horizontal) or "")
            for c in range(model.columnCount())
        ]

    def menu(self) -> QMenu:
        header = self.view.horizontalHeader()
        menu = QMenu(self.view)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for col, title in enumerate(self._titles()):
            if col == self.keep:
                continue
            act = menu.addAction(title)
            act.setCheckable(True)
            act.setChecked(not header.isSectionHidden(col))
            act.toggled.connect(lambda on, c=col: self.set_shown(c, on))
        return menu

    def set_shown(self, col: int, shown: bool) -> None:
        header = self.view.horizontalHeader()
        header.setSectionHidden(col, not shown)
        titles = self._titles()
        hidden = [t for c, t in enumerate(titles) if header.isSectionHidden(c)]
        self.settings.setValue(self.key, "|".join(hidden))

    def _popup(self, pos: QPoint) -> None:
        header = self.view.horizontalHeader()
        self.menu().popup(header.mapToGlobal(pos))
