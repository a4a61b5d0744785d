"""The main window: a sidebar of pages, the menus and shortcuts, and the status bar.

Pages are plain widgets with `title`, `focus_search()` and `refresh()`; the window
knows nothing of what they show. Window geometry and the pages' splitters and
column layouts are saved to QSettings on close and restored on open.
"""

from __future__ import annotations

import html
import importlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from crm import __version__
from crm.services import Changes
from crm.ui.backup_actions import BackupActions
from crm.ui.context import UiContext
from crm.ui.io.actions import IoActions
from crm.ui.people.page import PeoplePage
from crm.ui.widgets.icons import icon
from crm.ui.widgets.labels import heading, muted

if TYPE_CHECKING:  # imported when first opened: start-up does not pay for dialogs
    from crm.ui.fields_dialog import FieldsDialog

# The pages after People: (title, icon, module, class). They are built the first time
# they are shown, so start-up pays only for the People page.
# Sidebar pages after People, built on first visit: (title, icon, module, class).
# A page class may declare LINK_KIND = "event" and show_item(id) to be the target of
# event:<id> links (crm.ui.people.linked), and may emit person_activated(int) and
# item_activated(str, int) to open a person or another page's item.
LAZY_PAGES = (
    ("Dashboard", "dashboard", "crm.ui.dashboard.page", "DashboardPage"),
    ("Communities", "communities", "crm.ui.communities.page", "CommunitiesPage"),
    ("Events", "events", "crm.ui.events.page", "EventsPage"),
    ("Outreach", "outreach", "crm.ui.outreach.page", "OutreachPage"),
    ("Content", "content", "crm.ui.content.page", "ContentPage"),
    ("Goals", "goals", "crm.ui.goals.page", "GoalsPage"),
    ("Advocacy", "advocacy", "crm.ui.advocacy.page", "AdvocacyPage"),
    ("Tasks", "dept_tasks", "crm.ui.dept_tasks.page", "TasksPage"),
    ("Moderation", "moderation", "crm.ui.moderation.page", "ModerationPage"),
    ("Feedback", "feedback", "crm.ui.feedback.page", "FeedbackPage"),
    ("Initiatives", "initiatives", "crm.ui.initiatives.page", "InitiativesPage"),
    ("Trash", "trash", "crm.ui.trash.page", "TrashPage"),
)
EXTRA_SHORTCUTS = (
    ("People table", "Double-click / Enter", "Edit the person"),
    ("People table", "Shift+click, Ctrl+click", "Select several people"),
    ("People table", "Right-click", "Bulk actions on the selection"),
    ("Timeline", "Double-click", "Edit the interaction"),
    ("Dialogs", "Enter / Esc", "Save / cancel"),
)


class AfterFirstPaint(QObject):
    """Calls `callback` once, from the event loop, after `watched` first paints."""

    def __init__(self, watched: QWidget, callback: Callable[[], object]) -> None:
        super().__init__(watched)
        self._callback = callback
        watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)
        return False


