"""ChartImage, the one chart widget: a matplotlib figure drawn on a task into an image
of the widget's size; stale results dropped, resizes settled, failures said as text."""

from __future__ import annotations

import threading

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette

from crm.services.chart_drawing import ChartColors
from crm.services.charts import chart_figure
from crm.services.reports_data import Chart, Series, period
from crm.ui.tasks import ImmediateTaskRunner, TaskRunner, _Runnable
from crm.ui.widgets.chart_image import RESIZE_SETTLE_MS, ChartImage

CHART = Chart(
    "active", "Active", period("12m"), ("a", "b"), (Series("members", (3, 4)),), "3", "x", "y"
)


class HeldTaskRunner(TaskRunner):
    """Keeps every task until the test lets it run: results come back late, in any order."""

    def __init__(self) -> None:
        super().__init__()
        self.held: list[_Runnable] = []

    def _start(self, runnable: _Runnable) -> None:
        self.held.append(runnable)

    def run_held(self, *order: int) -> None:
        tasks = [self.held[i] for i in order] if order else list(self.held)
        self.held = [t for t in self.held if t not in tasks]
        for t in tasks:
            t.run()


def _widget(qtbot, runner: TaskRunner | None = None) -> ChartImage:  # type: ignore[no-untyped-def]
    w = ChartImage(runner or ImmediateTaskRunner())
    qtbot.addWidget(w)
    w.resize(400, 200)
    w.show()
    qtbot.waitExposed(w)
    return w


def _chart(width: float, height: float, dpi: float, _colors: ChartColors):  # type: ignore[no-untyped-def]
    return chart_figure(CHART, width, height, dpi)


def test_drawn_at_its_size_and_again_once_a_resize_settles(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = _widget(qtbot)
    sizes: list[tuple[float, float]] = []

    def build(width: float, height: float, dpi: float, colors: ChartColors):  # type: ignore[no-untyped-def]
        sizes.append((width, height))
        return _chart(width, height, dpi, colors)

    w.set_build(build)
    ratio = w.devicePixelRatioF()
    assert w.renders == 1 and w.image is not None and w.state == "drawn"
    assert (w.image.width(), w.image.height()) == (round(400 * ratio), round(200 * ratio))
    for width in (450, 500, 600):  # a drag: drawn once, when the size settles
        w.resize(width, 300)
    assert w.renders == 1
    qtbot.waitUntil(lambda: w.renders == 2, timeout=3000)
    qtbot.wait(RESIZE_SETTLE_MS * 2)
    assert w.renders == 2
    assert w.image.width() == round(600 * ratio)
    assert sizes[-1] == (6.0, 3.0)  # inches of the logical size, at 100 × ratio dpi


def test_drawn_on_a_worker_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    w = _widget(qtbot, runner)
    threads: list[int] = []

    def build(*args):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        return _chart(*args)

    w.set_build(build)
    assert w.state == "drawing"
    qtbot.waitUntil(lambda: w.state == "drawn", timeout=20000)
    assert threads and threads[0] != threading.get_ident()
    runner.wait()


def test_a_late_result_for_an_earlier_chart_is_dropped(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = HeldTaskRunner()
    w = _widget(qtbot, runner)
    w.set_build(_chart)

    def other(width: float, height: float, dpi: float, _c: ChartColors):  # type: ignore[no-untyped-def]
        return chart_figure(CHART, width, height, dpi / 2)  # half the resolution: tellable

    w.set_build(other)  # new numbers before the first drawing came back
    assert len(runner.held) == 2
    runner.run_held(1)
    assert w.renders == 1 and w.state == "drawn"
    newer = w.image
    assert newer is not None and newer.devicePixelRatio() == w.devicePixelRatioF()
    runner.run_held()  # the first one, late: dropped
    assert w.renders == 1 and w.image is newer


def test_the_old_image_stays_while_new_numbers_draw(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = HeldTaskRunner()
    w = _widget(qtbot, runner)
    w.set_build(_chart)
    runner.run_held()
    shown = w.image
    w.set_build(_chart)
    assert w.image is shown and w.state == "drawn"  # the page does not jump meanwhile
    w.set_build(_chart, keep_image=False)  # another subject: nothing until it comes
    assert w.image is None and w.state == "drawing"


def test_a_failed_drawing_is_said_as_text_not_a_crash(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = _widget(qtbot)
    changes: list[str] = []
    w.changed.connect(lambda: changes.append(w.state))

    def broken(_w: float, _h: float, _dpi: float, _c: ChartColors):  # type: ignore[no-untyped-def]
        raise ValueError("no figure today")

    w.set_build(broken)
    assert w.image is None and w.state == "failed" and w.error == "no figure today"
    assert changes[-1] == "failed"
    shot = w.grab().toImage()
    face = shot.pixelColor(2, 2)
    inked = {  # the message is painted across the middle of the widget
        shot.pixelColor(x, y).name()
        for x in range(0, shot.width(), 2)
        for y in range(shot.height() // 2 - 10, shot.height() // 2 + 10)
    }
    assert len(inked - {face.name()}) > 0
    w.set_build(_chart)  # the next drawing that works replaces the message
    assert w.state == "drawn" and w.error == ""


def test_a_build_with_nothing_to_draw_shows_nothing(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = _widget(qtbot)
    w.set_build(lambda *_args: None)
    assert w.state == "no chart" and w.image is None and w.renders == 0


def test_drawn_again_in_the_palettes_colours(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = HeldTaskRunner()
    w = _widget(qtbot, runner)
    seen: list[str] = []

    def build(width: float, height: float, dpi: float, colors: ChartColors):  # type: ignore[no-untyped-def]
        seen.append(colors.face)
        return _chart(width, height, dpi, colors)

    w.set_build(build)
    runner.run_held()
    dark = QPalette(w.palette())
    dark.setColor(QPalette.ColorRole.Window, QColor("#1e1e1e"))
    w.setPalette(dark)
    assert len(runner.held) == 1
    runner.run_held()
    assert seen[-1] == "#1e1e1e"
    w.setPalette(QPalette(dark))  # the same colours: not drawn again
    assert runner.held == []


def test_a_left_click_inside_is_a_click(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = _widget(qtbot)
    clicks: list[int] = []
    w.clicked.connect(lambda: clicks.append(1))
    qtbot.mouseClick(w, Qt.MouseButton.RightButton, pos=QPoint(10, 10))
    assert clicks == []
    qtbot.mouseClick(w, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    assert clicks == [1]
