"""The Dashboard page: the community's health in eight charts, for a chosen period.

The charts are counted on a task (crm.services.reports: SQL over the whole database)
and each chart is drawn on a task too (crm.ui.widgets.chart_image), so the window
keeps answering at 100,000 people and 1,000,000 interactions. Writes that can move a
chart refresh it after a short pause (several writes in a row count once); a page out
of sight only notes that it is stale and counts again when shown. Clicking a chart
opens the page it is about.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crm.services import Changes
from crm.services.reports import AREAS, CHARTS
from crm.services.reports_data import DEFAULT_PERIOD, PERIODS, Chart, Report
from crm.ui.context import UiContext
from crm.ui.dashboard.card import ChartCard
from crm.ui.tasks import TaskControl
from crm.ui.widgets.labels import heading, muted

TITLES = {
    "membership": "Membership growth",
    "active": "Active members",
    "engagement": "Engagement rate",
    "interactions": "Interactions by kind",
    "nps": "NPS trend",
    "attendance": "Event attendance",
    "funnel": "Speaker outreach funnel",
    "advocacy": "Advocacy by department",
}


class _Feed(QObject):
    """Carries each chart from the counting task to the GUI thread as it is counted."""

    chart = Signal(int, object)  # (count asked, Chart)


CHANGE_PAUSE_MS = 800  # a burst of writes (an import, a bulk edit) refreshes once
COLUMNS = 2


class DashboardPage(QWidget):
    title = "Dashboard"
    message = Signal(str)
    open_page = Signal(str)  # a sidebar page's title: the main window shows it
    refreshed = Signal()  # new numbers are showing (tests and the benchmark wait on it)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: Report | None = None
        self._asked = 0  # the newest count asked for; older results are dropped
        self._stale = True  # counted when first shown
        self._feed = _Feed(self)
        self._feed.chart.connect(self._one)
        self.heading = heading(self.title, self, scale=1.35)
        self.updated = muted("", self)
        self.period = QComboBox(self)
        for key, (label, _bucket) in PERIODS.items():
            self.period.addItem(label, key)
        self.period.setCurrentIndex(list(PERIODS).index(DEFAULT_PERIOD))
        self.period.setToolTip("The stretch of time the charts cover")
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        self.export_button = QPushButton("Export report…", self)
        self.export_button.setToolTip("The charts as a PDF for stakeholders")
        self.export_button.clicked.connect(self.export_report)

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(12)
        top.addWidget(self.updated, 1)
        top.addWidget(self.period)
        top.addWidget(self.export_button)

        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 4, 0)
        grid.setSpacing(12)
        self.cards: dict[str, ChartCard] = {}
        for i, key in enumerate(CHARTS):
            card = ChartCard(TITLES.get(key, key), ctx.tasks, grid_host)
            card.open_page.connect(self.open_page)
            grid.addWidget(card, i // COLUMNS, i % COLUMNS)
            self.cards[key] = card
        for c in range(COLUMNS):
            grid.setColumnStretch(c, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(grid_host)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 10)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)

        self._change_timer = QTimer(self, singleShot=True, interval=CHANGE_PAUSE_MS)
        self._change_timer.timeout.connect(self.refresh)
        ctx.bus.changed.connect(self._on_changed)

    # ---- the page protocol -----------------------------------------------------------------
    def focus_search(self) -> None:
        """No search here: Ctrl+F goes to the period, the page's one filter."""
        self.period.setFocus()

    def period_key(self) -> str:
        return str(self.period.currentData())

    def refresh(self) -> None:
        """Count every chart again, on a task; the cards keep their charts meanwhile."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        self._asked += 1
        asked, key, reports = self._asked, self.period_key(), self.ctx.services.reports
        feed = self._feed
        self.updated.setText("Counting…")

        def work(_control: TaskControl) -> tuple[int, Report]:
            # Each chart goes to its card as soon as it is counted (queued to the GUI
            # thread): the quick ones show while the interactions are still counted.
            return asked, reports.report(key, on_chart=lambda c: feed.chart.emit(asked, c))

        self.ctx.tasks.run(work, on_done=self._show, on_error=self._failed)

    def _one(self, asked: int, chart: Chart) -> None:
        if asked == self._asked and chart.key in self.cards:
            self.cards[chart.key].set_chart(chart)

    def _show(self, result: tuple[int, Report]) -> None:
        asked, report = result
        if asked != self._asked:
            return
        self.report = report
        for chart in report.charts:
            card = self.cards.get(chart.key)
            if card is not None and card.chart != chart:  # not fed (never, unless lost)
                card.set_chart(chart)
        made = report.made_at
        self.updated.setText(f"{report.period.label} · counted at {made:%H:%M} UTC")
        self.refreshed.emit()

    def _failed(self, exc: BaseException) -> None:
        self.updated.setText(f"Could not count the charts: {exc}")

    def _on_changed(self, change: Changes) -> None:
        if change.touches(*AREAS):
            if self.isVisible():
                self._change_timer.start()
            else:
                self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            QTimer.singleShot(0, self.refresh)  # after the page's first paint

    # ---- actions -----------------------------------------------------------------------------
    def export_report(self, path: str | None = None) -> object:
        from crm.ui.dashboard.export import ReportExport

        export = ReportExport(self.ctx, self, self.period_key(), self.message.emit)
        export.start(path)
        return export
