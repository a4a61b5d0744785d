"""The Goals page paints its rows first and measures progress on tasks.

A runner that holds tasks until the test releases them stands in for the thread pool,
so what the screen shows before, between and after the measurements is checked.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from crm.services.goals import GoalInput
from crm.services.people_data import PersonInput
from crm.ui.context import UiContext
from crm.ui.goals.page import GoalsPage
from crm.ui.goals.table_model import MEASURING, PROGRESS_COLUMN, ProgressRole, screen_text
from crm.ui.tasks import TaskRunner

TODAY = date.today()


class HeldTaskRunner(TaskRunner):
    """Queues tasks; release() runs them, oldest first (or newest first)."""

    def __init__(self) -> None:
        super().__init__()
        self.held: list = []

    def _start(self, runnable) -> None:  # type: ignore[no-untyped-def]
        self.held.append(runnable)

    def release(self, newest_first: bool = False) -> int:
        todo, self.held = self.held, []
        for runnable in reversed(todo) if newest_first else todo:
            runnable.run()
        return len(todo)


@pytest.fixture
def held(ctx):  # type: ignore[no-untyped-def]
    runner = HeldTaskRunner()
    return runner, UiContext(ctx.services, ctx.bus, ctx.undo, runner, ctx.settings)


def _goal(services, title: str, metric: str = "members", target: float = 4) -> int:  # type: ignore[no-untyped-def]
    return services.goals.create(
        GoalInput(title, metric, 0, target, TODAY - timedelta(days=10), TODAY + timedelta(days=10))
    )


def _members(services, *names: str) -> None:  # type: ignore[no-untyped-def]
    for name in names:
        services.people.create(PersonInput(display_name=name, roles=("member",)))


def _state(page: GoalsPage, row: int = 0) -> str:
    return page.model.index(row, 3).data()


def test_rows_paint_before_progress_and_fill_as_groups_arrive(services, qtbot, held) -> None:  # type: ignore[no-untyped-def]
    runner, ctx = held
    _members(services, "Ann", "Bo")
    _goal(services, "Members A")
    _goal(services, "Members B", target=2)
    _goal(services, "Events", "events held")
    page = GoalsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.show()
    assert runner.held == []  # the rows paint first …
    qtbot.waitUntil(lambda: bool(runner.held))  # … then measuring starts
    page.table.selectRow(0)
    # Painted: titles and targets, progress still measuring.
    assert page.model.rowCount() == 3
    assert {page.model.index(r, 0).data() for r in range(3)} == {"Members A", "Members B", "Events"}
    assert all(_state(page, r) == MEASURING for r in range(3))
    assert page.model.index(0, PROGRESS_COLUMN).data(ProgressRole) is None
    assert page.detail.badge.text().startswith("Measuring")
    page.grab()  # the delegate paints an empty track without a progress
    # Two measurements: the two member goals share one task, the events goal has its own.
    assert len(runner.held) == 2
    runner.held.pop(0).run()
    states = {page.model.index(r, 0).data(): _state(page, r) for r in range(3)}
    assert states == {"Members A": "On track", "Members B": "Reached", "Events": MEASURING}
    runner.release()
    states = {page.model.index(r, 0).data(): _state(page, r) for r in range(3)}
    assert states["Events"] == "Behind"
    assert not page.detail.badge.text().startswith("Measuring")
    tooltip = page.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert page.detail.explanation.text() == screen_text(tooltip)


def test_a_change_re_measures_without_blanking_the_bars(services, qtbot, held) -> None:  # type: ignore[no-untyped-def]
    runner, ctx = held
    _members(services, "Ann")
    gid = _goal(services, "Grow")
    page = GoalsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: bool(runner.held))  # measuring starts after the paint
    runner.release()
    assert page.model.progress_of(gid).current == 1
    _members(services, "Bo")
    assert _state(page) == "Behind"  # the old value stays while measuring again
    assert page.model.progress_of(gid).current == 1
    (older,) = runner.held
    runner.held = []
    late = older.fn(older.control)  # measured now (2 members), delivered later
    _members(services, "Cy", "Dee")
    runner.release()  # the newer rounds land first: 4 members
    assert page.model.progress_of(gid).current == 4 and _state(page) == "Reached"
    older.signals.done.emit(late)  # the older round finishing last does not win
    assert page.model.progress_of(gid).current == 4 and _state(page) == "Reached"


def test_cancelled_round_measures_nothing(services, qtbot, held) -> None:  # type: ignore[no-untyped-def]
    runner, ctx = held
    gid = _goal(services, "Grow")
    page = GoalsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: bool(runner.held))  # measuring starts after the paint
    first = list(runner.held)
    page.refresh()  # a new round before the first ran: the first is cancelled
    assert not any(h.control.cancelled for h in page._measuring)
    for runnable in first:
        assert runnable.control.cancelled
    runner.release()
    assert page.model.progress_of(gid) is not None


def test_a_hidden_page_measures_when_shown(services, qtbot, held) -> None:  # type: ignore[no-untyped-def]
    runner, ctx = held
    gid = _goal(services, "Grow")
    page = GoalsPage(ctx)
    qtbot.addWidget(page)
    assert runner.held == []  # nothing measured before the page is seen
    page.show()
    qtbot.waitUntil(lambda: bool(runner.held))  # measuring starts after the paint
    runner.release()
    page.hide()
    _members(services, "Ann")
    assert runner.held == []
    page.show()
    qtbot.waitUntil(lambda: bool(runner.held))  # measuring starts after the paint
    runner.release()
    assert page.model.progress_of(gid).current == 1


def test_filtering_measures_only_goals_not_measured_yet(services, qtbot, held) -> None:  # type: ignore[no-untyped-def]
    runner, ctx = held
    _goal(services, "Members")
    _goal(services, "Events", "events held")
    page = GoalsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: bool(runner.held))  # measuring starts after the paint
    runner.release()
    page.metric_filter.setCurrentIndex(page.metric_filter.findData("events held"))
    page.metric_filter.setCurrentIndex(0)
    assert runner.held == []  # both still measured: nothing to do
    assert {_state(page, r) for r in range(2)} <= {"On track", "Behind", "Reached"}
