"""One card of the dashboard: a chart's title, its headline figure and the chart itself."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from crm.services.reports_data import Chart
from crm.ui.tasks import TaskRunner
from crm.ui.widgets.chart_image import ChartImage
from crm.ui.widgets.labels import muted, section_title

CARD_STYLE = (
    "QFrame#chartCard { background: palette(base); border: 1px solid palette(mid); "
    "border-radius: 8px; }"
)


class ChartCard(QFrame):
    """Title, headline ("97,034 members …") and the chart, drawn off the GUI thread.
    Clicking the chart asks for the page it is about (`open_page(title)`)."""

    open_page = Signal(str)

    def __init__(self, title: str, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartCard")
        self.setStyleSheet(CARD_STYLE)
        self.chart: Chart | None = None
        self.title = section_title(title, self)
        self.headline = QLabel("…", self)
        font = self.headline.font()
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.9)
        self.headline.setFont(font)
        self.headline.setStyleSheet("color: #2563eb;")
        self.caption = muted("", self)
        self.caption.setWordWrap(True)
        self.image = ChartImage(tasks, self)
        self.image.setMinimumHeight(190)
        self.image.clicked.connect(self._clicked)
        head = QHBoxLayout()
        head.setSpacing(8)
        head.addWidget(self.headline, 0, Qt.AlignmentFlag.AlignBaseline)
        head.addWidget(self.caption, 1, Qt.AlignmentFlag.AlignBaseline)
        box = QVBoxLayout(self)
        box.setContentsMargins(14, 10, 14, 10)
        box.setSpacing(2)
        box.addWidget(self.title)
        box.addLayout(head)
        box.addWidget(self.image, 1)

    def set_chart(self, chart: Chart) -> None:
        from crm.services.charts import chart_figure

        self.chart = chart
        self.headline.setText(chart.headline)
        self.caption.setText(chart.caption)
        tip = chart.definition
        if chart.page:
            tip += f"\n\nClick to open {chart.page}."
            self.image.setCursor(QCursor(Qt.CursorShape.PointingHandCursor))
        self.image.setToolTip(tip)
        # the dashboard's colours are the report's own (the same in the PDF), not the palette's
        self.image.set_build(lambda w, h, dpi, _colors: chart_figure(chart, w, h, dpi))

    def _clicked(self) -> None:
        if self.chart is not None and self.chart.page:
            self.open_page.emit(self.chart.page)
