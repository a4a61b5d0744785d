"""Starting the desktop app: the database (first run, migrations, errors), then the window.

Migrations run inside open_services, before any window exists. Nothing here imports
matplotlib: charts load it when they are first shown, so start-up stays fast.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

# The services are imported before PySide6 on purpose: once PySide6 is loaded, its
# import hook (shibokensupport's feature_import) runs on every later import. (SQLAlchemy
# itself is imported only after the first paint: the People table's first page is read
# with the sqlite3 module, see crm.services.people_query.)
from crm.paths import APP_NAME, database_url, sqlite_path
from crm.services import DatabaseError, ServiceError, Services, open_services
from crm.services.people_data import PeopleQuery
from crm.services.people_query import PeopleReads  # noqa: F401  (start-up's reads, early)

# isort: split
from PySide6.QtCore import QEvent, QLocale, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QColor, QPalette, QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from crm.ui.bus import ChangeBus
from crm.ui.context import UiContext
from crm.ui.tasks import TaskRunner
from crm.ui.widgets.icons import icon, resource, resources_dir

BENCH_ENV = "CRM_BENCH_EXIT_AFTER_PAINT"


def application() -> QApplication:
    """The QApplication, created once with Rapport's names, style and stylesheet."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("rapport")
    app.setWindowIcon(icon("rapport"))
    app.setStyle("Fusion")
    app.setPalette(light_palette(app.palette()))
    qss = resource("style.qss")
    if qss.is_file():
        text = qss.read_text(encoding="utf-8")
        app.setStyleSheet(text.replace("@RESOURCES@", resources_dir().as_posix()))
    return app


def light_palette(base: QPalette) -> QPalette:
    """Fusion's greys, lifted to white surfaces with one blue accent."""
    pal = QPalette(base)
    role = QPalette.ColorRole
    for r, colour in (
        (role.Window, "#ffffff"),
        (role.Base, "#ffffff"),
        (role.AlternateBase, "#fafbfc"),
        (role.Button, "#f7f8fa"),
        (role.WindowText, "#1f2937"),
        (role.Text, "#1f2937"),
        (role.ButtonText, "#1f2937"),
        (role.Highlight, "#2563eb"),
        (role.HighlightedText, "#ffffff"),
        (role.Link, "#2563eb"),
        (role.PlaceholderText, "#9ca3af"),
        (role.ToolTipBase, "#1f2937"),
        (role.ToolTipText, "#ffffff"),
    ):
        pal.setColor(r, QColor(colour))
    return pal


def phone_region() -> str | None:
    """The user's country, so phone numbers typed without +CC still parse."""
    code = QLocale.territoryToCode(QLocale.system().territory())
    return code if len(code) == 2 and code.isalpha() else None


def build_context(services: Services, settings: QSettings | None = None) -> UiContext:
    return UiContext(
        services=services,
        bus=ChangeBus(services.changes),
        undo=QUndoStack(),
        tasks=TaskRunner(),
        settings=settings or QSettings(),
    )


def first_run(path: Path | None) -> bool:
    """No database yet (in a folder that exists: a missing folder is an error to report)."""
    if path is None or not path.parent.is_dir():
        return False
    return not path.exists() or path.stat().st_size == 0


def _critical(title: str, text: str) -> None:
    QMessageBox.critical(None, title, text)


def open_database(db: str | os.PathLike[str] | None) -> tuple[Services | None, str | None, int]:
    """(services, first-run choice, exit code): services is None when we must stop."""
    url = database_url(db)
    path = sqlite_path(url)
    choice = None
    if first_run(path):
        from crm.ui.first_run import FirstRunDialog

        choice = FirstRunDialog.ask(path)
        if choice is None:
            return None, None, 0
    try:
        services = open_services(url, phone_region=phone_region())
    except DatabaseError as exc:
        text = f"Rapport cannot open the database\n{path or url}\n\n{exc}"
        if path is not None:
            from crm.services.backup import rescuable, rescue, rescue_hint

            newest = rescuable(path)
            if newest is not None and offer_rescue(text, newest):
                try:
                    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
                    try:
                        rescue(path, newest)
                    finally:
                        QApplication.restoreOverrideCursor()
                    return open_services(url, phone_region=phone_region()), None, 0
                except (DatabaseError, ServiceError) as again:
                    _critical("Rapport cannot restore the database", f"{newest}\n\n{again}")
                    return None, None, 2
            if hint := rescue_hint(path):
                text += f"\n\n{hint}"
        _critical("Rapport cannot open the database", text)
        return None, None, 2
    return services, choice, 0


