"""`crm demo` fills advocacy, department tasks and moderation: realistic and deterministic."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from sqlalchemy import text

from crm.services import Services, open_services
from crm.services.demo import generate

NOW = datetime(2026, 11, 20, 15, 30, 0)
TABLES = (
    "advocacy_note",
    "advocacy_step",
    "advocacy_voice",
    "department_task",
    "moderation_case",
)


def _rows(sv: Services, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    with sv.db.read() as s:
        return [tuple(r) for r in s.execute(text(sql))]


def _fingerprint(sv: Services) -> dict[str, str]:
    return {
        t: hashlib.sha256(
            "\n".join(sorted(repr(r) for r in _rows(sv, f"SELECT * FROM {t}"))).encode()
        ).hexdigest()
        for t in TABLES
    }


def test_demo_fills_the_operations_tables(services: Services, tmp_path: Path) -> None:
    counts = generate(services.db, contacts=400, seed=5, now=NOW, parallel=False)
    for key, table in (
        ("advocacy notes", "advocacy_note"),
        ("advocacy voices", "advocacy_voice"),
        ("department tasks", "department_task"),
        ("moderation cases", "moderation_case"),
    ):
        assert counts[key] == _rows(services, f"SELECT count(*) FROM {table}")[0][0] > 0, key
    assert 18 <= counts["advocacy notes"] <= 20  # one per twenty members (not archived)
    # Every status appears, every note has its history starting with "open", in date order.
    statuses = {r[0] for r in _rows(services, "SELECT DISTINCT status FROM advocacy_note")}
    assert "open" in statuses and len(statuses) >= 3
    firsts = _rows(
        services,
        "SELECT s.status FROM advocacy_step s WHERE s.id = "
        "(SELECT min(id) FROM advocacy_step x WHERE x.note_id = s.note_id)",
    )
    assert {r[0] for r in firsts} == {"open"}
    assert _rows(
        services,
        "SELECT count(*) FROM advocacy_note n WHERE n.status != (SELECT s.status FROM "
        'advocacy_step s WHERE s.note_id = n.id ORDER BY s."on" DESC, s.id DESC LIMIT 1)',
    ) == [(0,)]
    # The services read it all back; top requests has a long tail.
    top = services.advocacy.top_requests(limit=5)
    assert len(top) == 5 and top[0].voices > top[-1].voices
    assert services.moderation.counts()["moderation_repeat_subjects"] >= 1
    assert services.dept_tasks.count_overdue() > 0
    with services.db.read() as s:
        assert s.execute(text("PRAGMA foreign_key_check")).all() == []

    other = open_services(f"sqlite:///{tmp_path / 'again.sqlite'}")
    try:
        again = generate(other.db, contacts=400, seed=5, now=NOW, parallel=True)
        assert again == counts
        assert _fingerprint(other) == _fingerprint(services)
    finally:
        other.close()
