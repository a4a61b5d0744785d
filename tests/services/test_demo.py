"""`crm demo` data: complete, valid, deterministic, searchable, and all-or-nothing."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from sqlalchemy import text

from crm.cli import main
from crm.models import (
    CHANNELS,
    COMMUNITY_KINDS,
    CONSENT_KINDS,
    DIRECTIONS,
    FIELD_TYPES,
    INTERACTION_KINDS,
    MEMBERSHIP_ROLES,
    PARTNERSHIP_STATUSES,
    RELATIONSHIP_KINDS,
    ROLES,
    SENTIMENTS,
    Base,
)
from crm.services import ServiceError, Services, open_services, validate
from crm.services.demo import generate
from crm.services.people_data import PeopleQuery, PersonInput

NOW = datetime(2026, 11, 20, 15, 30, 0)
CONTACTS = 200

# Every table the demo fills; the FTS tables are checked through searches below.
TABLES = (
    "person",
    "person_role",
    "email",
    "phone",
    "handle",
    "tag",
    "person_tag",
    "consent",
    "relationship",
    "field_def",
    "field_value",
    "community",
    "membership",
    "interaction",
    "participant",
    "audit_log",
    "person_fts",
    "community_fts",
)


def rows(sv: Services, sql: str, **params: object) -> list[tuple]:
    with sv.db.read() as s:
        return [tuple(r) for r in s.execute(text(sql), params)]


def scalar(sv: Services, sql: str, **params: object) -> object:
    return rows(sv, sql, **params)[0][0]


def fingerprint(sv: Services) -> dict[str, str]:
    """A hash of every row of every table, to compare two databases."""
    out = {}
    for table in (*TABLES, "interaction_fts"):
        data = sorted(repr(r) for r in rows(sv, f"SELECT * FROM {table}"))
        out[table] = hashlib.sha256("\n".join(data).encode()).hexdigest()
    return out


@pytest.fixture
def demo(services: Services) -> tuple[Services, dict[str, int]]:
    counts = generate(services.db, contacts=CONTACTS, seed=3, now=NOW, parallel=False)
    return services, counts


@pytest.fixture
def other_db(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A second, separate database."""
    sv = open_services(f"sqlite:///{tmp_path / 'other.sqlite'}")
    yield sv
    sv.close()


def test_fills_every_table_and_reports_true_counts(demo: tuple[Services, dict[str, int]]) -> None:
    sv, counts = demo
    for table in TABLES:
        assert scalar(sv, f"SELECT count(*) FROM {table}") > 0, table
    # Every other table of the schema too: a new area must come with demo data.
    left_empty = {"import_mapping", "merge_journal"}  # filled by use, not by a demo
    for table in sorted(set(Base.metadata.tables) - left_empty):
        assert scalar(sv, f"SELECT count(*) FROM {table}") > 0, table
    assert counts["people"] == CONTACTS == scalar(sv, "SELECT count(*) FROM person")
    assert counts["interactions"] == 10 * CONTACTS == scalar(sv, "SELECT count(*) FROM interaction")
    for key, table in (
        ("emails", "email"),
        ("phones", "phone"),
        ("handles", "handle"),
        ("roles", "person_role"),
        ("tags", "tag"),
        ("person tags", "person_tag"),
        ("consents", "consent"),
        ("relationships", "relationship"),
        ("custom fields", "field_def"),
        ("custom values", "field_value"),
        ("communities", "community"),
        ("memberships", "membership"),
        ("participants", "participant"),
    ):
        assert counts[key] == scalar(sv, f"SELECT count(*) FROM {table}"), key
    assert counts["referrals"] == scalar(
        sv, "SELECT count(*) FROM person WHERE referred_by_id IS NOT NULL"
    )
    assert counts["referrals"] > 0
    assert scalar(sv, "SELECT count(*) FROM person WHERE next_follow_up IS NOT NULL") > 0
    assert scalar(sv, "SELECT count(DISTINCT person_id) FROM email") == CONTACTS
    assert scalar(sv, "SELECT max(n) FROM (SELECT count(*) n FROM email GROUP BY person_id)") == 2
    assert 20 <= counts["communities"] <= 60


