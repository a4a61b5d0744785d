"""Starting the app: first run (demo or empty), database errors, and a real start-up."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton

from crm.services import ServiceError, open_services
from crm.ui import app as app_module
from crm.ui import first_run
from crm.ui.first_run import FirstRunDialog, fill_with_demo
from crm.ui.main_window import MainWindow
from crm.ui.tasks import TaskRunner


@pytest.fixture
def keep_look(qapp):
    """application() styles the shared QApplication; put it back for other tests."""
    sheet, palette, style = qapp.styleSheet(), qapp.palette(), qapp.style().name()
    yield
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setStyle(style)


@pytest.fixture
def critical(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "critical", staticmethod(lambda _p, _t, text, *a: shown.append(text))
    )
    return shown


def _close(window: MainWindow) -> None:
    window.ctx.bus.detach()
    window.ctx.services.close()
    window.close()
    window.deleteLater()


def test_first_run_dialog_choices(qtbot) -> None:
    for button, choice in (("demo_button", "demo"), ("empty_button", "empty")):
        dialog = FirstRunDialog(Path("/tmp/x.sqlite"))
        qtbot.addWidget(dialog)
        getattr(dialog, button).click()
        assert dialog.choice == choice
        assert dialog.result() == FirstRunDialog.DialogCode.Accepted
    dialog = FirstRunDialog(None)
    qtbot.addWidget(dialog)
    dialog.reject()
    assert dialog.choice is None


def test_first_run_start_empty(tmp_path, monkeypatch, qtbot, keep_look) -> None:
    db = tmp_path / "new.sqlite"
    monkeypatch.setattr(FirstRunDialog, "ask", classmethod(lambda cls, path: "empty"))
    window = app_module.open_main_window(db)
    assert isinstance(window, MainWindow)
    try:
        assert db.exists()
        assert window.people.model.rowCount() == 0
        assert window.people.empty_label.text().startswith("No people yet")
    finally:
        _close(window)


def test_first_run_closed_leaves_no_file(tmp_path, monkeypatch, keep_look) -> None:
    db = tmp_path / "new.sqlite"
    monkeypatch.setattr(FirstRunDialog, "ask", classmethod(lambda cls, path: None))
    assert app_module.run_app(db) == 0
    assert not db.exists()


def test_first_run_demo_data_in_a_task(tmp_path, monkeypatch, qtbot, keep_look) -> None:
    db = tmp_path / "demo.sqlite"
    monkeypatch.setattr(FirstRunDialog, "ask", classmethod(lambda cls, path: "demo"))
    monkeypatch.setattr(first_run, "DEMO_CONTACTS", 40)
    window = app_module.open_main_window(db)
    assert isinstance(window, MainWindow)
    try:
        assert window.ctx.services.people.count() + window.ctx.services.people.count(True) == 40
        assert window.people.model.rowCount() > 0
        assert window.statusBar().currentMessage().startswith("Demo data ready")
    finally:
        _close(window)


def test_cancelling_demo_data_writes_nothing(tmp_path, monkeypatch, qtbot) -> None:
    import crm.services.demo as demo

    def slow_generate(db, *, contacts, seed, progress, cancelled, **_):
        for i in range(2000):  # at most ten seconds: cancel comes long before
            progress(i, 2000)
            if cancelled():
                raise ServiceError("cancelled")
            time.sleep(0.005)
        return {"people": contacts}

    monkeypatch.setattr(demo, "generate", slow_generate)

    def press_cancel() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QProgressDialog) and w.isVisible() and w.value() > 0:
                w.findChild(QPushButton).click()  # as the user does
                return
        QTimer.singleShot(20, press_cancel)

    services = open_services(f"sqlite:///{tmp_path / 'c.sqlite'}")
    try:
        QTimer.singleShot(50, press_cancel)
        filled, message = fill_with_demo(services, TaskRunner(), contacts=10)
        assert not filled
        assert "cancelled" in message
        assert services.people.count() == 0
    finally:
        services.close()


@pytest.mark.parametrize("content", [b"not a database at all" * 10, b"SQLite format 3\x00junk"])
def test_unusable_database_shows_a_message_and_exits_2(
    tmp_path, critical, keep_look, content
) -> None:
    bad = tmp_path / "broken.sqlite"
    bad.write_bytes(content)
    assert app_module.run_app(bad) == 2
    [text] = critical
    assert str(bad) in text
    assert "crm restore" not in text  # no backups beside it: nothing to point at


def test_a_damaged_database_with_backups_points_at_the_newest(
    tmp_path, critical, keep_look, monkeypatch
) -> None:
    offered: list[Path] = []
    monkeypatch.setattr(app_module, "offer_rescue", lambda _t, b: offered.append(b) or False)
    db = tmp_path / "rapport.sqlite"
    services = open_services(f"sqlite:///{db}")
    try:
        older = services.backups.backup(
            services.backups.default_target("auto", datetime(2026, 11, 1, 9, 0, 0))
        ).path
        newest = services.backups.backup(
            services.backups.default_target("manual", datetime(2026, 11, 20, 9, 0, 0))
        ).path
    finally:
        services.close()
    (tmp_path / "backups" / "other-2026-11-25_090000.sqlite").write_bytes(b"another db's")
    db.write_bytes(b"garbage after a disk error" * 100)
    for side in ("-wal", "-shm"):
        (tmp_path / f"rapport.sqlite{side}").unlink(missing_ok=True)
    assert app_module.run_app(db) == 2
    [text] = critical
    assert older != newest
    assert offered == [newest]  # asked first; Quit leaves the file as it is
    assert db.read_bytes().startswith(b"garbage")
    assert f'crm restore "{newest}" --db "{db}"' in text


def test_a_damaged_database_is_restored_from_its_newest_backup_when_asked(
    tmp_path, critical, keep_look, monkeypatch
) -> None:
    db = tmp_path / "rapport.sqlite"
    services = open_services(f"sqlite:///{db}")
    try:
        from crm.services.people_data import PersonInput

        services.people.create(PersonInput(display_name="Kept Safe"))
        services.backups.backup(
            services.backups.default_target("manual", datetime(2026, 11, 20, 9, 0, 0))
        )
    finally:
        services.close()
    for side in ("-wal", "-shm"):
        (tmp_path / f"rapport.sqlite{side}").unlink(missing_ok=True)
    db.write_bytes(b"garbage after a disk error" * 100)
    asked: list[Path] = []
    monkeypatch.setattr(app_module, "offer_rescue", lambda _t, b: asked.append(b) or True)
    restored, _choice, code = app_module.open_database(db)
    try:
        assert code == 0 and restored is not None and critical == []
        (kept,) = restored.search.person_ids("Kept Safe")
        assert restored.people.get(kept).display_name == "Kept Safe"
    finally:
        restored.close()
    assert asked and asked[0].name.startswith("rapport-2026-11-20")
    kept = [f for f in (tmp_path / "backups").iterdir() if f.read_bytes().startswith(b"garbage")]
    assert len(kept) == 1  # the damaged file is not lost either


def test_missing_folder_is_a_database_error(tmp_path, critical, monkeypatch, keep_look) -> None:
    asked: list[object] = []
    monkeypatch.setattr(FirstRunDialog, "ask", classmethod(lambda cls, path: asked.append(path)))
    assert app_module.run_app(tmp_path / "nowhere" / "x.sqlite") == 2
    assert "nowhere" in critical[0]
    assert asked == []  # no welcome for a database that cannot be made


def test_application_has_rapport_names(keep_look) -> None:
    app = app_module.application()
    assert app.organizationName() == "Rapport" and app.applicationName() == "Rapport"
    assert "sidebar" in app.styleSheet()
    assert "@RESOURCES@" not in app.styleSheet()


def test_real_start_up_paints_people_without_matplotlib(tmp_path) -> None:
    """A whole process: open an existing database, paint the People page, quit."""
    db = tmp_path / "start.sqlite"
    services = open_services(f"sqlite:///{db}")
    from crm.services.people_data import PersonInput

    services.people.create(PersonInput(display_name="Ada Lovelace"))
    services.close()
    script = textwrap.dedent(
        f"""
        import sys
        from crm.ui.app import run_app
        code = run_app({str(db)!r})
        assert "matplotlib" not in sys.modules, "matplotlib imported at start-up"
        print("exit", code)
        sys.exit(code)
        """
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CRM_BENCH_EXIT_AFTER_PAINT="1")
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "exit 0" in done.stdout
