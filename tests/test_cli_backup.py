"""`crm backup` and `crm restore`: files written, refusals as one line with exit code 2."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from crm.cli import main
from crm.services import open_services
from crm.services.people_data import PersonInput


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "cli.sqlite"
    sv = open_services(f"sqlite:///{path}")
    try:
        sv.people.create(PersonInput(display_name="Ada Lovelace"))
        sv.people.create(PersonInput(display_name="Grace Hopper"))
    finally:
        sv.close()
    return path


def _people(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT display_name FROM person ORDER BY 1")]
    finally:
        con.close()


def _error(capsys: pytest.CaptureFixture[str]) -> str:
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("crm: ") and err.count("\n") == 1 and "Traceback" not in err
    return err[len("crm: ") : -1]


def test_backup_then_restore(db_file: Path, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert main(["backup", "--db", str(db_file), "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    backup = Path(made["path"])
    assert backup.parent == tmp_path / "backups" and backup.name.startswith("cli-")
    assert made["bytes"] == backup.stat().st_size > 0

    sv = open_services(f"sqlite:///{db_file}")
    sv.people.create(PersonInput(display_name="Later Added"))
    sv.close()
    assert "Later Added" in _people(db_file)

    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["restore", str(backup), "--db", str(db_file)]) == 2
    assert _error(capsys) == f"restore replaces {db_file}; add --yes to confirm"
    assert "Later Added" in _people(db_file)

    assert main(["restore", str(backup), "--db", str(db_file), "--yes"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Restored {backup} into {db_file}"
    assert lines[1].startswith(f"The database as it was before: {tmp_path / 'backups'}/cli-before")
    assert _people(db_file) == ["Ada Lovelace", "Grace Hopper"]
    safety = Path(lines[1].split(": ", 1)[1])
    assert "Later Added" in _people(safety)


def test_restore_asks_on_a_terminal(db_file: Path, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "b.sqlite"
    assert main(["backup", "--db", str(db_file), "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith(f"Backed up to {out} (")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["n", "y"])
    monkeypatch.setattr("builtins.input", lambda _prompt: next(answers))
    assert main(["restore", str(out), "--db", str(db_file)]) == 2
    assert _error(capsys) == "nothing was changed"
    assert main(["restore", str(out), "--db", str(db_file)]) == 0


def test_restore_into_a_new_file(db_file: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "b.sqlite"
    assert main(["backup", "--db", str(db_file), "--out", str(out)]) == 0
    fresh = tmp_path / "new" / "rapport.sqlite"
    fresh.parent.mkdir()
    capsys.readouterr()
    assert main(["restore", str(out), "--db", str(fresh), "--yes", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["safety_backup"] is None and not result["migrated"]
    assert _people(fresh) == ["Ada Lovelace", "Grace Hopper"]


def test_refusals_are_one_line_exit_2(db_file: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n")
    assert main(["restore", str(notes), "--db", str(db_file), "--yes"]) == 2
    assert _error(capsys) == f"{notes}: not a Rapport database (not an SQLite file)"

    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.close()
    assert main(["restore", str(other), "--db", str(db_file), "--yes"]) == 2
    assert _error(capsys) == f"{other}: not a Rapport database (an SQLite file of another program)"

    exists = tmp_path / "exists.sqlite"
    exists.write_text("mine")
    assert main(["backup", "--db", str(db_file), "--out", str(exists)]) == 2
    assert _error(capsys) == f"{exists}: already exists; choose another name"
    assert exists.read_text() == "mine"

    missing = tmp_path / "missing.sqlite"
    assert main(["backup", "--db", str(missing)]) == 2
    assert _error(capsys) == f"{missing}: no such database"
    assert not missing.exists()
    assert _people(db_file) == ["Ada Lovelace", "Grace Hopper"]


def test_restore_over_a_damaged_database(db_file: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "b.sqlite"
    assert main(["backup", "--db", str(db_file), "--out", str(out)]) == 0
    damaged = b"\x00garbage" * 500
    db_file.write_bytes(damaged)
    Path(f"{db_file}-wal").write_bytes(b"stale wal of the damaged file")
    capsys.readouterr()
    assert main(["stats", "--db", str(db_file)]) == 2  # it cannot be opened
    capsys.readouterr()
    assert main(["restore", str(out), "--db", str(db_file), "--yes"]) == 0
    captured = capsys.readouterr()
    assert captured.err == (
        f"crm: {db_file}: not a Rapport database (not an SQLite file); replacing it\n"
    )
    assert _people(db_file) == ["Ada Lovelace", "Grace Hopper"]
    con = sqlite3.connect(db_file)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()
    kept = Path(captured.out.splitlines()[1].split(": ", 1)[1])
    assert kept.read_bytes() == damaged  # the damaged file is kept, with its -wal
    assert Path(f"{kept}-wal").read_bytes() == b"stale wal of the damaged file"
    assert not Path(f"{db_file}-wal").exists() or Path(f"{db_file}-wal").stat().st_size == 0


def test_restore_never_replaces_another_programs_database(
    db_file: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "b.sqlite"
    assert main(["backup", "--db", str(db_file), "--out", str(out)]) == 0
    stranger = tmp_path / "photos.sqlite"
    con = sqlite3.connect(stranger)
    con.execute("CREATE TABLE photo (name TEXT)")
    con.commit()
    con.close()
    before = stranger.read_bytes()
    capsys.readouterr()
    assert main(["restore", str(out), "--db", str(stranger), "--yes"]) == 2
    assert _error(capsys) == (
        f"{stranger}: not a Rapport database (an SQLite file of another program)"
    )
    assert stranger.read_bytes() == before