def test_every_kind_of_thing_appears(demo: tuple[Services, dict[str, int]]) -> None:
    sv, _ = demo

    def distinct(sql: str) -> set[object]:
        return {r[0] for r in rows(sv, sql)}

    assert distinct("SELECT kind FROM interaction") == set(INTERACTION_KINDS)
    assert distinct("SELECT kind FROM community") == set(COMMUNITY_KINDS)
    assert distinct("SELECT type FROM field_def") == set(FIELD_TYPES)
    assert distinct("SELECT entity FROM field_def") == {"person", "community"}
    assert distinct("SELECT kind FROM consent") == set(CONSENT_KINDS)
    assert distinct("SELECT granted FROM consent") == {0, 1}
    assert distinct("SELECT network FROM handle") == {
        "github",
        "mastodon",
        "linkedin",
        "x",
        "discord",
    }
    assert {"member", "liaison"} <= distinct("SELECT role FROM membership")
    assert len(distinct("SELECT role FROM person_role")) >= 5
    assert distinct("SELECT count(*) FROM participant GROUP BY interaction_id") == {1, 2, 3}
    # Every community has someone to talk to.
    assert (
        scalar(
            sv,
            "SELECT count(*) FROM community c WHERE NOT EXISTS (SELECT 1 FROM membership m "
            "WHERE m.community_id = c.id AND m.role != 'member')",
        )
        == 0
    )


def test_values_are_valid_for_the_services(demo: tuple[Services, dict[str, int]]) -> None:
    """Demo rows pass the same checks as typed input, so editing one never fails."""
    sv, _ = demo
    for (address,) in rows(sv, "SELECT address FROM email"):
        assert validate.email(address) == (address, None)
    for (number,) in rows(sv, "SELECT number FROM phone"):
        assert validate.phone(number, None) == (number, None)
    for (zone,) in rows(sv, "SELECT DISTINCT time_zone FROM person"):
        assert validate.time_zone(zone) is None
    checks = {
        "SELECT DISTINCT role FROM person_role": set(ROLES),
        "SELECT DISTINCT channel FROM interaction": set(CHANNELS),
        "SELECT DISTINCT direction FROM interaction": set(DIRECTIONS),
        "SELECT DISTINCT sentiment FROM interaction": set(SENTIMENTS),
        "SELECT DISTINCT kind FROM relationship": set(RELATIONSHIP_KINDS),
        "SELECT DISTINCT role FROM membership": set(MEMBERSHIP_ROLES),
        "SELECT DISTINCT status FROM community": set(PARTNERSHIP_STATUSES),
    }
    for sql, allowed in checks.items():
        assert {r[0] for r in rows(sv, sql)} <= allowed, sql
    for fid, kind, choices in rows(sv, "SELECT id, type, choices FROM field_def"):
        for value, number in rows(
            sv, "SELECT text, number FROM field_value WHERE field_id = :f", f=fid
        ):
            assert validate.field_value(kind, value, json.loads(choices))[::2] == (value, None)
            if kind in ("number", "date"):
                assert number is not None
    with sv.db.read() as s:
        assert s.execute(text("PRAGMA foreign_key_check")).all() == []
        assert s.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        assert s.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
    # A demo person can be saved back through the service unchanged.
    detail = sv.people.get(7)
    sv.people.update(7, detail.to_input())
    assert sv.people.get(7) == detail


def test_times_lie_in_the_demo_history(demo: tuple[Services, dict[str, int]]) -> None:
    sv, _ = demo
    first, last = rows(sv, "SELECT min(occurred_at), max(occurred_at) FROM interaction")[0]
    # The touches are of the last two years; attendance goes back with the events, three.
    touches = "SELECT min(occurred_at) FROM interaction WHERE kind != 'event attendance'"
    assert NOW - timedelta(days=731) <= datetime.fromisoformat(scalar(sv, touches))
    assert NOW - timedelta(days=3 * 365 + 1) <= datetime.fromisoformat(first)
    assert NOW - timedelta(days=7) <= datetime.fromisoformat(last) <= NOW
    assert datetime.fromisoformat(scalar(sv, "SELECT max(created_at) FROM person")) <= NOW
    # Ids follow time, as they would if the interactions had been logged one by one.
    assert (
        scalar(
            sv,
            "SELECT count(*) FROM interaction a JOIN interaction b ON b.id = a.id + 1 "
            "WHERE b.occurred_at < a.occurred_at",
        )
        == 0
    )


