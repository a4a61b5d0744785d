"""The trend chart on the Feedback page: the shared off-thread chart widget
(crm.ui.widgets.chart_image) reading the trend and drawing it on a worker, with one
picture kept per scale.

The worker reads the months (FeedbackService.trend) and builds the Figure
(crm.ui.feedback.chart.trend_figure) in the palette's colours; fewer than two months
is no trend, and the widget hides. A picture is kept per scale until the responses,
the width or the palette change, so going back to a survey on a scale already drawn
shows it at once.
"""

from __future__ import annotations

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QSizePolicy, QWidget

from crm.services import Services
from crm.services.chart_drawing import ChartColors
from crm.ui.tasks import TaskRunner
from crm.ui.widgets.chart_image import RESIZE_SETTLE_MS, Build, ChartImage

HEIGHT = 170
RESIZE_DEBOUNCE_MS = RESIZE_SETTLE_MS


class TrendChart(ChartImage):
    """Shows the trend of one scale; `changed` is emitted when `state` changes (drawing,
    drawn, "no chart": fewer than two months, or failed: see `error`). It takes its
    place on the page only while drawing or drawn."""

    def __init__(self, services: Services, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(tasks, parent)
        self.services = services
        self.scale: str | None = None
        self._pictures: dict[str, QImage | None] = {}  # scale → picture (None: no trend)
        self._fresh: set[str] = set()  # scales whose picture shows the current data
        self.setFixedHeight(HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.changed.connect(self._place)
        self.hide()

    def show_scale(self, scale: str) -> None:
        """Show the trend of every survey on `scale`: the kept picture (drawn again if
        the data or the width changed since), or a word until it is drawn."""
        self.scale = scale
        self.placeholder = f"Drawing the {scale.upper()} trend…"
        if scale not in self._pictures:
            self.set_build(self._trend(scale), keep_image=False)
            return
        picture = self._pictures[scale]
        self.show_image(picture)
        self._build = self._trend(scale)  # for a resize or a palette change
        if scale not in self._fresh or (picture is not None and self._wrong_width(picture)):
            self.set_build(self._build)

    def drop(self) -> None:
        """The responses changed: every kept picture is out of date; the shown one is
        drawn again (and stays on screen until the new one arrives)."""
        self._fresh.clear()
        if self.scale is not None and self.state != "empty":
            self.set_build(self._trend(self.scale))

    def picture(self) -> QImage | None:
        return self._pictures.get(self.scale) if self.scale else None

    def _trend(self, scale: str) -> Build:
        feedback = self.services.feedback

        def build(width: float, height: float, dpi: float, colors: ChartColors):  # type: ignore[no-untyped-def]
            months = feedback.trend(scale)
            if len(months) < 2:  # one point is no trend
                return None
            from crm.ui.feedback.chart import trend_figure

            return trend_figure(months, scale, colors, (width, height), dpi)

        return build

    def _accepted(self, image: QImage | None) -> None:
        if self.scale is not None:
            self._pictures[self.scale] = image
            self._fresh.add(self.scale)

    def _palette_changed(self) -> None:
        self._fresh.clear()  # light ↔ dark: every kept picture has the old colours
        super()._palette_changed()

    def _wrong_width(self, picture: QImage) -> bool:
        return abs(picture.deviceIndependentSize().width() - self._target_size().width()) > 1

    def _place(self) -> None:
        # While drawing, the place is kept (with a word on what comes) so that the
        # page below does not jump when the picture arrives.
        self.setVisible(self.state in ("drawn", "drawing"))
