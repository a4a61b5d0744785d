"""File → Back up… and File → Restore from backup…, and the daily automatic backup."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from crm.services import ServiceError
from crm.services.people_data import PersonInput
from crm.ui.backup_dialogs import BackupDialog, RestoreDialog
from crm.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise.*", "This plugin does not support grabbing.*"
)


@pytest.fixture
def window(ctx, qtbot):  # type: ignore[no-untyped-def]
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _names(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT display_name FROM person ORDER BY 1")]
    finally:
        con.close()


def _add(services, name: str) -> int:  # type: ignore[no-untyped-def]
    return services.people.create(PersonInput(display_name=name))


def test_ctrl_shift_b_backs_up_with_progress(window, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    _add(services, "Ann")
    qtbot.keyClick(
        window,
        Qt.Key.Key_B,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.backups.last_dialog
    assert isinstance(dialog, BackupDialog) and dialog.isVisible()
    target = Path(dialog.target.text())
    assert target.parent == services.db.path.parent / "backups"
    progress: list[tuple[int, int]] = []
    dialog.strip.progressed.connect(lambda d, t: progress.append((d, t)))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert target.is_file() and _names(target) == ["Ann"]
    assert progress and progress[-1][0] == progress[-1][1] > 0
    assert dialog.result_label.isVisible()
    assert str(target) in dialog.result_label.text() and "checked" in dialog.result_label.text()
    assert dialog.target.text() != str(target)  # ready for another, under a new name
    assert window.statusBar().currentMessage() == f"Backed up to {target}"


def test_cancelled_backup_leaves_no_file(window, services, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from crm.services import backup_copy

    monkeypatch.setattr(backup_copy, "STEP_PAGES", 5)
    for i in range(30):
        _add(services, f"Person {i}")
    dialog = window.backups.open_backup()
    dialog.strip.progressed.connect(lambda _d, _t: dialog.strip.cancel())
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.error.isVisible()
    assert dialog.error.text() == "Backup cancelled; no file was written"
    assert list(services.backups.folder().iterdir()) == []
    assert dialog.start_button.isEnabled() and not dialog.result_label.isVisible()


def test_the_daily_backups_setting_is_saved(window, services) -> None:  # type: ignore[no-untyped-def]
    dialog = window.backups.open_backup()
    assert dialog.keep.value() == 7
    dialog.keep.setValue(3)
    assert services.backups.keep() == 3
    dialog.keep.setValue(0)
    assert dialog.keep.text() == "off" and services.backups.keep() == 0


def test_restore_lists_backups_asks_and_reopens_the_window(
    window, services, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    _add(services, "Ann")
    backup = services.backups.backup().path
    _add(services, "Later")
    window.people.refresh()
    dialog = window.backups.open_restore()
    assert isinstance(dialog, RestoreDialog)
    assert dialog.list.topLevelItemCount() == 1
    row = dialog.list.topLevelItem(0)
    assert row.text(1) == "Backup" and row.text(3) == backup.name and row.text(2).endswith("kB")

    monkeypatch.setattr(RestoreDialog, "confirm", lambda self, path: False)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert _names(services.db.path) == ["Ann", "Later"]  # declined: nothing happened

    monkeypatch.setattr(RestoreDialog, "confirm", lambda self, path: True)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    new = window.replaced_by
    qtbot.addWidget(new)
    assert new.isVisible() and not window.isVisible() and not dialog.isVisible()
    assert _names(services.db.path) == ["Ann"]
    assert new.ctx.services is not services and new.ctx.services.db.url == services.db.url
    assert new.people.model.rowCount() == 1
    message = new.statusBar().currentMessage()
    assert message == (
        f"Restored {backup.name}. The database as it was before is kept with the backups "
        "(File → Restore)."
    )
    [safety] = [b for b in services.backups.list_backups() if b.kind == "before-restore"]
    assert _names(safety.path) == ["Ann", "Later"]
    # The new window works on the restored database: add someone, see it in the file.
    _add(new.ctx.services, "After")
    assert _names(services.db.path) == ["After", "Ann"]


def test_restore_confirmation_says_what_happens(window, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    backup = services.backups.backup().path
    dialog = window.backups.open_restore()
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text() + "\n" + box.informativeText())
        box.button(QMessageBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, answer)
    assert dialog.confirm(backup) is False
    [text] = seen
    assert f"Replace the database with {backup.name}?" in text
    assert str(services.db.path) in text and "backed up first" in text


def test_restore_refuses_a_file_that_is_not_a_backup(
    window, services, qtbot, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    _add(services, "Ann")
    notes = tmp_path / "notes.txt"
    notes.write_text("just notes\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(notes), ""))
    asked: list[Path] = []
    monkeypatch.setattr(RestoreDialog, "confirm", lambda self, path: asked.append(path) or True)
    dialog = window.backups.open_restore()
    assert dialog.empty.isVisible() and not dialog.restore_button.isEnabled()
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == f"{notes}: not a Rapport database (not an SQLite file)"
    assert asked == []  # refused before asking
    assert _names(services.db.path) == ["Ann"]
    assert not hasattr(window, "replaced_by")
    dialog.reject()


def test_daily_backup_runs_once_and_only_fails_loudly(window, services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _add(services, "Ann")
    window.backups.auto_backup()
    [made] = services.backups.list_backups()
    assert made.kind == "auto" and _names(made.path) == ["Ann"]
    window.backups.auto_backup()  # the same day: nothing more
    assert len(services.backups.list_backups()) == 1
    assert window.backups.auto_warning is None

    def fail(**_kw):  # type: ignore[no-untyped-def]
        raise ServiceError("backups: disk full")

    monkeypatch.setattr(services.backups, "auto_backup", fail)
    window.backups.auto_backup()
    box = window.backups.auto_warning
    assert box is not None and box.isVisible() and not box.isModal()
    assert "backups: disk full" in box.informativeText()
    assert box.windowModality() == Qt.WindowModality.NonModal  # the window stays usable
    box.close()


def test_file_menu_has_the_backup_actions(window) -> None:  # type: ignore[no-untyped-def]
    texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "&Back up…" in texts and "&Restore from backup…" in texts
    assert window.backups.backup_action.shortcut().toString() == "Ctrl+Shift+B"


def test_closing_the_window_cancels_a_running_daily_backup(window) -> None:  # type: ignore[no-untyped-def]
    from crm.ui.tasks import TaskControl, TaskHandle

    control = TaskControl(lambda _d, _t: None)
    window.backups.auto_handle = TaskHandle(None, control)  # type: ignore[arg-type]
    window.close()
    assert control.cancelled
