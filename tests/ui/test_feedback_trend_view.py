"""The trend chart drawn on a worker: stale results dropped, resizes debounced, the
picture in the palette's colours; and the Answers tab's counts."""

from __future__ import annotations

import gc
import threading
from datetime import datetime
from typing import Any

from PySide6.QtGui import QColor, QPalette

from crm.services.chart_drawing import ChartColors
from crm.services.feedback import QuestionInput, ResponseInput, SurveyInput
from crm.services.feedback_scores import MonthScore, Score
from crm.ui.feedback import chart as chart_module
from crm.ui.feedback.chart import trend_figure
from crm.ui.feedback.page import FeedbackPage
from crm.ui.feedback.trend_view import RESIZE_DEBOUNCE_MS, TrendChart
from crm.ui.tasks import TaskRunner, _Runnable
from crm.ui.widgets.chart_image import render


class HeldTaskRunner(TaskRunner):
    """Keeps every task until the test lets it run: results can come back late and in
    any order."""

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


def _months(services: Any) -> tuple[int, int]:
    nps = services.feedback.create_survey(SurveyInput("NPS"))
    csat = services.feedback.create_survey(SurveyInput("CSAT", scale="csat"))
    for month, (n, c) in enumerate(((9, 5), (3, 2), (10, 4)), 1):
        when = datetime(2024, month, 5)
        services.feedback.add_response(nps, ResponseInput(n, responded_at=when))
        services.feedback.add_response(csat, ResponseInput(c, responded_at=when))
    return nps, csat


def test_the_trend_is_drawn_at_the_pixel_ratio() -> None:
    months = [
        MonthScore("2025-01", Score("nps", 4, 2, 1)),
        MonthScore("2025-03", Score("nps", 2, 2, 0)),
    ]
    colors = ChartColors(face="#102030")

    def build(w: float, h: float, dpi: float, c: ChartColors):  # type: ignore[no-untyped-def]
        return trend_figure(months, "nps", c, (w, h), dpi)

    got = render(build, 800, 340, 2.0, colors)  # 400 × 170 at a pixel ratio of 2
    assert got is not None and (got.width(), got.height()) == (800, 340)
    assert got.deviceIndependentSize().width() == 400
    assert got.pixelColor(0, 0).name() == "#102030"  # the corner: the face colour
    assert gc.isenabled()  # held off only while matplotlib loaded


