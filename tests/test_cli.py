"""The `crm` command, headless: stats and search, and clean refusals with exit code 2."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from crm.cli import main
from crm.services import open_services
from crm.services.communities import CommunityInput
from crm.services.interactions import InteractionInput
from crm.services.people_data import PersonInput


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """A database with two people, one community and one interaction."""
    path = tmp_path / "cli.sqlite"
    sv = open_services(f"sqlite:///{path}")
    try:
        ada = sv.people.create(PersonInput(display_name="Ada Lovelace", organisation="Engines"))
        sv.people.create(PersonInput(display_name="Grace Hopper"))
        sv.communities.create(CommunityInput("Ada Developers Academy"))
        sv.interactions.log(
            InteractionInput("call", datetime(2024, 1, 2, 3, 4), (ada,), "Adapting the talk")
        )
    finally:
        sv.close()
    return path


def _one_line_error(err: str) -> str:
    assert err.startswith("crm: ")
    assert err.endswith("\n")
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


def test_stats_json(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--db", str(db_file), "--json"]) == 0
    out, err = capsys.readouterr()
    counts = json.loads(out)
    assert (counts["person"], counts["community"], counts["interaction"]) == (2, 1, 1)
    assert err == ""


def test_stats_as_text(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--db", str(db_file)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.split() == ["person", "2"] for line in lines)


def test_db_option_before_the_subcommand(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(db_file), "stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["person"] == 2


def test_database_from_the_environment(
    db_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRM_DATABASE_URL", str(db_file))
    assert main(["stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["person"] == 2


def test_search_json(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "ada", "--db", str(db_file), "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert [(h["kind"], h["title"]) for h in hits] == [
        ("person", "Ada Lovelace"),
        ("community", "Ada Developers Academy"),
        ("interaction", "Adapting the talk"),
    ]
    assert hits[2]["detail"] == "call on 2024-01-02"


def test_search_as_text_and_no_matches(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "grace", "--db", str(db_file)]) == 0
    out, _ = capsys.readouterr()
    assert "Grace Hopper" in out
    assert "Ada" not in out

    assert main(["search", "zzzz", "--db", str(db_file)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "no matches\n"

    assert main(["search", '"(*', "--db", str(db_file), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.parametrize("command", [["stats"], ["search", "ada"]])
def test_missing_database_is_refused_and_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    path = tmp_path / "nope.sqlite"
    assert main([*command, "--db", str(path)]) == 2
    err = _one_line_error(capsys.readouterr().err)
    assert str(path) in err
    assert not path.exists()


def test_text_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database")
    assert main(["stats", "--db", str(path)]) == 2
    err = _one_line_error(capsys.readouterr().err)
    assert "notes.txt" in err
    assert "not a Rapport database" in err
    assert path.read_text() == "not a database"


def test_sqlite_file_of_another_program_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "firefox.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    assert main(["search", "x", "--db", str(path)]) == 2
    assert "firefox.sqlite" in _one_line_error(capsys.readouterr().err)


def test_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--db", str(tmp_path)]) == 2
    assert "folder" in _one_line_error(capsys.readouterr().err)


@pytest.mark.parametrize(
    "argv",
    [
        ["stats", "--bogus"],
        ["frobnicate"],
        ["search"],
        ["search", "x", "--limit", "many"],
        ["stats", "--db"],
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    _one_line_error(err)
    assert out == ""


def test_damaged_database_gives_one_line_not_sql(
    db_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    con = sqlite3.connect(db_file)
    con.execute("DROP TABLE community_fts")
    con.commit()
    con.close()
    assert main(["search", "ada", "--db", str(db_file)]) == 2
    err = _one_line_error(capsys.readouterr().err)
    assert "community_fts" in err
    assert "SELECT" not in err


def test_search_limit_must_be_positive(tmp_path, capsys) -> None:
    from crm.cli import main
    from crm.services import open_services

    path = tmp_path / "x.sqlite"
    open_services(f"sqlite:///{path}").close()
    assert main(["search", "ada", "--limit", "0", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--limit" in err


def test_a_closed_pipe_is_not_an_error(tmp_path) -> None:
    """`crm search … | head -1`: the reader leaves early; no traceback, no error line."""
    import subprocess
    import sys

    from crm.services import open_services
    from crm.services.demo import generate

    path = tmp_path / "x.sqlite"
    sv = open_services(f"sqlite:///{path}")
    generate(sv.db, contacts=300, seed=1)
    sv.close()
    # Far more output than a pipe holds, so crm is still writing when the reader leaves.
    cmd = [sys.executable, "-m", "crm", "search", "e", "--limit", "100000", "--db", str(path)]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode()
        assert proc.wait(30) == 0
    assert err == ""
