"""Start-up: only what the People table's first paint needs is loaded, and garbage
collection, paused while it is built, is back on once the window has painted.

SQLAlchemy with its ORM and the models (≈ 0.3 s), the import/export/duplicate machinery
(rapidfuzz, numpy, vobject), Alembic and matplotlib load on first use, after the
window is up: the People table's first page is read with the sqlite3 module. Checked
in a fresh interpreter: the test process has them all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from crm.services import open_services
from crm.services.people_data import PersonInput

HEAVY = (
    "sqlalchemy",
    "crm.models",
    "alembic",
    "numpy",
    "rapidfuzz",
    "vobject",
    "matplotlib",
)

CHILD = """
import json, sys
from crm.ui.app import application, open_main_window
app = application()
window = open_main_window(sys.argv[1])
model = window.people.model
loaded = [m for m in json.loads(sys.argv[2]) if m in sys.modules]
print(json.dumps([loaded, model.rowCount(), model.data(model.index(0, 0))]))
window.close()
"""


def test_the_window_opens_without_the_orm_or_the_import_machinery(tmp_path: Path) -> None:
    db = tmp_path / "people.sqlite"
    services = open_services(f"sqlite:///{db}")
    services.people.create(PersonInput(display_name="Ada Lovelace"))
    services.close()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(db), json.dumps(HEAVY)],
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    loaded, rows, first = json.loads(out.stdout.strip().splitlines()[-1])
    assert (rows, first) == (1, "Ada Lovelace")
    assert loaded == []


def test_garbage_collection_is_back_on_once_the_window_has_painted(
    tmp_path: Path, qapp, qtbot, monkeypatch
) -> None:
    """The `crm` command switches collection off for start-up; a long session needs it."""
    import gc

    from PySide6.QtWidgets import QApplication

    from crm.ui import app as app_module

    db = tmp_path / "people.sqlite"
    open_services(f"sqlite:///{db}").close()
    look = qapp.styleSheet(), qapp.palette(), qapp.style().name()
    on_in_the_loop: list[bool] = []

    def run_loop(_app: QApplication) -> int:  # the window paints while we wait
        qtbot.waitUntil(gc.isenabled, timeout=5000)
        on_in_the_loop.append(gc.isenabled())
        return 0

    monkeypatch.setattr(QApplication, "exec", run_loop)
    gc.disable()
    try:
        assert app_module.run_app(db, gc_off_until_painted=True) == 0
    finally:
        gc.enable()
        qapp.setStyleSheet(look[0])
        qapp.setPalette(look[1])
        qapp.setStyle(look[2])
    assert on_in_the_loop == [True]
