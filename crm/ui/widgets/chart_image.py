"""A matplotlib chart drawn off the GUI thread and shown as an image.

Building a Figure and rendering it with Agg takes tens of milliseconds per chart (a
few hundred for the first, which imports matplotlib); a FigureCanvasQTAgg does that
work on the GUI thread, inside its paint event, and a page of eight charts froze the
window for a second. Here a task (ctx.tasks) builds the figure at the widget's size
and pixel ratio and renders it to an RGBA buffer; the GUI thread only wraps the bytes
in a QImage and paints it. A resize draws the last image scaled at once and renders
again once the size has settled.

`build(width_in, height_in, dpi) -> Figure` must be a pure function of its data (it
runs on a worker thread): e.g. `lambda w, h, dpi: chart_figure(chart, w, h, dpi)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QMouseEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from crm.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Build = Callable[[float, float, float], "Figure"]
DPI = 100.0
RESIZE_SETTLE_MS = 150


def render(build: Build, width_px: int, height_px: int, ratio: float) -> tuple[bytes, int, int]:
    """Off the GUI thread: the figure at this size in device pixels, as RGBA bytes."""
    from crm.services.charts import DRAWING, render_rgba

    with DRAWING:  # one figure at a time (matplotlib is not thread-safe)
        fig = build(width_px / DPI, height_px / DPI, DPI * ratio)
        return render_rgba(fig)


class ChartImage(QWidget):
    """Shows the chart `build` draws; re-rendered off-thread on a new build or a resize."""

    clicked = Signal()
    rendered = Signal()  # a new image is showing (tests and the benchmark wait on it)

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self._build: Build | None = None
        self._image: QImage | None = None
        self._asked = 0  # the newest render asked for; older results are dropped
        self._shown_size = QSize()
        self.renders = 0  # renders shown, for tests
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 160)
        self._settle = QTimer(self, singleShot=True, interval=RESIZE_SETTLE_MS)
        self._settle.timeout.connect(self._render)

    def sizeHint(self) -> QSize:
        return QSize(480, 240)

    @property
    def image(self) -> QImage | None:
        return self._image

    def set_build(self, build: Build | None) -> None:
        """Draw this chart (None: show nothing)."""
        self._build = build
        if build is None:
            self._asked += 1
            self._image = None
            self.update()
            return
        self._render()

    def _render(self) -> None:
        if self._build is None or self.width() < 10 or self.height() < 10:
            return
        self._asked += 1
        asked, build = self._asked, self._build
        ratio = self.devicePixelRatioF()
        w, h = round(self.width() * ratio), round(self.height() * ratio)
        self._shown_size = self.size()

        def work(_control: Any) -> tuple[int, float, bytes, int, int]:
            return (asked, ratio, *render(build, w, h, ratio))

        self.tasks.run(work, on_done=self._show, on_error=self._failed)

    def _show(self, result: tuple[int, float, bytes, int, int]) -> None:
        asked, ratio, data, w, h = result
        if asked != self._asked:  # a newer chart or size was asked for meanwhile
            return
        image = QImage(data, w, h, w * 4, QImage.Format.Format_RGBA8888).copy()
        image.setDevicePixelRatio(ratio)
        self._image = image
        self.renders += 1
        self.update()
        self.rendered.emit()

    def _failed(self, exc: BaseException) -> None:
        self._image = None
        self.setToolTip(f"Could not draw the chart: {exc}")
        self.update()

    # ---- Qt ------------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._build is not None and event.size() != self._shown_size:
            self._settle.start()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._build is not None and self._image is None:
            self._settle.start()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._image is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(QRect(0, 0, self.width(), self.height()), self._image)
        painter.end()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit()
        super().mouseReleaseEvent(event)
