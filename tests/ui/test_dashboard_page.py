"""The Dashboard page against a real database: the charts, the period, refreshing on
changes, clicking through to a page, and the PDF report from the page and the menu."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from crm.models import utcnow
from crm.services.interactions import InteractionInput
from crm.services.people_data import PersonInput
from crm.services.reports import CHARTS
from crm.ui.dashboard.page import DashboardPage
from crm.ui.main_window import MainWindow

CHANGE_WAIT_MS = 1000


@pytest.fixture
def window(ctx, qtbot):  # type: ignore[no-untyped-def]
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def page(ctx, qtbot):  # type: ignore[no-untyped-def]
    widget = DashboardPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _member(services, name: str, days_ago: float | None = None) -> int:  # type: ignore[no-untyped-def]
    pid = services.people.create(PersonInput(display_name=name, roles=("member",)))
    if days_ago is not None:
        services.interactions.log(
            InteractionInput(
                kind="call",
                occurred_at=utcnow() - timedelta(days=days_ago),
                participant_ids=(pid,),
                summary="catch-up",
            )
        )
    return pid


def _drawn(page: DashboardPage) -> bool:
    return all(c.image.image is not None for c in page.cards.values())


def test_every_chart_is_counted_and_drawn(page, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    _member(services, "Ann", days_ago=2)
    _member(services, "Bo", days_ago=40)
    _member(services, "Cy")
    page.refresh()
    qtbot.waitUntil(lambda: _drawn(page), timeout=10000)
    assert list(page.cards) == list(CHARTS)
    cards = page.cards
    assert cards["membership"].headline.text() == "3"
    assert cards["active"].headline.text() == "1"
    assert cards["active"].caption.text() == "active members (of 3)"
    assert cards["engagement"].headline.text() == "33 %"
    assert cards["interactions"].headline.text() == "2"
    assert cards["nps"].headline.text() == "no responses"
    assert "Last 12 months" in page.updated.text()
    image = cards["membership"].image
    ratio = image.devicePixelRatioF()
    assert image.image.width() == round(image.width() * ratio)  # drawn at the card's size
    assert "member role" in image.toolTip()


def test_an_empty_database_shows_no_data_yet_charts(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    page.refresh()
    qtbot.waitUntil(lambda: _drawn(page), timeout=10000)
    assert all(c.chart is not None and c.chart.empty for c in page.cards.values())
    assert page.cards["engagement"].headline.text() == "–"


def test_the_period_changes_the_bars(page, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    _member(services, "Ann", days_ago=2)
    page.refresh()
    qtbot.waitUntil(lambda: page.report is not None)
    assert len(page.report.chart("membership").labels) == 12
    page.period.setCurrentIndex(page.period.findData("30d"))
    qtbot.waitUntil(lambda: page.report.period.key == "30d")
    assert len(page.report.chart("membership").labels) == 30
    assert page.updated.text().startswith("Last 30 days")


def test_writes_refresh_the_charts_once_after_a_pause(page, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    page.refresh()
    qtbot.waitUntil(lambda: page.report is not None)
    counted = []
    page.refreshed.connect(lambda: counted.append(1))
    for name in ("Ann", "Bo", "Cy"):
        _member(services, name)
    assert counted == []  # not one count per write
    qtbot.waitUntil(lambda: page.cards["membership"].headline.text() == "3", timeout=5000)
    qtbot.wait(50)
    assert counted == [1]


def test_a_hidden_page_counts_again_when_shown(page, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    page.refresh()
    qtbot.waitUntil(lambda: page.report is not None)
    page.hide()
    _member(services, "Ann")
    qtbot.wait(CHANGE_WAIT_MS)
    assert page.cards["membership"].headline.text() == "0"  # out of sight: not counted
    page.show()
    qtbot.waitUntil(lambda: page.cards["membership"].headline.text() == "1", timeout=5000)


def test_export_report_from_the_page(page, services, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _member(services, "Ann", days_ago=1)
    said: list[str] = []
    page.message.connect(said.append)
    page.period.setCurrentIndex(page.period.findData("90d"))
    out = tmp_path / "board.pdf"
    page.export_report(str(out))
    assert out.read_bytes().startswith(b"%PDF-")
    assert said == [f"Report written: {out} (9 pages)."]


def test_window_sidebar_menu_and_click_through(window, qtbot, tmp_path: Path, services) -> None:  # type: ignore[no-untyped-def]
    titles = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert titles[:2] == ["People", "Dashboard"]
    out = tmp_path / "menu.pdf"
    window.export_report(str(out))  # File → Export report… before the Dashboard was opened
    assert out.read_bytes().startswith(b"%PDF-")
    assert "9 pages" in window.statusBar().currentMessage()
    window.show_page_titled("Dashboard")
    dash = window.current_page()
    assert isinstance(dash, DashboardPage)
    _member(services, "Ann", days_ago=1)
    dash.refresh()
    qtbot.waitUntil(lambda: _drawn(dash), timeout=10000)
    image = dash.cards["attendance"].image
    qtbot.mouseClick(image, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    assert window.current_page().title == "Events"
    assert window.report_action.text() == "Export &report…"


def test_cancelled_export_writes_nothing(ctx, services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWidget

    from crm.ui.dashboard.export import ReportExport
    from crm.ui.tasks import ImmediateTaskRunner

    class CancelledAtOnce(ImmediateTaskRunner):
        """The user pressed Cancel as soon as the report started."""

        def _start(self, runnable) -> None:  # type: ignore[no-untyped-def]
            runnable.control.cancel()
            runnable.run()

    _member(services, "Ann", days_ago=1)
    ctx.tasks = CancelledAtOnce()
    said: list[str] = []
    parent = QWidget()
    out = tmp_path / "never.pdf"
    ReportExport(ctx, parent, "12m", said.append).start(str(out))
    assert said == ["Report cancelled; no file was written."]
    assert list(tmp_path.glob("*.pdf")) == [] and not out.exists()
    parent.deleteLater()
