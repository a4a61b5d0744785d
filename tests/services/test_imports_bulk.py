"""The bulk path of an import (large loads into a small database): the shortcuts it
takes for speed must not show — links stay enforced, every person gets a UID, and a
load that would leave a broken link is refused whole."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import text

from crm.services import ServiceError, Services
from crm.services import imports_apply as apply_mod

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def _csv(tmp_path: Path, rows: int = 40) -> Path:
    path = tmp_path / "bulk.csv"
    body = "".join(
        f"Person {i},p{i}@example.com,+1650253{i:04d},Org {i},t{i % 2};Shared\n"
        for i in range(rows)
    )
    path.write_text("Name,Email,Phone,Organisation,Tags\n" + body, encoding="utf-8")
    return path


@pytest.fixture
def bulk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(apply_mod, "_BULK_MIN", 2)


def test_fresh_uids_are_distinct_version_4_uuids() -> None:
    uids = apply_mod.fresh_uids(2000)
    assert len(set(uids)) == 2000
    assert all(UUID4.fullmatch(u) for u in uids)


@pytest.mark.usefixtures("bulk")
def test_bulk_import_gives_every_person_a_uid_and_keeps_links_enforced(
    services: Services, tmp_path: Path
) -> None:
    report = services.imports.import_files([_csv(tmp_path)])
    assert report.added == 40
    with services.db.engine.connect() as conn:
        uids = [r[0] for r in conn.exec_driver_sql("SELECT uid FROM person")]
        # The load turned foreign-key checks off; the connection it used has them back.
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert len(set(uids)) == 40 and all(UUID4.fullmatch(u) for u in uids)
    # Enforced links: removing a person from the database takes their emails along.
    with services.db.session() as s:
        s.execute(text("DELETE FROM person WHERE id = :i"), {"i": report.person_ids[0]})
        left = s.execute(
            text("SELECT count(*) FROM email WHERE person_id = :i"), {"i": report.person_ids[0]}
        ).scalar()
    assert left == 0


@pytest.mark.usefixtures("bulk")
def test_bulk_import_that_would_break_a_link_changes_nothing(
    services: Services, tmp_path: Path, snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    before = snapshot()
    original = apply_mod._index_new

    def dangling(s, cur, docs, slow):  # type: ignore[no-untyped-def]
        cur.execute("INSERT INTO email(person_id, address, label) VALUES (987654, 'x@y.z', '')")
        original(s, cur, docs, slow)

    monkeypatch.setattr(apply_mod, "_index_new", dangling)
    with pytest.raises(ServiceError, match="nothing was changed"):
        services.imports.import_files([_csv(tmp_path)])
    assert snapshot() == before
    with services.db.engine.connect() as conn:  # rolled back: checks are on again too
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    monkeypatch.setattr(apply_mod, "_index_new", original)
    assert services.imports.import_files([_csv(tmp_path)]).added == 40