def test_last_interaction_is_the_latest_touch(demo: tuple[Services, dict[str, int]]) -> None:
    sv, _ = demo
    latest = dict(
        rows(
            sv,
            "SELECT pa.person_id, max(i.occurred_at) FROM participant pa "
            "JOIN interaction i ON i.id = pa.interaction_id GROUP BY pa.person_id",
        )
    )
    stored = dict(rows(sv, "SELECT id, last_interaction_at FROM person"))
    assert 0 < len(latest) < CONTACTS  # some people have never been heard from
    assert stored == {pid: latest.get(pid) for pid in stored}
    person = max(latest, key=lambda p: latest[p])
    assert sv.people.get(person).last_interaction == datetime.fromisoformat(latest[person])


def test_search_finds_people_and_interactions(demo: tuple[Services, dict[str, int]]) -> None:
    sv, _ = demo
    pid, name, given = rows(
        sv,
        "SELECT id, display_name, given_name FROM person WHERE archived_at IS NULL "
        "AND length(given_name) >= 4 ORDER BY id LIMIT 1 OFFSET 40",
    )[0]
    assert pid in sv.search.person_ids(given[:3])
    assert pid in sv.people.query_ids(PeopleQuery(text=name))
    assert pid in {h.id for h in sv.search.search(name, limit=50) if h.kind == "person"}
    (community,) = rows(sv, "SELECT name FROM community WHERE archived_at IS NULL LIMIT 1")[0]
    assert sv.search.community_ids(community)

    # The interaction index is complete: a word's hits are exactly the summaries with it.
    summary = scalar(sv, "SELECT summary FROM interaction WHERE id = 1")
    word = max(re.findall(r"[A-Za-z]{4,}", summary), key=len).lower()
    expected = {
        iid
        for iid, text_ in rows(sv, "SELECT id, summary FROM interaction")
        if word in re.findall(r"\w+", text_.lower())
    }
    found = {
        r[0]
        for r in rows(
            sv, "SELECT rowid FROM interaction_fts WHERE interaction_fts MATCH :q", q=word
        )
    }
    assert 1 in expected
    assert found == expected
    assert any(h.kind == "interaction" for h in sv.search.search(word, limit=5))


def test_schema_is_whole_again_afterwards(services: Services) -> None:
    """Indexes and triggers dropped for the load are back, and the triggers work."""

    def schema() -> set[tuple]:
        return set(rows(services, "SELECT type, name, sql FROM sqlite_master"))

    before = schema()
    generate(services.db, contacts=30, seed=1, now=NOW, parallel=False)
    assert schema() == before
    config = dict(rows(services, "SELECT k, v FROM interaction_fts_config"))
    assert config.get("hashsize", 1048576) == 1048576
    from crm.services.interactions import InteractionInput

    iid = services.interactions.log(
        InteractionInput("note", NOW, (1,), "Zanzibarian onboarding retrospective")
    )
    assert [h.id for h in services.search.search("zanzibar") if h.kind == "interaction"] == [iid]


def test_the_organiser_is_set_so_invitations_export_at_once(
    demo: tuple[Services, dict[str, int]], tmp_path: Path
) -> None:
    sv, _ = demo
    org = sv.settings.organiser()
    assert org.is_set and org.name
    staff = rows(
        sv,
        "SELECT p.display_name, e.address FROM person p JOIN person_role r ON r.person_id = p.id "
        "JOIN email e ON e.person_id = p.id WHERE r.role = 'staff'",
    )
    assert (org.name, org.email) in staff
    assert validate.email(org.email)[1] is None
    (event_id,) = rows(
        sv,
        "SELECT event_id FROM invitation i JOIN email e ON e.person_id = i.person_id "
        "GROUP BY event_id ORDER BY count(*) DESC, event_id LIMIT 1",
    )[0]
    result = sv.calendar.export_invitations(event_id, tmp_path / "inv.ics", mark=False)
    assert result.attendees > 0
    cal = icalendar.Calendar.from_ical((tmp_path / "inv.ics").read_bytes())
    organizer = cal.walk("VEVENT")[0]["ORGANIZER"]
    assert str(organizer).lower() == f"mailto:{org.email}".lower()
    assert organizer.params["CN"] == org.name


