"""The main window's contact-file actions: File → Import / Export / Partner export /
Export log, People → Find duplicates, and files dropped on the window; and the
calendar's: File → Export calendar / Import calendar replies (calendar_actions.py).

The dialogs are imported when first opened, so start-up does not pay for them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from crm.ui.io.drop import install_file_drop

if TYPE_CHECKING:
    from crm.ui.main_window import MainWindow


class IoActions:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.ctx = window.ctx
        self.last_dialog: Any = None
        self.drop = install_file_drop(window, self.open_import)

    def _add(self, menu: QMenu, text: str, slot: Any, shortcut: str | None = None) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def add_file_actions(self, menu: QMenu) -> None:
        self.import_action = self._add(menu, "&Import contacts…", self.open_import, "Ctrl+O")
        self.export_action = self._add(menu, "&Export contacts…", self.open_export, "Ctrl+E")
        self.partner_action = self._add(menu, "&Partner export…", self.open_partner_export)
        self.log_action = self._add(menu, "Export &log", self.open_export_log)
        menu.addSeparator()
        self.calendar_action = self._add(menu, "Export &calendar…", self.open_calendar_export)
        self.replies_action = self._add(menu, "Import calendar &replies…", self.open_replies)

    def add_people_actions(self, menu: QMenu) -> None:
        self.duplicates_action = self._add(menu, "Find &duplicates…", self.open_duplicates)

    def _opened(self, dialog: Any) -> Any:
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def open_import(self, paths: Iterable[str | Path] = ()) -> Any:
        from crm.ui.io.import_wizard import ImportWizard

        paths = list(paths)
        if paths:  # calendar files (replies to invitations) have an import of their own
            from crm.ui.io.calendar_actions import split_calendar_files

            calendars, paths = split_calendar_files(paths)
            if calendars:
                dialog = self.open_replies(calendars)
                if not paths:
                    return dialog
        wizard = ImportWizard(self.ctx, self.window, list(paths))
        wizard.imported.connect(self._imported)
        return self._opened(wizard)

    def _imported(self, report: Any) -> None:
        from crm.ui.io.common import plural

        self.window.show_message(
            f"Imported: {plural(report.added, 'person', 'people')} added, "
            f"{report.merged:,} merged, {report.skipped:,} skipped"
        )

    def open_calendar_export(self, path: str | None = None) -> Any:
        from crm.ui.io.calendar_actions import export_calendar

        dialog = export_calendar(self.ctx, self.window, path)
        self.last_dialog = dialog or self.last_dialog
        return dialog

    def open_replies(self, paths: Iterable[str | Path] | None = None) -> Any:
        from crm.ui.io.calendar_actions import choose_replies, import_replies

        chosen = list(paths) if paths is not None else choose_replies(self.window)
        dialog = import_replies(self.ctx, self.window, chosen)
        self.last_dialog = dialog or self.last_dialog
        return dialog

    def open_export(self, ids: Iterable[int] | None = None) -> Any:
        from crm.ui.io.export_dialog import ExportDialog

        page = self.window.people
        selected = list(ids) if ids is not None else page.selected_ids()
        dialog = ExportDialog(
            self.ctx,
            self.window,
            selected,
            page.search.text(),
            page.role_filter.currentData(),
            page.tag_filter.currentData(),
        )
        return self._opened(dialog)

    def open_partner_export(self) -> Any:
        from crm.ui.io.partner_export_dialog import PartnerExportDialog

        return self._opened(PartnerExportDialog(self.ctx, self.window))

    def open_export_log(self) -> Any:
        from crm.ui.io.export_log_dialog import ExportLogDialog

        return self._opened(ExportLogDialog(self.ctx, self.window))

    def open_duplicates(self) -> Any:
        from crm.ui.io.duplicates_dialog import DuplicatesDialog

        return self._opened(DuplicatesDialog(self.ctx, self.window))
