"""A big attendance change from the Invitations tab: a task with a progress dialog and
Cancel; the counts and the person's timeline follow; a cancel leaves the database as
it was; Ctrl+Z undoes a change exactly."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import text

from crm.models import utcnow
from crm.services import attendance
from crm.services.events import EventInput
from crm.services.people_data import PersonInput
from crm.ui.events import status_task
from crm.ui.events.invitations_tab import TASK_THRESHOLD
from crm.ui.events.page import EventsPage
from crm.ui.people.page import PeoplePage
from crm.ui.tasks import ImmediateTaskRunner, TaskRunner

PEOPLE = 250  # more than TASK_THRESHOLD: the change runs as a task


class WatchingRunner(ImmediateTaskRunner):
    """Runs tasks at once, and calls `watch(done, total)` after each progress report
    has reached the page, while the task is still running."""

    watch: Any = None

    def run(self, fn, *, on_done=None, on_error=None, on_progress=None):  # type: ignore[no-untyped-def]
        def progress(done: int, total: int) -> None:
            if on_progress:
                on_progress(done, total)
            if self.watch:
                self.watch(done, total)

        return super().run(fn, on_done=on_done, on_error=on_error, on_progress=progress)


@pytest.fixture
def setup(ctx, services, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(attendance, "BATCH", 100)  # three batches, three reports
    monkeypatch.setattr(status_task, "SHOW_AFTER_MS", 0)  # the dialog shows at once
    assert PEOPLE > TASK_THRESHOLD
    people = [
        services.people.create(PersonInput(display_name=f"Member {i:03}")) for i in range(PEOPLE)
    ]
    start = (utcnow() - timedelta(days=2)).replace(microsecond=0)
    eid = services.events.create(
        EventInput("Past meetup", start, start + timedelta(hours=2), "UTC", location="Hub")
    )
    services.invitations.invite(eid, people)
    services.invitations.set_status(services.invitations.query_ids(eid), "accepted")
    ctx.tasks = WatchingRunner()
    events = EventsPage(ctx)
    qtbot.addWidget(events)
    events.resize(1300, 800)
    events.show()
    events.show_item(eid)
    tab = events.detail.show_invitations()
    qtbot.waitUntil(lambda: tab.model.rowCount() == PEOPLE)
    people_page = PeoplePage(ctx)
    qtbot.addWidget(people_page)
    people_page.show()
    people_page.select_person(people[0])
    said: list[str] = []
    events.message.connect(said.append)
    return tab, people_page, said


def _db(services) -> tuple[object, ...]:  # type: ignore[no-untyped-def]
    with services.db.read() as s:
        return tuple(
            tuple(s.execute(text(sql)).all())
            for sql in (
                "SELECT * FROM invitation ORDER BY id",
                "SELECT * FROM interaction ORDER BY id",
                "SELECT * FROM participant ORDER BY 1, 2",
                "SELECT id, last_interaction_at FROM person ORDER BY id",
            )
        )


def test_marking_many_attended_shows_progress_and_updates_counts_and_timeline(
    setup, ctx, services, qtbot
) -> None:  # type: ignore[no-untyped-def]
    tab, people_page, said = setup
    timeline = people_page.detail.timeline_model
    assert timeline.rowCount() == 0
    assert tab.counts.text() == f"{PEOPLE} invited: {PEOPLE} accepted"
    seen: list[tuple[int, int, bool, int, str]] = []

    def watch(done: int, total: int) -> None:
        dialog = tab.task.dialog
        seen.append((done, total, dialog.isVisible(), dialog.value(), dialog.labelText()))

    ctx.tasks.watch = watch
    accepted = _db(services)
    tab.table.selectAll()
    tab.status_actions["attended"].trigger()
    label = f"Setting {PEOPLE} invitations to “attended”…"
    assert seen == [
        (100, 250, True, 100, label),
        (200, 250, True, 200, label),
        (250, 250, True, 250, label),
    ]
    assert tab.task is None  # over: the dialog is gone
    assert said == [f"{PEOPLE} set to attended. Ctrl+Z to undo."]
    qtbot.waitUntil(lambda: tab.counts.text() == f"{PEOPLE} invited: {PEOPLE} attended")
    assert tab.model.index(0, 4).data() == "Attended"
    qtbot.waitUntil(lambda: timeline.rowCount() == 1)
    assert timeline.row_at(0).summary == "Attended Past meetup"
    with services.db.read() as s:
        assert s.execute(text("SELECT count(*) FROM interaction")).scalar() == PEOPLE
    # Ctrl+Z puts every table back as it was; Ctrl+Shift+Z marks them again.
    assert ctx.undo.undoText() == f"Set {PEOPLE} invitations to “attended”"
    ctx.undo.undo()
    assert _db(services) == accepted
    qtbot.waitUntil(lambda: tab.counts.text() == f"{PEOPLE} invited: {PEOPLE} accepted")
    qtbot.waitUntil(lambda: timeline.rowCount() == 0)
    ctx.undo.redo()
    qtbot.waitUntil(lambda: tab.counts.text() == f"{PEOPLE} invited: {PEOPLE} attended")
    qtbot.waitUntil(lambda: timeline.rowCount() == 1)
    # Back to "no-show": the interactions go, the timeline empties.
    ctx.tasks.watch = None
    tab.table.selectAll()
    tab.status_actions["no-show"].trigger()
    qtbot.waitUntil(lambda: timeline.rowCount() == 0)
    assert tab.counts.text() == f"{PEOPLE} invited: {PEOPLE} no-show"
    assert said[-1] == f"{PEOPLE} set to no-show. Ctrl+Z to undo."


def test_cancel_leaves_the_database_as_it_was(setup, ctx, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    tab, people_page, said = setup
    before = _db(services)
    pressed: list[int] = []

    def press_cancel(done: int, total: int) -> None:
        if not pressed:  # after the first batch of 100 is written
            pressed.append(done)
            button = tab.task.dialog.findChild(QPushButton)
            assert button.text() == "Cancel"
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            assert not button.isEnabled()
            assert tab.task.dialog.labelText() == "Cancelling…"

    ctx.tasks.watch = press_cancel
    tab.table.selectAll()
    tab.status_actions["attended"].trigger()
    assert pressed == [100]
    assert tab.task is None
    assert said == ["Cancelled; nothing was changed."]
    assert _db(services) == before
    assert tab.counts.text() == f"{PEOPLE} invited: {PEOPLE} accepted"
    assert people_page.detail.timeline_model.rowCount() == 0
    # The tab works again afterwards.
    ctx.tasks.watch = None
    tab.table.selectAll()
    tab.status_actions["attended"].trigger()
    assert said[-1] == f"{PEOPLE} set to attended. Ctrl+Z to undo."


def test_the_change_runs_on_a_worker_thread(setup, ctx, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    """With the real thread pool: the window's thread gets the result and the change
    notices (queued), and the tab refreshes from them."""
    tab, people_page, said = setup
    ctx.tasks = TaskRunner()
    tab.table.selectAll()
    tab.status_actions["attended"].trigger()
    assert tab.task is not None  # running, and the call came back at once
    qtbot.waitUntil(lambda: tab.task is None, timeout=10000)
    assert said == [f"{PEOPLE} set to attended. Ctrl+Z to undo."]
    qtbot.waitUntil(lambda: tab.counts.text() == f"{PEOPLE} invited: {PEOPLE} attended")
    qtbot.waitUntil(lambda: people_page.detail.timeline_model.rowCount() == 1)
    # Ctrl+Z of a big change is a task too: the call returns at once, the counts follow.
    ctx.undo.undo()
    qtbot.waitUntil(lambda: tab.counts.text() == f"{PEOPLE} invited: {PEOPLE} accepted")
    qtbot.waitUntil(lambda: people_page.detail.timeline_model.rowCount() == 0)
    ctx.tasks.wait()


def test_undo_dialog_has_no_cancel_button(setup, ctx) -> None:  # type: ignore[no-untyped-def]
    tab, _people_page, _said = setup
    task = status_task.StatusTask(ctx, "Undoing…", lambda _c: None, tab, cancellable=False)  # type: ignore[arg-type,return-value]
    assert task.dialog.findChildren(QPushButton) == []
    task.dialog.deleteLater()
