"""A matplotlib chart drawn off the GUI thread and shown as an image: the one chart
widget of the app (the Dashboard's cards, the Feedback trend).

Building a Figure and rendering it with Agg takes tens of milliseconds per chart (a
few hundred for the first, which imports matplotlib); a FigureCanvasQTAgg does that
work on the GUI thread, inside its paint event, and a page of eight charts froze the
window for a second. Here a task (ctx.tasks) loads matplotlib (once, without a full
garbage collection: crm.services.chart_drawing), builds the figure at the widget's
size in device pixels, renders it with Agg and wraps the pixels in a QImage, all on
the worker; the GUI thread only paints that image, pixel for pixel.

- A result that comes back for an earlier request (another chart, an older size or
  palette) is dropped; the task asked for before is cancelled.
- A resize shows the last image stretched at once and draws again once the size has
  settled (RESIZE_SETTLE_MS), not on every step of a drag.
- While a new chart draws, the old image stays (the widget keeps its place and the page
  below does not jump); with none yet, `placeholder` is written where it will be.
- The chart's colours come from the palette (`ChartColors`), drawn again on a change.
- A build that fails shows why, as text in the widget's place, never a crash.

`build(width_in, height_in, dpi, colors) -> Figure | None` runs on a worker thread
and must touch nothing but its own data (e.g. `lambda w, h, dpi, _c:
chart_figure(chart, w, h, dpi)`); None means there is nothing to draw.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from crm.services.chart_drawing import ChartColors
from crm.ui.tasks import Cancelled, TaskControl, TaskHandle, TaskRunner

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Build = Callable[[float, float, float, ChartColors], "Figure | None"]
DPI = 100.0
RESIZE_SETTLE_MS = 150


def render(
    build: Build, width_px: int, height_px: int, ratio: float, colors: ChartColors
) -> QImage | None:
    """Off the GUI thread: the figure at this size in device pixels, as a QImage that
    owns its pixels (None: the build had nothing to draw)."""
    from crm.services.chart_drawing import load_matplotlib
    from crm.services.charts import DRAWING

    load_matplotlib()
    dpi = DPI * ratio  # inches of the logical size, at the screen's pixel density
    with DRAWING:  # one figure at a time (matplotlib is not thread-safe)
        fig = build(width_px / dpi, height_px / dpi, dpi, colors)
        if fig is None:
            return None
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        fig.canvas.draw()
        buffer = fig.canvas.buffer_rgba()  # type: ignore[attr-defined]
        h, w = buffer.shape[0], buffer.shape[1]
        # one copy, here on the worker: the image outlives matplotlib's buffer
        image = QImage(buffer, w, h, w * 4, QImage.Format.Format_RGBA8888).copy()
    image.setDevicePixelRatio(ratio)
    return image


def _mix(a: QColor, b: QColor, t: float) -> str:
    """`t` of the way from a to b, as #rrggbb."""
    r = a.red() + (b.red() - a.red()) * t
    g = a.green() + (b.green() - a.green()) * t
    bl = a.blue() + (b.blue() - a.blue()) * t
    return QColor(round(r), round(g), round(bl)).name()


def palette_colors(palette: QPalette) -> ChartColors:
    """A chart's colours in this palette: light or dark, the user's highlight."""
    face = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return ChartColors(
        face=face.name(),
        text=text.name(),
        muted=_mix(face, text, 0.6),
        bars=_mix(face, text, 0.12),
        line=palette.color(QPalette.ColorRole.Highlight).name(),
        rule=_mix(face, text, 0.4),
    )


