"""Page modules are imported in idle time after the first paint, one per tick."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QWidget

from crm.ui.preload import PagePreloader


def test_modules_are_imported_one_by_one_after_the_delay(qtbot, monkeypatch) -> None:
    for name in ("colorsys", "wave"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    owner = QWidget()
    qtbot.addWidget(owner)
    loader = PagePreloader(["colorsys", "json", "wave"], owner, delay_ms=50, gap_ms=10)
    assert "colorsys" not in sys.modules  # nothing before the delay
    qtbot.waitUntil(lambda: "wave" in sys.modules, timeout=3000)
    assert "colorsys" in sys.modules and loader.pending() == []


def test_a_missing_module_stops_the_preloading_quietly(qtbot, monkeypatch) -> None:
    monkeypatch.delitem(sys.modules, "wave", raising=False)
    owner = QWidget()
    qtbot.addWidget(owner)
    loader = PagePreloader(["crm.ui.no_such_page", "wave"], owner, delay_ms=0, gap_ms=0)
    qtbot.waitUntil(lambda: loader.pending() == [], timeout=3000)
    assert "wave" not in sys.modules
