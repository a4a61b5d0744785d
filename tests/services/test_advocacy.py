"""Advocacy notes headless: validation, status steps, voices, top requests, delete and undo."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from crm.services import Changes, NotFound, Services, ValidationError
from crm.services.advocacy import NoteInput
from crm.services.dept_tasks import TaskInput


def _note(services: Services, title: str, on: date | None = None, **kw: object) -> int:
    return services.advocacy.create(NoteInput(title, **kw), on=on)  # type: ignore[arg-type]


def _raw(services: Services, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    with services.db.read() as s:
        return [tuple(r) for r in s.execute(text(sql))]


def test_create_cleans_input_and_records_the_open_step(services: Services) -> None:
    nid = _note(
        services,
        "  Dark   mode ",
        kind="pain point",
        department="engineering",
        ticket_url="tracker.example.com/T-12",
        details=" eyes hurt \n",
    )
    d = services.advocacy.get(nid)
    assert (d.title, d.kind, d.department, d.status) == (
        "Dark mode",
        "pain point",
        "engineering",
        "open",
    )
    assert d.ticket_url == "https://tracker.example.com/T-12"
    assert d.details == "eyes hurt"
    assert [(s.status, s.on) for s in d.steps] == [("open", date.today())]


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("title", NoteInput("   ")),
        ("kind", NoteInput("x", kind="wish")),
        ("department", NoteInput("x", department="sales")),
        ("ticket_url", NoteInput("x", ticket_url="ftp://files.example.com/t")),
        ("ticket_url", NoteInput("x", ticket_url="javascript:alert(1)")),
        ("ticket_url", NoteInput("x", ticket_url="https://")),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    services: Services, field: str, data: NoteInput
) -> None:
    with pytest.raises(ValidationError) as err:
        services.advocacy.create(data)
    assert field in err.value.errors
    assert _raw(services, "SELECT count(*) FROM advocacy_note") == [(0,)]
    assert _raw(services, "SELECT count(*) FROM advocacy_step") == [(0,)]


def test_status_moves_are_dated_steps(services: Services) -> None:
    nid = _note(services, "SSO", on=date.today() - timedelta(days=30))
    services.advocacy.set_status(nid, "shared", date.today() - timedelta(days=20))
    services.advocacy.set_status(nid, "acknowledged", date.today() - timedelta(days=5))
    services.advocacy.set_status(nid, "shipped")
    d = services.advocacy.get(nid)
    assert d.status == "shipped"
    assert [(s.status, (date.today() - s.on).days) for s in d.steps] == [
        ("open", 30),
        ("shared", 20),
        ("acknowledged", 5),
        ("shipped", 0),
    ]


def test_status_moves_refuse_nonsense(services: Services) -> None:
    nid = _note(services, "SSO")
    with pytest.raises(ValidationError):
        services.advocacy.set_status(nid, "open")  # already open
    with pytest.raises(ValidationError):
        services.advocacy.set_status(nid, "finished")
    with pytest.raises(ValidationError):
        services.advocacy.set_status(nid, "shared", date.today() + timedelta(days=1))
    with pytest.raises(ValidationError):  # before the open step
        services.advocacy.set_status(nid, "shared", date.today() - timedelta(days=1))
    with pytest.raises(NotFound):
        services.advocacy.set_status(nid + 99, "shared")
    assert services.advocacy.get(nid).status == "open"
    assert len(services.advocacy.get(nid).steps) == 1


def test_voices_are_the_weight(
    services: Services, make_person: Callable[..., int], changes: list[Changes]
) -> None:
    a, b, c = make_person("Ann"), make_person("Ben"), make_person("Cat")
    nid = _note(services, "Export to PDF")
    assert services.advocacy.add_voices(nid, [a, b, a]) == 2
    assert services.advocacy.add_voices(nid, [b, c]) == 1  # b was already behind it
    assert [v.name for v in services.advocacy.get(nid).voices] == ["Ann", "Ben", "Cat"]
    assert services.advocacy.rows([nid])[0].voices == 3
    assert changes[-1].touches("advocacy", "people")
    services.advocacy.remove_voices(nid, [b])
    assert services.advocacy.rows([nid])[0].voices == 2
    services.people.archive([c])  # in the Trash: still linked and counted, and marked
    assert services.advocacy.rows([nid])[0].voices == 2
    assert [v.in_trash for v in services.advocacy.get(nid).voices] == [False, True]
    services.people.purge([c])  # deleted for good: the link goes with them
    assert services.advocacy.rows([nid])[0].voices == 1
    assert [n.title for n in services.advocacy.for_person(a)] == ["Export to PDF"]
    assert services.advocacy.for_person(b) == []
    with pytest.raises(NotFound):
        services.advocacy.add_voices(nid, [a, 9999])
    assert services.advocacy.rows([nid])[0].voices == 1


def test_top_requests_ranks_open_notes_by_members(
    services: Services, make_person: Callable[..., int]
) -> None:
    people = [make_person(f"P{i}") for i in range(6)]
    small = _note(services, "Small", department="support")
    big = _note(services, "Big")
    shipped = _note(services, "Shipped one")
    declined = _note(services, "Declined one")
    middle = _note(services, "Middle", department="support")
    _note(services, "Nobody behind it")
    services.advocacy.add_voices(small, people[:1])
    services.advocacy.add_voices(big, people[:5])
    services.advocacy.add_voices(shipped, people)
    services.advocacy.add_voices(declined, people)
    services.advocacy.add_voices(middle, people[:3])
    services.advocacy.set_status(shipped, "shipped")
    services.advocacy.set_status(declined, "declined")
    services.advocacy.set_status(middle, "planned")  # planned is still open
    top = services.advocacy.top_requests()
    assert [(t.title, t.voices) for t in top] == [("Big", 5), ("Middle", 3), ("Small", 1)]
    assert [t.title for t in services.advocacy.top_requests(limit=1)] == ["Big"]
    support = services.advocacy.top_requests(department="support")
    assert [t.title for t in support] == ["Middle", "Small"]
    # The page's table view of the same ranking.
    ids = services.advocacy.query_ids(open_only=True, sort="voices", descending=True)
    assert ids[:3] == [big, middle, small]
    assert shipped not in ids and declined not in ids


def test_filters_and_sorts(services: Services) -> None:
    a = _note(services, "alpha", kind="bug", department="engineering")
    b = _note(services, "Beta 100%", kind="praise", department="marketing")
    c = _note(services, "gamma", details="about beta", department="engineering")
    services.advocacy.set_status(c, "shared")
    q = services.advocacy.query_ids
    assert q(department="engineering", sort="title") == [a, c]
    assert q(kind="praise") == [b]
    assert q(status="shared") == [c]
    assert q("beta", sort="title") == [b, c]  # title or details
    assert q("100%") == [b]
    assert q("%") == [b]  # a literal percent sign, not a wildcard
    assert q(sort="title", descending=True) == [c, b, a]
    assert q(sort="status") == [a, b, c]


def test_delete_takes_voices_and_steps_unlinks_tasks_and_undo_puts_back(
    services: Services, make_person: Callable[..., int]
) -> None:
    a, b = make_person("Ann"), make_person("Ben")
    nid = _note(services, "Webhooks", ticket_url="https://t.example/1", outcome="in v2")
    services.advocacy.add_voices(nid, [a, b])
    services.advocacy.set_status(nid, "shared")
    task = services.dept_tasks.create(TaskInput("Scope webhooks", note_id=nid))
    before = services.advocacy.get(nid)
    assert services.advocacy.what_goes([nid]) == (2, 2, 1)

    snap = services.advocacy.delete([nid])
    with pytest.raises(NotFound):
        services.advocacy.get(nid)
    assert _raw(services, "SELECT count(*) FROM advocacy_voice") == [(0,)]
    assert _raw(services, "SELECT count(*) FROM advocacy_step") == [(0,)]
    assert services.dept_tasks.get(task).row.note_id is None  # the task stays, unlinked
    assert services.people.get(a).display_name == "Ann"  # people are untouched

    services.advocacy.restore(snap)
    assert services.advocacy.get(nid) == before
    assert services.dept_tasks.get(task).row.note_id == nid


def test_choices_for_pickers(services: Services) -> None:
    a = _note(services, "Dark mode")
    b = _note(services, "Dark theme for docs")
    _note(services, "SSO")
    assert {i for i, _t in services.advocacy.choices("dark")} == {a, b}
    assert len(services.advocacy.choices(limit=2)) == 2


def test_cli_top_requests(
    services: Services, make_person: Callable[..., int], db_url: str, capsys
) -> None:  # type: ignore[no-untyped-def]
    import json

    from crm.cli import main

    a, b = make_person("Ann"), make_person("Ben")
    big = _note(services, "Big", department="support")
    small = _note(services, "Small")
    services.advocacy.add_voices(big, [a, b])
    services.advocacy.add_voices(small, [a])
    db = db_url.removeprefix("sqlite:///")
    services.close()
    assert main(["top-requests", "--db", db, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(t["title"], t["voices"]) for t in out] == [("Big", 2), ("Small", 1)]
    assert main(["top-requests", "--db", db, "--department", "support"]) == 0
    assert "Big" in capsys.readouterr().out
    assert main(["top-requests", "--db", db, "--department", "sales"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("crm: --department") and err.count("\n") == 1