def offer_rescue(text: str, backup: Path) -> bool:
    """Ask whether to put the newest backup in place of a database that cannot be opened."""
    box = QMessageBox(QMessageBox.Icon.Critical, "Rapport cannot open the database", text)
    box.setInformativeText(
        f"Its newest backup is {backup.name}. Restore it? The damaged file is kept in the "
        "backups folder."
    )
    restore = box.addButton("Restore newest backup", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    return box.clickedButton() is restore


def open_main_window(db: str | os.PathLike[str] | None = None):  # type: ignore[no-untyped-def]
    """The main window over the chosen database, or an exit code when we must stop."""
    services, choice, code = open_database(db)
    if services is None:
        return code
    if choice is None:
        # An existing database, nothing written before the window: the People table's
        # default ids are read on a thread while the window's modules are imported and
        # its widgets built (SQLite releases the GIL while it works).
        services.people_reads.prefetch_ids(PeopleQuery())
    from crm.ui.main_window import MainWindow

    ctx = build_context(services)
    message = ""
    if choice == "demo":
        from crm.ui import first_run as first_run_module

        filled, message = first_run_module.fill_with_demo(
            services, ctx.tasks, contacts=first_run_module.DEMO_CONTACTS
        )
        if not filled and not message.startswith("Demo data cancelled"):
            QMessageBox.warning(None, "Rapport", message)
    window = MainWindow(ctx)
    if message:
        window.show_message(message)
    return window


class _QuitAfterFirstPaint(QObject):
    """For bench/bench_startup.py: leave as soon as the People table has painted."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            # The bench measures process start to this moment (wall clock, so across
            # processes); leaving and tearing down are not part of start-up.
            if stamp := os.environ.get("CRM_BENCH_PAINT_FILE"):
                Path(stamp).write_text(repr(time.time()), encoding="utf-8")
            QTimer.singleShot(0, QApplication.quit)
        return False


def run_app(db: str | os.PathLike[str] | None = None, *, gc_off_until_painted: bool = False) -> int:
    """Open the database and the window, and run until the window closes.

    gc_off_until_painted: the caller (the `crm` command) switched garbage collection off
    before importing the app, which spares start-up some 170 collections over the
    freshly imported modules (≈ 50 ms); it is switched back on once the window has
    painted, and in any case when run_app returns.
    """
    try:
        return _run(db, gc_off_until_painted)
    finally:
        if gc_off_until_painted:
            gc.enable()


def _preload_pages(window: QWidget) -> None:
    from crm.ui.main_window import LAZY_PAGES
    from crm.ui.preload import PagePreloader

    PagePreloader([module for _title, _icon, module, _cls in LAZY_PAGES], window)


def _run(db: str | os.PathLike[str] | None, gc_off_until_painted: bool) -> int:
    from crm.ui.main_window import AfterFirstPaint

    app = application()
    window = open_main_window(db)
    if isinstance(window, int):
        return window
    if gc_off_until_painted:
        AfterFirstPaint(window.statusBar(), gc.enable)
    AfterFirstPaint(window.statusBar(), lambda: _preload_pages(window))
    if os.environ.get(BENCH_ENV) == "1":
        viewport: QWidget = window.people.table.viewport()
        watcher = _QuitAfterFirstPaint(window)
        viewport.installEventFilter(watcher)
    window.show()
    window.backups.schedule_auto_backup()  # once a day, off the GUI thread, a while after start
    try:
        return int(app.exec())
    finally:
        while getattr(window, "replaced_by", None) is not None:  # a restore reopened it
            window = window.replaced_by
        if window.isVisible():  # app.quit() without closing: still save the layout
            window.close()
        window.ctx.tasks.wait(5000)
        window.ctx.bus.detach()
        window.ctx.services.close()