class ChartImage(QWidget):
    """Shows the chart `build` draws; drawn off-thread on a new build, a settled resize
    or a palette change. `state`: empty | drawing | drawn | no chart | failed."""

    clicked = Signal()
    rendered = Signal()  # a newly drawn image is showing (tests and the benchmark wait on it)
    changed = Signal()  # `state` changed

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.state = "empty"
        self.error = ""
        self.placeholder = ""  # written in the widget's place while the first image draws
        self.renders = 0  # newly drawn images shown, for tests
        self._build: Build | None = None
        self._image: QImage | None = None
        self._asked = 0  # the newest drawing asked for; older results are dropped
        self._asked_size = QSize()  # the logical size it was asked at
        self._asked_colors: ChartColors | None = None  # and the colours
        self._handle: TaskHandle | None = None
        self._waiting = False  # a build is set but the widget had no size to draw at
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 160)
        self._settle = QTimer(self, singleShot=True, interval=RESIZE_SETTLE_MS)
        self._settle.timeout.connect(self._size_settled)

    def sizeHint(self) -> QSize:
        return QSize(480, 240)

    @property
    def image(self) -> QImage | None:
        return self._image

    def colors(self) -> ChartColors:
        return palette_colors(self.palette())

    # ---- what to show ------------------------------------------------------------------
    def set_build(self, build: Build | None, keep_image: bool = True) -> None:
        """Draw this chart (None: show nothing). The image showing stays until the new
        one arrives, unless `keep_image` is False (another subject, not new numbers)."""
        self._build = build
        if build is None:
            self._forget()
            self._image = None
            self._set_state("empty")
            self.update()
            return
        if not keep_image:
            self._image = None
            self.state = "empty"  # said as "drawing" next
        self._render()

    def show_image(self, image: QImage | None) -> None:
        """Show an image drawn earlier (None: nothing to draw), dropping any drawing
        still on its way; a later resize draws `build` again."""
        self._forget()
        self._image = image
        self._asked_size = self._target_size()
        self._set_state("drawn" if image is not None else "no chart")
        self.update()

    def _forget(self) -> None:
        """Whatever drawing is on its way is no longer wanted."""
        self._asked += 1
        self._waiting = False
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _target_size(self) -> QSize:
        """The size to draw at: the widget's own, or (still hidden, about to be laid
        out) the width its parent will give it."""
        parent = self.parentWidget()
        if self.isVisible() or parent is None:
            return self.size()
        return QSize(max(self.minimumWidth(), parent.contentsRect().width()), self.height())

    # ---- drawing on a worker -------------------------------------------------------------
    def _render(self) -> None:
        self._forget()
        size = self._target_size()
        if self._build is None or size.width() < 10 or size.height() < 10:
            self._waiting = self._build is not None
            return
        asked, build, colors = self._asked, self._build, self.colors()
        ratio = self.devicePixelRatioF()
        w, h = round(size.width() * ratio), round(size.height() * ratio)
        self._asked_size, self._asked_colors = size, colors
        if self._image is None and self.state != "no chart":
            self._set_state("drawing")  # (with an image showing, it stays until replaced)

        def work(control: TaskControl) -> tuple[int, QImage | None]:
            control.check()
            return asked, render(build, w, h, ratio, colors)

        def failed(exc: BaseException) -> None:
            self._failed(asked, exc)

        self._handle = self.tasks.run(work, on_done=self._done, on_error=failed)

    def _done(self, result: tuple[int, QImage | None]) -> None:
        asked, image = result
        if asked != self._asked:  # a newer chart, size or palette was asked for meanwhile
            return
        self._handle = None
        self._image = image
        self.error = ""
        if image is not None:
            self.renders += 1
        self._accepted(image)
        self._set_state("drawn" if image is not None else "no chart")
        self.update()
        if image is not None:
            self.rendered.emit()

    def _accepted(self, image: QImage | None) -> None:
        """A newly drawn image (or None: nothing to draw) is about to show (for subclasses)."""

    def _failed(self, asked: int, exc: BaseException) -> None:
        if asked != self._asked or isinstance(exc, Cancelled):
            return
        self._handle = None
        self._image = None
        self.error = str(exc) or type(exc).__name__
        self._set_state("failed")
        self.update()

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.changed.emit()

    def _size_settled(self) -> None:
        if self._build is not None and (self._waiting or self.size() != self._asked_size):
            self._render()

    # ---- Qt ------------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._build is not None and event.size() != self._asked_size:
            self._settle.start()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._waiting:
            self._settle.start()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._build is not None:
            self._palette_changed()

    def _palette_changed(self) -> None:
        """Light ↔ dark: the colours are in the picture, so it is drawn again (not for
        a change that leaves the chart's colours as they were)."""
        if self.state != "empty" and self.colors() != self._asked_colors:
            self._render()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        if self._image is not None:
            # pixel for pixel once drawn at this size; stretched while a resize settles
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(QRect(0, 0, self.width(), self.height()), self._image)
        else:
            text = ""
            if self.state == "failed":
                text = f"Could not draw the chart: {self.error}"
            elif self.state == "drawing":
                text = self.placeholder
            if text:
                painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
                flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
                painter.drawText(self.rect().adjusted(8, 8, -8, -8), flags, text)
        painter.end()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit()
        super().mouseReleaseEvent(event)
