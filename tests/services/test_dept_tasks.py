"""Department tasks headless: validation, links to notes and events, overdue, delete/undo."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import text

from crm.models import Event
from crm.services import NotFound, Services, ValidationError
from crm.services.advocacy import NoteInput
from crm.services.dept_tasks import TaskInput


def _event(services: Services, title: str, days_from_now: int) -> int:
    when = datetime.now().replace(microsecond=0) + timedelta(days=days_from_now)
    with services.db.session() as s:
        e = Event(
            title=title,
            starts_at=when,
            ends_at=when + timedelta(hours=2),
            starts_utc=when,
        )
        s.add(e)
        s.flush()
        return e.id


def test_create_with_links_and_read_back(services: Services) -> None:
    note = services.advocacy.create(NoteInput("Better docs search"))
    event = _event(services, "Docs sprint", 10)
    tid = services.dept_tasks.create(
        TaskInput(
            "  Tune   the index ",
            department="engineering",
            owner_name=" Priya ",
            due_on=date.today() + timedelta(days=3),
            note_id=note,
            event_id=event,
        )
    )
    row = services.dept_tasks.get(tid).row
    assert (row.title, row.owner_name, row.note_title, row.event_title) == (
        "Tune the index",
        "Priya",
        "Better docs search",
        "Docs sprint",
    )
    assert not row.overdue
    assert [t.title for t in services.advocacy.get(note).tasks] == ["Tune the index"]


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("title", TaskInput(" ")),
        ("department", TaskInput("x", department="sales")),
        ("status", TaskInput("x", status="maybe")),
        ("note_id", TaskInput("x", note_id=404)),
        ("event_id", TaskInput("x", event_id=404)),
        ("owner_name", TaskInput("x", owner_name="o" * 201)),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    services: Services, field: str, data: TaskInput
) -> None:
    with pytest.raises(ValidationError) as err:
        services.dept_tasks.create(data)
    assert field in err.value.errors
    assert services.dept_tasks.count() == 0


def test_overdue_and_done(services: Services) -> None:
    late = services.dept_tasks.create(TaskInput("Late", due_on=date.today() - timedelta(days=1)))
    today = services.dept_tasks.create(TaskInput("Due today", due_on=date.today()))
    undated = services.dept_tasks.create(TaskInput("Whenever"))
    assert services.dept_tasks.query_ids(overdue_only=True) == [late]
    assert services.dept_tasks.count_overdue() == 1
    assert [r.overdue for r in services.dept_tasks.rows([late, today, undated])] == [
        True,
        False,
        False,
    ]
    services.dept_tasks.set_status(late, "done")
    detail = services.dept_tasks.get(late)
    assert detail.done_at is not None and not detail.row.overdue
    assert services.dept_tasks.query_ids(overdue_only=True) == []
    services.dept_tasks.set_status(late, "in progress")
    assert services.dept_tasks.get(late).done_at is None
    # Undated tasks sort last whichever way the due date is sorted.
    assert services.dept_tasks.query_ids(sort="due") == [late, today, undated]
    assert services.dept_tasks.query_ids(sort="due", descending=True) == [today, late, undated]


def test_filters(services: Services) -> None:
    a = services.dept_tasks.create(TaskInput("Brief", department="marketing", owner_name="Lee"))
    b = services.dept_tasks.create(TaskInput("Fix", department="engineering", status="blocked"))
    assert services.dept_tasks.query_ids(department="marketing") == [a]
    assert services.dept_tasks.query_ids(status="blocked") == [b]
    assert services.dept_tasks.query_ids("lee") == [a]  # the owner's name too


def test_event_choices_upcoming_first(services: Services) -> None:
    past = _event(services, "Old meetup", -30)
    soon = _event(services, "Meetup soon", 3)
    later = _event(services, "Meetup later", 40)
    assert [e.id for e in services.dept_tasks.event_choices()] == [soon, later, past]
    assert [e.id for e in services.dept_tasks.event_choices("later")] == [later]


def test_delete_and_restore(services: Services) -> None:
    note = services.advocacy.create(NoteInput("N"))
    tid = services.dept_tasks.create(TaskInput("T", note_id=note, details="why"))
    before = services.dept_tasks.get(tid)
    snap = services.dept_tasks.delete([tid])
    with pytest.raises(NotFound):
        services.dept_tasks.get(tid)
    services.dept_tasks.restore(snap)
    assert services.dept_tasks.get(tid) == before
    # A task restored after its note was deleted comes back unlinked.
    snap = services.dept_tasks.delete([tid])
    services.advocacy.delete([note])
    services.dept_tasks.restore(snap)
    assert services.dept_tasks.get(tid).row.note_id is None
    with services.db.read() as s:
        assert s.execute(text("PRAGMA foreign_key_check")).all() == []
