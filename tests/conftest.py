"""Shared fixtures. Every path points into tmp_path; Qt runs offscreen.

Service tests never touch Qt: the GUI fixtures import PySide6 only when asked for.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("CRM_DATABASE_URL", None)


@pytest.fixture(autouse=True)
def _isolated_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's data or settings."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("CRM_DATABASE_URL", raising=False)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'rapport.sqlite'}"


@pytest.fixture
def services(db_url: str) -> Iterator[object]:
    from crm.services import open_services

    sv = open_services(db_url, phone_region="US")
    yield sv
    sv.close()


@pytest.fixture
def ctx(services, qapp, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A UiContext whose tasks run at once on the calling thread."""
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QUndoStack

    from crm.ui.bus import ChangeBus
    from crm.ui.context import UiContext
    from crm.ui.tasks import ImmediateTaskRunner

    bus = ChangeBus(services.changes)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    context = UiContext(services, bus, QUndoStack(), ImmediateTaskRunner(), settings)
    yield context
    bus.detach()