def test_the_picture_is_drawn_on_a_worker_thread(services, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _months(services)
    threads: list[int] = []
    real = chart_module.trend_figure

    def spy(*args: Any, **kw: Any):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        return real(*args, **kw)

    monkeypatch.setattr(chart_module, "trend_figure", spy)
    runner = TaskRunner()
    chart = TrendChart(services, runner)
    qtbot.addWidget(chart)
    chart.resize(420, 170)
    chart.show_scale("nps")
    assert chart.state == "drawing" and chart.picture() is None
    qtbot.waitUntil(lambda: chart.state == "drawn", timeout=20000)
    assert threads and threads[0] != threading.get_ident()
    picture = chart.picture()
    assert picture is not None and picture.height() == round(170 * chart.devicePixelRatioF())
    runner.wait()


def test_a_late_result_for_an_earlier_request_is_dropped(services, qtbot) -> None:  # type: ignore[no-untyped-def]
    _months(services)
    runner = HeldTaskRunner()
    chart = TrendChart(services, runner)
    qtbot.addWidget(chart)
    chart.resize(400, 170)
    chart.show_scale("nps")
    chart.show_scale("csat")  # the user moved on before the NPS trend came back
    assert len(runner.held) == 2
    runner.run_held(1)  # CSAT first
    assert chart.state == "drawn" and chart.renders == 1
    csat_picture = chart.picture()
    runner.run_held()  # then the NPS one, late: dropped, not shown or kept
    assert chart.renders == 1 and chart.picture() is csat_picture
    assert chart.scale == "csat"
    chart.show_scale("nps")  # not kept: drawn now
    assert len(runner.held) == 1


def test_a_resize_draws_again_once_settled(services, qtbot) -> None:  # type: ignore[no-untyped-def]
    _months(services)
    runner = HeldTaskRunner()
    chart = TrendChart(services, runner)
    qtbot.addWidget(chart)
    chart.resize(400, 170)
    chart.show_scale("nps")
    runner.run_held()
    chart.show()
    qtbot.waitExposed(chart)
    for width in (450, 500, 560, 600):  # a drag: one drawing at the end, not four
        chart.resize(width, 170)
    assert runner.held == []
    qtbot.waitUntil(lambda: len(runner.held) == 1, timeout=RESIZE_DEBOUNCE_MS * 10)
    qtbot.wait(RESIZE_DEBOUNCE_MS * 2)
    assert len(runner.held) == 1
    runner.run_held()
    assert chart.picture().deviceIndependentSize().width() == 600  # type: ignore[union-attr]


def test_colours_follow_the_palette(services, qtbot) -> None:  # type: ignore[no-untyped-def]
    _months(services)
    runner = HeldTaskRunner()
    chart = TrendChart(services, runner)
    qtbot.addWidget(chart)
    dark = QPalette(chart.palette())
    dark.setColor(QPalette.ColorRole.Window, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#f0f0f0"))
    chart.setPalette(dark)
    chart.resize(400, 170)
    chart.show_scale("nps")
    runner.run_held()
    image = chart.picture()  # type: ignore[union-attr]
    assert image.pixelColor(1, 1).name() == "#1e1e1e"
    light = QPalette(dark)
    light.setColor(QPalette.ColorRole.Window, QColor("#ffffff"))
    chart.setPalette(light)  # drawn again in the new colours
    assert len(runner.held) == 1
    runner.run_held()
    assert chart.picture().pixelColor(1, 1).name() == "#ffffff"  # type: ignore[union-attr]


def test_answers_tab_shows_counts_shares_and_latest_texts(ctx, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    from crm.services.people_data import PersonInput

    sid = services.feedback.create_survey(
        SurveyInput(
            "Topic poll",
            questions=(
                QuestionInput("Which topic?", "choice", ("Security", "Tooling", "Career")),
                QuestionInput("Anything else?", "text"),
                QuestionInput("Which city?", "choice", ("Berlin", "Lisbon")),
            ),
        )
    )
    choice, text, _city = (q.id for q in services.feedback.get_survey(sid).questions)
    pid = services.people.create(PersonInput(display_name="Ada Lovelace"))
    for day, topic, said in ((1, "Tooling", "More demos"), (2, "Career", ""), (3, "Tooling", "")):
        answers = {str(choice): topic, **({str(text): said} if said else {})}
        services.feedback.add_response(
            sid,
            ResponseInput(9, answers=answers, person_id=pid, responded_at=datetime(2025, 3, day)),
        )
    page = FeedbackPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    page.show_item(sid)
    view = page.detail.answers
    assert view.summary is None  # counted only when the tab is opened
    page.detail.tabs.setCurrentWidget(view)
    shown = view.text()
    assert "Which topic?\n3 of 3 responses answered · choice" in shown
    assert "Tooling\n2\n67 %\nCareer\n1\n33 %\nSecurity\n0\n0 %" in shown
    assert "Anything else?\n1 of 3 responses answered · text" in shown
    assert "“More demos”" in shown and "Ada Lovelace" in shown and "2025-03-01" in shown
    assert "Which city?\nNo answers yet" in shown
    opened: list[int] = []
    page.person_activated.connect(opened.append)
    view._link(f"person:{pid}")
    assert opened == [pid]
    # a new response: counted again (the page refreshes through the change bus)
    services.feedback.add_response(sid, ResponseInput(7, answers={str(choice): "Security"}))
    qtbot.waitUntil(lambda: "4 of 4 responses answered · choice" in view.text())
    assert "Tooling\n2\n50 %" in view.text()


def test_answers_tab_shows_more_text_answers_on_request(ctx, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    sid = services.feedback.create_survey(
        SurveyInput("Open question", questions=(QuestionInput("Anything else?", "text"),))
    )
    text = str(services.feedback.get_survey(sid).questions[0].id)
    for day in range(1, 6):
        services.feedback.add_response(
            sid,
            ResponseInput(9, answers={text: f"note {day}"}, responded_at=datetime(2025, 3, day)),
        )
    page = FeedbackPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.show_item(sid)
    page.detail.tabs.setCurrentWidget(page.detail.answers)
    shown = page.detail.answers.text()
    assert "note 5" in shown and "note 3" in shown and "note 2" not in shown
    assert 'and 2 more · <a href="more:">show 2 more</a>' in shown
    page.detail.answers._link("more:")
    shown = page.detail.answers.text()
    assert "note 1" in shown and "more:" not in shown
    page.show_item(sid)  # the same survey again (a refresh): still all five
    assert "note 1" in page.detail.answers.text()