def test_the_demo_keeps_an_organiser_already_set(services: Services) -> None:
    services.settings.set_organiser("Me Myself", "me@example.org")
    generate(services.db, contacts=50, now=NOW, parallel=False)
    assert services.settings.organiser().email == "me@example.org"


def test_same_seed_same_data_in_separate_databases(
    demo: tuple[Services, dict[str, int]], other_db: Services
) -> None:
    sv, counts = demo
    again = generate(other_db.db, contacts=CONTACTS, seed=3, now=NOW, parallel=False)
    assert again == counts
    assert fingerprint(other_db) == fingerprint(sv)
    sample = "SELECT id, display_name, organisation, city FROM person WHERE id IN (1, 50, 200)"
    assert rows(other_db, sample) == rows(sv, sample)


def test_another_seed_gives_other_people(
    demo: tuple[Services, dict[str, int]], other_db: Services
) -> None:
    sv, _ = demo
    generate(other_db.db, contacts=CONTACTS, seed=4, now=NOW, parallel=False)
    names = "SELECT display_name FROM person ORDER BY id"
    assert rows(other_db, names) != rows(sv, names)


def test_child_process_makes_the_same_data(
    demo: tuple[Services, dict[str, int]], other_db: Services
) -> None:
    sv, counts = demo
    assert generate(other_db.db, contacts=CONTACTS, seed=3, now=NOW, parallel=True) == counts
    assert fingerprint(other_db) == fingerprint(sv)


def test_progress_climbs_to_the_total(services: Services) -> None:
    seen: list[tuple[int, int]] = []
    generate(services.db, contacts=50, now=NOW, progress=lambda d, t: seen.append((d, t)))
    assert len(seen) > 3
    assert len({t for _, t in seen}) == 1
    done = [d for d, _ in seen]
    assert done == sorted(done)
    assert done[-1] == seen[-1][1]


@pytest.mark.parametrize("parallel", [False, True])
@pytest.mark.parametrize("stop_after", [0, 1, 5])
def test_cancel_leaves_nothing_behind(
    services: Services,
    snapshot: Callable[[], dict[str, int]],
    parallel: bool,
    stop_after: int,
) -> None:
    """Cancelled at the start, after the first people or amid the interactions."""
    calls: list[int] = []

    def progress(done: int, total: int) -> None:
        calls.append(done)

    def cancelled() -> bool:
        return len(calls) > stop_after

    empty = snapshot()
    with pytest.raises(ServiceError, match="cancelled"):
        generate(
            services.db,
            contacts=12_000,
            interactions=60_000,
            now=NOW,
            progress=progress,
            cancelled=cancelled,
            parallel=parallel,
        )
    assert set(empty.values()) == {0}
    assert snapshot() == empty
    # The database is whole and usable: a later demo fills it.
    assert generate(services.db, contacts=20, now=NOW, parallel=False)["people"] == 20
    assert scalar(services, "PRAGMA foreign_keys") == 1


def test_refuses_a_database_with_data(services: Services) -> None:
    services.people.create(PersonInput(display_name="Ada Lovelace"))
    with pytest.raises(ServiceError, match="empty database"):
        generate(services.db, contacts=10, now=NOW)
    assert services.people.count() == 1
    assert scalar(services, "SELECT count(*) FROM interaction") == 0


def test_zero_contacts_writes_no_people(services: Services) -> None:
    counts = generate(services.db, contacts=0, interactions=50, now=NOW)
    assert counts["people"] == counts["interactions"] == 0
    assert scalar(services, "SELECT count(*) FROM person") == 0


def test_cli_demo_fills_then_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cli.sqlite"
    assert main(["demo", "--db", str(db), "--contacts", "40", "--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert "40 people" in out and "400 interactions" in out
    assert main(["demo", "--db", str(db), "--contacts", "40"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("crm: ") and "already holds data" in err
    assert err.count("\n") == 1
    sv = open_services(f"sqlite:///{db}", create=False)
    try:
        assert sv.people.count() + sv.people.count(archived=True) == 40
    finally:
        sv.close()
    assert main(["demo", "--db", str(tmp_path / "x.sqlite"), "--contacts", "0"]) == 2
