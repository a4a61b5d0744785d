"""The trend chart on the Feedback page, drawn off the GUI thread.

Importing matplotlib and drawing the first figure costs the better part of a second;
on the GUI thread that froze the page right after it appeared. Here the trend is read
and drawn by a task on ctx.tasks (crm.ui.tasks): the worker builds the Figure and
draws it with Agg into memory (crm.ui.feedback.chart.render_trend), and the GUI thread
only wraps the RGBA buffer in a QImage and paints it. A resize draws again once the
size has settled (debounced), showing the old picture stretched meanwhile; a result
that comes back for an earlier request (another scale, an older size, data changed
since) is dropped. One picture per scale is kept until the data or the size changes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from crm.services import Services
from crm.ui.tasks import TaskControl, TaskHandle, TaskRunner

HEIGHT = 170
RESIZE_DEBOUNCE_MS = 150


def _mix(a: QColor, b: QColor, t: float) -> str:
    """`t` of the way from a to b, as #rrggbb."""
    parts = (a.red() + (b.red() - a.red()) * t, a.green() + (b.green() - a.green()) * t)
    blue = a.blue() + (b.blue() - a.blue()) * t
    return QColor(round(parts[0]), round(parts[1]), round(blue)).name()


class TrendChart(QWidget):
    """Shows the trend of one scale; `changed` is emitted when what is shown changes
    (a picture arrived, there is no trend to draw, or drawing failed: see `state`)."""

    changed = Signal()

    def __init__(self, services: Services, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.scale: str | None = None
        self.state = "empty"  # empty | drawing | drawn | no trend | failed
        self.error = ""
        self.renders = 0  # pictures drawn: the tests check one is kept, not drawn again
        self._pictures: dict[str, QPixmap | None] = {}  # scale → picture (None: no trend)
        self._fresh: set[str] = set()  # scales whose picture shows the current data
        self._asked = 0
        self._handle: TaskHandle | None = None
        self.setFixedHeight(HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._resized = QTimer(self, singleShot=True, interval=RESIZE_DEBOUNCE_MS)
        self._resized.timeout.connect(self._size_settled)
        self.hide()

    # ---- what to show ---------------------------------------------------------------
    def show_scale(self, scale: str) -> None:
        """Show the trend of every survey on `scale`: the kept picture (drawn again if
        the data or the width changed since), or nothing until it is drawn."""
        self.scale = scale
        if scale not in self._pictures:
            self._set_state("drawing")
            self._draw()
            return
        picture = self._pictures[scale]
        self._set_state("no trend" if picture is None else "drawn")
        if scale not in self._fresh or (picture is not None and self._stale(picture)):
            self._draw()

    def drop(self) -> None:
        """The responses changed: every kept picture is out of date; the shown one is
        drawn again (and stays on screen until the new one arrives)."""
        self._fresh.clear()
        if self.scale is not None and self.state != "empty":
            self._draw()

    def picture(self) -> QPixmap | None:
        return self._pictures.get(self.scale) if self.scale else None

    # ---- drawing on a worker ---------------------------------------------------------
    def _colors(self):  # type: ignore[no-untyped-def]
        from crm.ui.feedback.chart import ChartColors

        pal = self.palette()
        face, text = pal.color(QPalette.ColorRole.Window), pal.color(QPalette.ColorRole.WindowText)
        return ChartColors(
            face=face.name(),
            text=text.name(),
            muted=_mix(face, text, 0.6),
            bars=_mix(face, text, 0.12),
            line=pal.color(QPalette.ColorRole.Highlight).name(),
            rule=_mix(face, text, 0.4),
        )

    def _width(self) -> int:
        parent = self.parentWidget()
        if self.isVisible() or parent is None:
            return max(240, self.width())
        return max(240, parent.contentsRect().width())  # where the layout will put it

    def _draw(self) -> None:
        """Ask a worker for the picture; whatever an earlier request brings back is dropped."""
        if self.scale is None:
            return
        if self._handle is not None:
            self._handle.cancel()
        self._asked += 1
        asked, scale = self._asked, self.scale
        width, ratio, colors = self._width(), self.devicePixelRatioF(), self._colors()
        feedback = self.services.feedback

        def work(control: TaskControl):  # type: ignore[no-untyped-def]
            control.check()
            months = feedback.trend(scale)
            if len(months) < 2:  # one point is no trend
                return asked, scale, width, None
            control.check()
            from crm.ui.feedback.chart import render_trend

            return asked, scale, width, render_trend(months, scale, width, HEIGHT, ratio, colors)

        self._handle = self.tasks.run(work, on_done=self._drawn, on_error=self._failed(asked))

    def _drawn(self, result) -> None:  # type: ignore[no-untyped-def]
        asked, scale, _width, rendered = result
        if asked != self._asked:
            return  # an earlier request: another scale, size or data since
        self._handle = None
        picture = None
        if rendered is not None:
            image = QImage(
                rendered.rgba,
                rendered.width,
                rendered.height,
                rendered.width * 4,
                QImage.Format.Format_RGBA8888,
            )
            picture = QPixmap.fromImage(image)  # a copy: the buffer may go
            picture.setDevicePixelRatio(self.devicePixelRatioF())
            self.renders += 1
        self._pictures[scale] = picture
        self._fresh.add(scale)
        if scale == self.scale:
            self._set_state("no trend" if picture is None else "drawn")
            self.update()

    def _failed(self, asked: int):  # type: ignore[no-untyped-def]
        def failed(exc: BaseException) -> None:
            from crm.ui.tasks import Cancelled

            if asked != self._asked or isinstance(exc, Cancelled):
                return
            self._handle = None
            self.error = str(exc) or type(exc).__name__
            self._set_state("failed")

        return failed

    def _set_state(self, state: str) -> None:
        self.state = state
        # While drawing, the place is kept (with a word on what comes) so that the
        # page below does not jump when the picture arrives.
        self.setVisible(state in ("drawn", "drawing"))
        self.changed.emit()

    def _stale(self, picture: QPixmap) -> bool:
        return abs(picture.deviceIndependentSize().width() - self._width()) > 1

    # ---- Qt ---------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        if self.state == "drawn":
            self._resized.start()  # draw again once the size has settled

    def _size_settled(self) -> None:
        picture = self.picture()
        if picture is not None and self._stale(picture):
            self._draw()

    def changeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._pictures:
            self.drop()  # light ↔ dark: the colours are in the picture

    def paintEvent(self, _event) -> None:  # type: ignore[no-untyped-def]
        picture = self.picture()
        if picture is None:
            if self.state == "drawing" and self.scale:
                painter = QPainter(self)
                painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
                painter.drawText(
                    self.rect(),
                    Qt.AlignmentFlag.AlignCenter,
                    f"Drawing the {self.scale.upper()} trend…",
                )
                painter.end()
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        # until the picture for a new width arrives, the old one stretched to fit
        painter.drawPixmap(
            QRectF(0, 0, self.width(), self.height()), picture, QRectF(picture.rect())
        )
        painter.end()
