"""ChartImage: a matplotlib figure drawn on a task into an image of the widget's size."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from crm.services.charts import chart_figure
from crm.services.reports_data import Chart, Series, period
from crm.ui.tasks import ImmediateTaskRunner
from crm.ui.widgets.chart_image import ChartImage

CHART = Chart(
    "active", "Active", period("12m"), ("a", "b"), (Series("members", (3, 4)),), "3", "x", "y"
)


def _widget(qtbot) -> ChartImage:  # type: ignore[no-untyped-def]
    w = ChartImage(ImmediateTaskRunner())
    qtbot.addWidget(w)
    w.resize(400, 200)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_drawn_at_its_size_and_again_once_a_resize_settles(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = _widget(qtbot)
    sizes: list[tuple[float, float]] = []

    def build(width: float, height: float, dpi: float):  # type: ignore[no-untyped-def]
        sizes.append((width, height))
        return chart_figure(CHART, width, height, dpi)

    w.set_build(build)
    ratio = w.devicePixelRatioF()
    assert w.renders == 1 and w.image is not None
    assert (w.image.width(), w.image.height()) == (round(400 * ratio), round(200 * ratio))
    w.resize(600, 300)
    assert w.renders == 1  # not on every step of a drag: once the size settles
    qtbot.waitUntil(lambda: w.renders == 2, timeout=3000)
    assert w.image.width() == round(600 * ratio)
    assert sizes[-1] == (600 * ratio / 100, 300 * ratio / 100)


def test_a_failed_drawing_says_why_and_nothing_is_shown(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = _widget(qtbot)

    def broken(_w: float, _h: float, _dpi: float):  # type: ignore[no-untyped-def]
        raise ValueError("no figure today")

    w.set_build(broken)
    assert w.image is None and "no figure today" in w.toolTip()


def test_a_left_click_inside_is_a_click(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = _widget(qtbot)
    clicks: list[int] = []
    w.clicked.connect(lambda: clicks.append(1))
    qtbot.mouseClick(w, Qt.MouseButton.RightButton, pos=QPoint(10, 10))
    assert clicks == []
    qtbot.mouseClick(w, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    assert clicks == [1]