class MainWindow(QMainWindow):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        path = ctx.services.db.path
        self.setWindowTitle(f"Rapport — {path.name}" if path else "Rapport")
        self.setWindowIcon(icon("rapport"))
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setFixedWidth(188)
        self.sidebar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.stack = QStackedWidget()
        self._pages: list[QWidget | None] = []
        self._titles: list[str] = []

        self.people = PeoplePage(ctx)
        self.people.message.connect(self.show_message)
        self.people.community_activated.connect(self.open_community)
        self.people.item_activated.connect(self.open_item)
        self.add_page(self.people, "people")
        for title, icon_name, _module, _cls in LAZY_PAGES:
            self._add_entry(title, icon_name, None)
        self.sidebar.currentRowChanged.connect(self._page_changed)

        brand = QLabel("Rapport")
        brand.setObjectName("brand")
        side = QWidget()
        side.setObjectName("sidebarPane")
        side.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        sv = QVBoxLayout(side)
        sv.setContentsMargins(10, 14, 10, 10)
        sv.setSpacing(10)
        sv.addWidget(brand)
        sv.addWidget(self.sidebar, 1)
        central = QWidget()
        h = QHBoxLayout(central)
        h.setContentsMargins(0, 0, 0, 0)
        h.setSpacing(0)
        h.addWidget(side)
        h.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.counts = muted()
        self.statusBar().addPermanentWidget(self.counts)
        self._counts_asked = 0
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(250)
        self._counts_timer.timeout.connect(self.update_counts)
        # Counting is not part of the first paint: it starts once the status bar has
        # painted (and runs as a task, see update_counts).
        AfterFirstPaint(self.statusBar(), self.update_counts)
        ctx.bus.changed.connect(self._on_changed)

        self._build_menus()
        self.sidebar.setCurrentRow(0)
        self.resize(1280, 800)
        self.restore_state()

    # ---- pages -----------------------------------------------------------------------
    def add_page(self, page: QWidget, icon_name: str) -> None:
        self._add_entry(getattr(page, "title", icon_name.capitalize()), icon_name, page)

    def _add_entry(self, title: str, icon_name: str, page: QWidget | None) -> None:
        """A sidebar entry; a page not built yet holds an empty placeholder in the stack."""
        self._pages.append(page)
        self._titles.append(title)
        self.stack.addWidget(page if page is not None else QWidget())
        item = QListWidgetItem(icon(icon_name), title)
        item.setSizeHint(QSize(0, 36))
        self.sidebar.addItem(item)

    def page(self, index: int) -> QWidget:
        """The page at this sidebar row, built now if it was not yet."""
        page = self._pages[index]
        if page is None:
            _title, _icon, module, cls_name = LAZY_PAGES[index - 1]
            page = getattr(importlib.import_module(module), cls_name)(self.ctx)
            for name in ("message", "status_message"):
                if hasattr(page, name):
                    getattr(page, name).connect(self.show_message)
            if hasattr(page, "person_activated"):
                page.person_activated.connect(self.open_person)
            if hasattr(page, "item_activated"):
                page.item_activated.connect(self.open_item)
            if hasattr(page, "open_page"):  # a page that links to another (the Dashboard)
                page.open_page.connect(self.show_page_titled)
            if hasattr(page, "actions_row") and hasattr(page, "current_event_id"):
                from crm.ui.io.calendar_actions import install_event_buttons

                install_event_buttons(page, self.ctx)  # Export invitations…, Email drafts…
            placeholder = self.stack.widget(index)
            current = self.stack.currentIndex()
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.stack.insertWidget(index, page)
            self.stack.setCurrentIndex(current)
            self._pages[index] = page
        return page

    @property
    def pages(self) -> list[QWidget]:
        """Every page (building those not built yet)."""
        return [self.page(i) for i in range(len(self._pages))]

    def built_pages(self) -> list[QWidget]:
        return [p for p in self._pages if p is not None]

    def current_page(self) -> QWidget:
        return self.stack.currentWidget()

    def show_page(self, index: int) -> None:
        if 0 <= index < len(self._pages):
            self.sidebar.setCurrentRow(index)

    def show_page_titled(self, title: str) -> None:
        if title in self._titles:
            self.show_page(self._titles.index(title))

    def _page_changed(self, row: int) -> None:
        if 0 <= row < len(self._pages):
            self.page(row)
            self.stack.setCurrentIndex(row)
        # Del archives people only on the People page; other pages bind Delete to their
        # own tables, and two live Del shortcuts would cancel out as ambiguous.
        self.archive_action.setEnabled(self.current_page() is self.people)

    # ---- menus -----------------------------------------------------------------------
    def _action(
        self, menu: QMenu, text: str, slot: Callable[[], object], shortcut: str | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self.new_person_action = self._action(file, "&New person…", self.new_person, "Ctrl+N")
        file.addSeparator()
        self.io = IoActions(self)  # import, exports, duplicates; files dropped on the window
        self.io.add_file_actions(file)
        self.report_action = self._action(file, "Export &report…", self.export_report)
        file.addSeparator()
        self.backups = BackupActions(self)  # Back up…, Restore from backup…, the daily backup
        self.backups.add_file_actions(file)
        file.addSeparator()
        self.settings_action = self._action(file, "&Settings…", self.edit_settings, "Ctrl+,")
        file.addSeparator()
        self.quit_action = self._action(file, "&Quit", self.close, "Ctrl+Q")

        edit = bar.addMenu("&Edit")
        self.undo_action = self.ctx.undo.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = self.ctx.undo.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence("Ctrl+Shift+Z"))
        self.undo_action.setProperty("plain_text", "Undo")
        self.redo_action.setProperty("plain_text", "Redo")
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        edit.addSeparator()
        self.find_action = self._action(edit, "&Find", self.find, "Ctrl+F")

        view = bar.addMenu("&View")
        for i, title in enumerate(self._titles):
            self._action(view, title, lambda i=i: self.show_page(i), f"Ctrl+{i + 1}")

        people = bar.addMenu("&People")
        self.log_action = self._action(people, "&Log interaction…", self.log_interaction, "Ctrl+I")
        self.archive_action = self._action(people, "&Archive", self.archive, "Del")
        people.addSeparator()
        self.fields_action = self._action(people, "Custom &fields…", self.edit_fields)
        self.io.add_people_actions(people)

        help_menu = bar.addMenu("&Help")
        self.shortcuts_action = self._action(
            help_menu, "&Keyboard shortcuts", self.show_shortcuts, "F1"
        )
        self._action(help_menu, "&About Rapport", self.show_about)

    def all_shortcuts(self) -> list[tuple[str, str, str]]:
        """(menu, shortcut, action) for every menu action with a shortcut, then extras."""

        def walk(menu: QMenu, path: str) -> Iterator[tuple[str, str, str]]:
            for action in menu.actions():
                if action.menu():
                    yield from walk(action.menu(), path)  # type: ignore[arg-type]
                elif not action.shortcut().isEmpty():
                    yield (
                        path,
                        action.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
                        action.property("plain_text")
                        or action.text().replace("&", "").rstrip("…").strip(),
                    )

        out: list[tuple[str, str, str]] = []
        for top in self.menuBar().actions():
            if top.menu():
                out += walk(top.menu(), top.text().replace("&", ""))  # type: ignore[arg-type]
        # Actions the pages bind to their own tables (Restore in the Trash, …).
        for page in self.pages:
            found: dict[str, list[str]] = {}
            for action in page.findChildren(QAction):
                what = action.text().replace("&", "").rstrip("…").strip()
                for seq in action.shortcuts():
                    keys = seq.toString(QKeySequence.SequenceFormat.NativeText)
                    if keys and what and keys not in found.setdefault(what, []):
                        found[what].append(keys)
            out += [(page.title, " / ".join(keys), what) for what, keys in found.items() if keys]
        return out + list(EXTRA_SHORTCUTS)

    # ---- actions ---------------------------------------------------------------------
    def new_person(self) -> None:
        self.show_page(0)
        self.people.new_person()

    def open_person(self, person_id: int) -> None:
        """Show a person on the People page (from a member list or a link elsewhere)."""
        self.show_page(0)
        self.people.select_person(person_id)

    def open_community(self, community_id: int) -> None:
        for i, page in enumerate(self.pages):
            if hasattr(page, "select_community"):
                self.show_page(i)
                page.select_community(community_id)
                return

    def open_item(self, kind: str, item_id: int) -> None:
        """Show an item (an event, an advocacy note …) on the page whose LINK_KIND it is."""
        for i, (_title, _icon, module, cls_name) in enumerate(LAZY_PAGES, start=1):
            cls = getattr(importlib.import_module(module), cls_name)
            if getattr(cls, "LINK_KIND", None) == kind:
                self.show_page(i)
                self.page(i).show_item(item_id)
                return
        self.show_message(f"Nothing here opens {kind} links.")

    def export_report(self, path: str | None = None) -> object:
        """The dashboard's charts as a PDF, for the Dashboard's period (12 months if the
        Dashboard was never opened)."""
        from crm.ui.dashboard.export import ReportExport
        from crm.ui.dashboard.page import DashboardPage

        dashboard = next((p for p in self.built_pages() if isinstance(p, DashboardPage)), None)
        key = dashboard.period_key() if dashboard is not None else "12m"
        export = ReportExport(self.ctx, self, key, self.show_message)
        export.start(path)
        return export

    def find(self) -> None:
        page = self.current_page()
        if hasattr(page, "focus_search"):
            page.focus_search()

    def log_interaction(self) -> None:
        ids = self.people.selected_ids() if self.current_page() is self.people else []
        self.people.log_interaction(ids)

    def archive(self) -> None:
        if self.current_page() is self.people:
            self.people.archive_selected()

    def edit_fields(self) -> FieldsDialog:
        from crm.ui.fields_dialog import FieldsDialog

        dialog = FieldsDialog(self.ctx.services, self)
        dialog.open()
        return dialog

    def edit_settings(self) -> QDialog:
        """The database's settings: the organiser that calendar invitations name."""
        from crm.ui.events.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ctx.services, self)
        dialog.accepted.connect(lambda: self.show_message("Settings saved."))
        dialog.open()
        return dialog

    def show_shortcuts(self) -> QDialog:
        dialog = QDialog(self)
        dialog.setWindowTitle("Keyboard shortcuts")
        dialog.resize(480, 640)
        rows, last = [], None
        for group, keys, what in self.all_shortcuts():
            if group != last:
                rows.append(f"<tr><td colspan=2 style='padding-top:10px'><b>{group}</b></td></tr>")
                last = group
            rows.append(
                f"<tr><td style='padding:2px 18px 2px 8px'><code>{html.escape(keys)}</code></td>"
                f"<td>{html.escape(what)}</td></tr>"
            )
        table = QLabel(f"<table>{''.join(rows)}</table>")
        table.setObjectName("shortcutsTable")
        table.setTextFormat(Qt.TextFormat.RichText)
        table.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(heading("Keyboard shortcuts", scale=1.25))
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        dialog.open()
        return dialog

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About Rapport",
            f"<h3>Rapport {__version__}</h3>"
            "<p>A community-relationship manager: the people and groups a community "
            "lives on, every conversation with them, and the partners they belong to.</p>"
            f"<p>Database: <code>{html.escape(str(self.ctx.services.db.url))}</code></p>",
        )

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 10000)

    # ---- status bar ------------------------------------------------------------------
    def update_counts(self) -> None:
        """Count on a task: the first count imports SQLAlchemy and the models (≈ 0.3 s,
        right after the window first appears), and counting 1,000,000 interactions
        takes a while too; the window keeps answering meanwhile."""
        s = self.ctx.services
        self._counts_asked += 1
        asked = self._counts_asked

        def count(_control: object) -> tuple[int, int, int, int]:
            return asked, s.people.count(), s.communities.count(), s.interactions.count()

        # A failed count (the database busy, say) leaves the last counts showing.
        self.ctx.tasks.run(count, on_done=self._show_counts, on_error=lambda _exc: None)

    def _show_counts(self, result: tuple[int, int, int, int]) -> None:
        asked, people, communities, interactions = result
        if asked != self._counts_asked:  # an older count finishing after a newer one
            return
        self.counts.setText(
            f"{people:,} people  ·  {communities:,} communities  ·  {interactions:,} interactions"
        )

    def _on_changed(self, change: Changes) -> None:
        if change.touches("people", "communities", "interactions", "trash"):
            self._counts_timer.start()

    # ---- state -----------------------------------------------------------------------
    def restore_state(self) -> None:
        s = self.ctx.settings
        geometry = s.value("main/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        state = s.value("main/state")
        if isinstance(state, QByteArray | bytes):
            self.restoreState(QByteArray(state))
        page = s.value("main/page")
        if page is not None:
            self.show_page(int(page))

    def save_state(self) -> None:
        s = self.ctx.settings
        s.setValue("main/geometry", self.saveGeometry())
        s.setValue("main/state", self.saveState())
        s.setValue("main/page", self.sidebar.currentRow())
        for page in self.built_pages():
            if hasattr(page, "save_state"):
                page.save_state()
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        super().closeEvent(event)
