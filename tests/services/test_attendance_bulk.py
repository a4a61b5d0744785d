"""The set-based status change (crm/services/attendance.py) against the one-row-at-a-time
code it replaced: the same sequence of changes on two identical databases must leave
every table the same — invitations, interactions (ids included), participants, the
search index and person.last_interaction_at. Also: progress, cancel and rollback."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, text

from crm.models import Event, Interaction
from crm.services import Services, open_services
from crm.services import attendance as attendance_module
from crm.services import invitations as invitations_module
from crm.services.attendance import Cancelled
from crm.services.events import EventInput
from crm.services.interactions import InteractionInput, refresh_last_interaction
from crm.services.people_data import PersonInput

NOW = datetime(2026, 3, 1, 12, 0, 0, 123456)


def reference_set_status(services: Services, ids: Sequence[int], status: str) -> int:
    """The code set_status ran before the set-based rewrite: one row, one statement."""
    changed, touched = 0, []
    with services.db.session() as s:
        rows = s.execute(
            text(
                "SELECT id, person_id, status, attendance_interaction_id, event_id "
                f"FROM invitation WHERE id IN ({','.join(str(i) for i in ids)})"
            )
        ).all()
        e = s.get(Event, rows[0][4])
        assert e is not None
        for inv_id, pid, old, interaction_id, _ in rows:
            if old == status:
                continue
            changed += 1
            sets = ["status = :st", "updated_at = :now"]
            if status == "not sent":
                sets += ["invited_at = NULL", "responded_at = NULL"]
            elif status == "invited":
                sets += ["invited_at = coalesce(invited_at, :now)", "responded_at = NULL"]
            elif status in ("accepted", "declined", "tentative"):
                sets += ["invited_at = coalesce(invited_at, :now)", "responded_at = :now"]
            new_interaction = interaction_id
            if status == "attended" and interaction_id is None:
                channel = "video" if e.online_url and not e.location else "in person"
                res = s.execute(
                    insert(Interaction).values(
                        kind="event attendance",
                        occurred_at=e.starts_utc,
                        channel=channel,
                        direction="mutual",
                        sentiment=0,
                        summary=f"Attended {e.title}"[:500],
                        details=f"{e.kind.capitalize()} · event:{e.id}",
                        created_at=NOW,
                    )
                )
                new_interaction = int(res.inserted_primary_key[0])  # type: ignore[index]
                s.execute(
                    text("INSERT INTO participant (interaction_id, person_id) VALUES (:i, :p)"),
                    {"i": new_interaction, "p": pid},
                )
                touched.append(pid)
            elif status != "attended" and interaction_id is not None:
                s.execute(text("DELETE FROM interaction WHERE id = :i"), {"i": interaction_id})
                new_interaction = None
                touched.append(pid)
            sets.append("attendance_interaction_id = :ai")
            s.execute(
                text(f"UPDATE invitation SET {', '.join(sets)} WHERE id = :id"),
                {"st": status, "now": NOW, "ai": new_interaction, "id": inv_id},
            )
        if touched:
            refresh_last_interaction(s, touched)
    return changed


def _fill(services: Services) -> tuple[int, list[int]]:
    """60 people (one with an older touch, one with a newer one), a past online
    event (so the channel is "video") with all of them invited."""
    people = [services.people.create(PersonInput(display_name=f"Person {i:02}")) for i in range(60)]
    start = datetime(2026, 2, 10, 18, 0)
    for pid, when in ((people[3], start - timedelta(days=30)), (people[4], start + timedelta(1))):
        services.interactions.log(InteractionInput("call", when, (pid,), "A call"))
    eid = services.events.create(
        EventInput(
            "Rust webinar",
            start,
            start + timedelta(hours=1),
            "Europe/Berlin",
            kind="webinar",
            online_url="https://meet.example.org/rust",
        )
    )
    services.invitations.invite(eid, people)
    return eid, services.invitations.query_ids(eid, sort="invited_at")


def _dump(services: Services) -> dict[str, list[tuple[object, ...]]]:
    with services.db.read() as s:
        out = {
            table: [tuple(r) for r in s.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2"))]
            for table in ("invitation", "interaction", "participant")
        }
        out["person"] = [
            tuple(r) for r in s.execute(text("SELECT id, last_interaction_at FROM person"))
        ]
        out["search"] = [
            tuple(r)
            for r in s.execute(
                text(
                    "SELECT rowid FROM interaction_fts WHERE interaction_fts MATCH 'attended' "
                    "ORDER BY rowid"
                )
            )
        ]
        # The external-content index agrees with the interaction table, row by row.
        s.execute(text("INSERT INTO interaction_fts(interaction_fts) VALUES ('integrity-check')"))
    return out


# Each step: (slice of the invitations, new status). They cover logging, keeping,
# unlogging, every date rule, repeats that change nothing, and overlapping sets.
STEPS = (
    (slice(0, 60), "accepted"),
    (slice(0, 40), "attended"),
    (slice(10, 25), "no-show"),
    (slice(5, 50), "attended"),
    (slice(0, 60, 3), "invited"),
    (slice(20, 30), "attended"),
    (slice(0, 60, 2), "declined"),
    (slice(0, 10), "not sent"),
    (slice(0, 60), "attended"),
    (slice(30, 60), "tentative"),
)


@pytest.mark.parametrize("batch", [2_000, 7])
def test_bulk_status_matches_the_one_by_one_code(
    services: Services, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    monkeypatch.setattr(invitations_module, "utcnow", lambda: NOW)
    monkeypatch.setattr(attendance_module, "BATCH", batch)
    eid, ids = _fill(services)
    services.db.close()  # the last connection closed: the WAL is in the file, to copy
    other_path = tmp_path / "reference.sqlite"
    shutil.copyfile(db_url.removeprefix("sqlite:///"), other_path)
    reference = open_services(f"sqlite:///{other_path}", phone_region="US")
    ids2 = ids
    try:
        for part, status in STEPS:
            result = services.invitations.set_status(ids[part], status)
            assert result.changed == reference_set_status(reference, ids2[part], status)
            assert result.changed + result.skipped == len(ids[part])
            mine, theirs = _dump(services), _dump(reference)
            for table in theirs:
                assert mine[table] == theirs[table], (status, table)
        assert services.invitations.counts(eid) == reference.invitations.counts(eid)
        assert len(mine["search"]) == 30  # the first 30 attended; "tentative" unlogged the rest
    finally:
        reference.close()


def test_progress_cancel_and_rollback(
    services: Services, monkeypatch: pytest.MonkeyPatch, changes: list[object]
) -> None:
    monkeypatch.setattr(attendance_module, "BATCH", 25)
    eid, ids = _fill(services)
    before = _dump(services)
    changes.clear()
    seen: list[tuple[int, int]] = []
    stop = [False]

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        stop[0] = True  # the user presses Cancel after the first batch

    with pytest.raises(Cancelled, match="nothing was changed"):
        services.invitations.set_status(
            ids, "attended", progress=progress, cancelled=lambda: stop[0]
        )
    assert seen == [(25, 60)]
    assert _dump(services) == before  # the first batch's interactions were rolled back
    assert changes == []  # and nobody was told of a change that did not happen
    # Without a cancel: progress to the end, every batch.
    seen.clear()
    result = services.invitations.set_status(ids, "attended", progress=progress)
    assert result.changed == 60
    assert seen == [(25, 60), (50, 60), (60, 60)]
    assert services.invitations.counts(eid) == {"attended": 60}
    with services.db.read() as s:
        assert s.execute(text("SELECT count(*) FROM participant")).scalar() == 62


def test_cancel_after_the_last_batch_still_rolls_back(services: Services) -> None:
    """A cancel that arrives while the last batch is written is still honoured:
    last_interaction_at and the commit come after one more look."""
    eid, ids = _fill(services)
    calls = [0]

    def cancelled() -> bool:
        calls[0] += 1
        return calls[0] > 1  # not before the (only) batch, but right after it

    with pytest.raises(Cancelled):
        services.invitations.set_status(ids, "attended", cancelled=cancelled)
    assert services.invitations.counts(eid) == {"not sent": 60}
    with services.db.read() as s:
        assert s.execute(text("SELECT count(*) FROM interaction")).scalar() == 2


@pytest.mark.parametrize("batch", [2_000, 7])
def test_undo_puts_every_table_back_exactly(
    services: Services, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    """Each step undone is the database before it, byte for byte (ids, dates, the
    search index); redone, the step goes on."""
    monkeypatch.setattr(attendance_module, "BATCH", batch)
    _eid, ids = _fill(services)
    for part, status in STEPS:
        before = _dump(services)
        result = services.invitations.set_status(ids[part], status)
        assert result.before is not None and len(result.before) == result.changed
        after = _dump(services)
        back = services.invitations.undo_status(result.before)
        assert (back.changed, back.skipped) == (result.changed, 0)
        assert _dump(services) == before, status
        services.invitations.set_status(ids[part], status)  # redo
        assert _dump(services)["invitation"] != before["invitation"] or result.changed == 0
        assert len(_dump(services)["search"]) == len(after["search"])


def test_undo_leaves_what_changed_since_and_finds_a_free_id(
    services: Services, make_person
) -> None:
    eid, ids = _fill(services)
    a, b = ids[0], ids[1]
    marked = services.invitations.set_status([a, b], "attended")
    services.invitations.set_status([b], "declined")  # b changed since
    back = services.invitations.undo_status(marked.before)  # type: ignore[arg-type]
    assert (back.changed, back.skipped) == (1, 1)
    assert services.invitations.counts(eid) == {"not sent": 59, "declined": 1}
    # Unlogging deletes the newest interaction; a new one then takes its id (no
    # AUTOINCREMENT); undo brings the attendance back under a fresh id.
    services.invitations.set_status([a], "attended")
    link = "SELECT attendance_interaction_id FROM invitation WHERE id = :i"
    gone = _scalar_int(services, link, a)
    unmarked = services.invitations.set_status([a], "no-show")
    person = services.invitations.rows([a])[0].person_id
    taken = services.interactions.log(
        InteractionInput("note", datetime(2026, 1, 1), (person,), "Wrote back")
    )
    assert taken == gone
    assert services.invitations.undo_status(unmarked.before).changed == 1  # type: ignore[arg-type]
    back_id = _scalar_int(services, link, a)
    assert back_id not in (None, gone)
    summaries = [r.summary for r in services.interactions.timeline(person)]
    assert summaries == ["Attended Rust webinar", "Wrote back"]
    assert services.invitations.rows([a])[0].status == "attended"


def _scalar_int(services: Services, sql: str, i: int) -> int:
    with services.db.read() as s:
        return s.execute(text(sql), {"i": i}).scalar()  # type: ignore[return-value]
