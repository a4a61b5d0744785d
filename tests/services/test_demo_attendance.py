"""The demo's attended invitations have the attendance interactions the app would log."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from crm.models import Base
from crm.services import Services, open_services
from crm.services.demo import generate

NOW = datetime(2026, 11, 20, 15, 30, 0)
CONTACTS = 400


def rows(sv: Services, sql: str, **params: object) -> list[tuple[object, ...]]:
    with sv.db.read() as s:
        return [tuple(r) for r in s.execute(text(sql), params)]


def table_counts(sv: Services) -> dict[str, int]:
    tables = [*sorted(Base.metadata.tables), "interaction_fts", "person_fts"]
    return {t: int(rows(sv, f"SELECT count(*) FROM {t}")[0][0]) for t in tables}  # type: ignore[arg-type]


@pytest.fixture
def demo(services: Services) -> tuple[Services, dict[str, int]]:
    return services, generate(services.db, contacts=CONTACTS, seed=5, now=NOW, parallel=False)


def test_every_attended_invitation_has_its_interaction_and_back(
    demo: tuple[Services, dict[str, int]],
) -> None:
    sv, counts = demo
    attended = rows(
        sv,
        "SELECT v.id, v.person_id, v.attendance_interaction_id, e.id, e.title, e.kind, "
        "e.starts_utc, e.location, e.online_url FROM invitation v JOIN event e "
        "ON e.id = v.event_id WHERE v.status = 'attended'",
    )
    assert len(attended) > 100
    interactions = {
        r[0]: r[1:]
        for r in rows(
            sv,
            "SELECT id, kind, occurred_at, channel, direction, sentiment, summary, details "
            "FROM interaction WHERE kind = 'event attendance'",
        )
    }
    participants: dict[object, list[object]] = {}
    for iid, pid in rows(
        sv,
        "SELECT p.interaction_id, p.person_id FROM participant p JOIN interaction i "
        "ON i.id = p.interaction_id WHERE i.kind = 'event attendance'",
    ):
        participants.setdefault(iid, []).append(pid)
    links = [r[2] for r in attended]
    assert None not in links
    assert len(set(links)) == len(links)  # one interaction per invitation
    assert set(links) == set(interactions)  # and every attendance interaction is one's
    for _, pid, iid, eid, title, kind, starts, location, url in attended:
        channel = "video" if url and not location else "in person"
        details = f"{str(kind).capitalize()} · event:{eid}"
        assert interactions[iid] == (
            "event attendance",
            starts,
            channel,
            "mutual",
            0,
            f"Attended {title}",
            details,
        )
        assert participants[iid] == [pid]
    # No other invitation points at an interaction.
    assert rows(
        sv,
        "SELECT count(*) FROM invitation WHERE status != 'attended' "
        "AND attendance_interaction_id IS NOT NULL",
    ) == [(0,)]
    # They count within the interactions asked for (ten per contact by default).
    assert counts["interactions"] == 10 * CONTACTS
    assert rows(sv, "PRAGMA foreign_key_check") == []


def test_the_demo_rows_are_the_ones_the_service_writes(
    demo: tuple[Services, dict[str, int]],
) -> None:
    """Mark a no-show attended in the app: its interaction equals the demo's for that event."""
    sv, _ = demo
    event_id, invitation_id = rows(
        sv,
        "SELECT v.event_id, v.id FROM invitation v WHERE v.status = 'no-show' AND EXISTS "
        "(SELECT 1 FROM invitation a WHERE a.event_id = v.event_id AND a.status = 'attended') "
        "ORDER BY v.id LIMIT 1",
    )[0]
    columns = "i.kind, i.occurred_at, i.channel, i.direction, i.sentiment, i.summary, i.details"
    demo_row = rows(
        sv,
        f"SELECT {columns} FROM invitation v JOIN interaction i "
        "ON i.id = v.attendance_interaction_id WHERE v.event_id = :e LIMIT 1",
        e=event_id,
    )[0]
    sv.invitations.set_status([invitation_id], "attended")
    app_row = rows(
        sv,
        f"SELECT {columns} FROM invitation v JOIN interaction i "
        "ON i.id = v.attendance_interaction_id WHERE v.id = :v",
        v=invitation_id,
    )[0]
    assert app_row == demo_row


def test_unmarking_removes_exactly_that_interaction(
    demo: tuple[Services, dict[str, int]],
) -> None:
    sv, _ = demo
    invitation_id, person_id, iid = rows(
        sv,
        "SELECT id, person_id, attendance_interaction_id FROM invitation "
        "WHERE status = 'attended' ORDER BY id DESC LIMIT 1",
    )[0]
    others = rows(
        sv,
        "SELECT id, attendance_interaction_id FROM invitation "
        "WHERE attendance_interaction_id IS NOT NULL AND id != :v ORDER BY id",
        v=invitation_id,
    )
    before = table_counts(sv)
    sv.invitations.set_status([invitation_id], "no-show")
    after = table_counts(sv)
    changed = {t: after[t] - before[t] for t in before if after[t] != before[t]}
    assert changed == {"interaction": -1, "participant": -1, "interaction_fts": -1}
    assert rows(sv, "SELECT count(*) FROM interaction WHERE id = :i", i=iid) == [(0,)]
    link = "SELECT status, attendance_interaction_id FROM invitation WHERE id = :v"
    assert rows(sv, link, v=invitation_id) == [("no-show", None)]
    assert (
        rows(
            sv,
            "SELECT id, attendance_interaction_id FROM invitation "
            "WHERE attendance_interaction_id IS NOT NULL ORDER BY id",
        )
        == others
    )
    # Their last contact is recomputed from what is left.
    latest = rows(
        sv,
        "SELECT max(i.occurred_at) FROM participant p JOIN interaction i "
        "ON i.id = p.interaction_id WHERE p.person_id = :p",
        p=person_id,
    )[0][0]
    assert rows(sv, "SELECT last_interaction_at FROM person WHERE id = :p", p=person_id) == [
        (latest,)
    ]


def test_the_child_process_links_the_same_way(
    demo: tuple[Services, dict[str, int]], tmp_path: Path
) -> None:
    sv, counts = demo
    other = open_services(f"sqlite:///{tmp_path / 'other.sqlite'}")
    try:
        again = generate(other.db, contacts=CONTACTS, seed=5, now=NOW, parallel=True)
        assert again == counts
        for sql in (
            "SELECT * FROM invitation ORDER BY id",
            "SELECT * FROM interaction ORDER BY id",
            "SELECT * FROM participant ORDER BY 1, 2",
        ):
            assert rows(other, sql) == rows(sv, sql), sql
    finally:
        other.close()
