"""`crm import` and `crm export contacts`: summaries, exit codes 0/1/2, one-line errors."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from pathlib import Path

import pytest

from crm.cli import main
from crm.services import open_services
from crm.services.communities import CommunityInput
from crm.services.people_data import ConsentData, EmailData, PersonInput


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """Three members of the partner "Rust Berlin"; only Ada consented to partner sharing."""
    path = tmp_path / "cli.sqlite"
    sv = open_services(f"sqlite:///{path}")
    try:
        yes = (ConsentData("partner sharing", True, date(2026, 1, 1)),)
        no = (ConsentData("partner sharing", False, date(2026, 2, 1)),)
        ids = [
            sv.people.create(
                PersonInput(
                    display_name="Ada Lovelace",
                    emails=(EmailData("ada@example.com"),),
                    tags=("speakers",),
                    consents=yes,
                )
            ),
            sv.people.create(PersonInput(display_name="Grace Hopper", consents=no)),
            sv.people.create(PersonInput(display_name="Alan Turing", tags=("speakers",))),
        ]
        cid = sv.communities.create(CommunityInput("Rust Berlin"))
        sv.communities.add_member(cid, ids)
    finally:
        sv.close()
    return path


def _one_line_error(err: str) -> None:
    assert err.startswith("crm: ") and err.count("\n") == 1 and "Traceback" not in err, err


def test_import_prints_a_summary_and_exits_0(db_file: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "new.csv"
    f.write_text("Name,Email\nMary Shelley,mary@example.com\nAda L,ADA@example.com\n")
    assert main(["import", "--db", str(db_file), str(f)]) == 0
    out = capsys.readouterr().out
    assert "1 added, 1 merged, 0 skipped, 0 rejected" in out


def test_import_skip_and_add_on_duplicates(db_file: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "dup.csv"
    f.write_text("Name,Email\nAda L,ada@example.com\n")
    assert main(["import", "--db", str(db_file), "--on-duplicate", "skip", str(f)]) == 0
    assert "0 added, 0 merged, 1 skipped" in capsys.readouterr().out
    assert main(["import", "--db", str(db_file), "--on-duplicate", "add", str(f)]) == 0
    assert "1 added, 0 merged, 0 skipped" in capsys.readouterr().out


def test_import_adds_a_match_by_name_alone_unless_told(
    db_file: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "badges.csv"
    f.write_text(
        "Name,Email,Organisation\n"
        "David Chen,dchen@corp.example,Google\nDavid Chen,david@corp.example,Google\n"
    )
    assert main(["import", "--db", str(db_file), str(f)]) == 0
    assert "2 added, 0 merged, 0 skipped" in capsys.readouterr().out
    g = tmp_path / "more.csv"
    g.write_text(
        "Name,Email,Organisation\nAnn Lee,ann1@x.example,Acme\nAnn Lee,ann2@x.example,Acme\n"
    )
    args = ["import", "--db", str(db_file), "--on-similar-name", "merge", str(g)]
    assert main(args) == 0
    assert "1 added, 1 merged, 0 skipped" in capsys.readouterr().out


def test_import_with_rejected_records_lists_them_and_exits_1(
    db_file: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "some-bad.csv"
    f.write_text('Name,Email,Tags\nGood One,good@example.com,\n,,only-a-tag\n"open,x@y.z,\n')
    assert main(["import", "--db", str(db_file), str(f)]) == 1
    captured = capsys.readouterr()
    assert "1 added, 0 merged, 0 skipped, 2 rejected" in captured.out
    assert captured.err.splitlines() == [
        "some-bad.csv:3: no name, email, phone or organisation in this row",
        "some-bad.csv:4: a quote opens a field that never closes",
    ]


@pytest.mark.parametrize(
    ("content", "args"),
    [
        (b"\x00\x01\x02binary", []),
        (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", []),
        (b"Who,Mail\nA,a@b.c\n", ["--mapping", "no-such-mapping"]),
        (b"Name\nA\n", ["--format", "pdf"]),
    ],
)
def test_unusable_input_exits_2_with_one_line(
    db_file: Path, tmp_path: Path, capsys, content: bytes, args: list[str]
) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "input.csv"
    f.write_bytes(content)
    assert main(["import", "--db", str(db_file), *args, str(f)]) == 2
    _one_line_error(capsys.readouterr().err)


def test_unusable_file_among_several_changes_nothing(db_file: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.csv"
    good.write_text("Name\nNew Person\n")
    bad = tmp_path / "bad.vcf"
    bad.write_bytes(b"\xff\xfe\x00garbage\x00\x00")
    assert main(["import", "--db", str(db_file), str(good), str(bad)]) == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "bad.vcf" in err
    assert main(["search", "--db", str(db_file), "New Person"]) == 0
    assert "New Person" not in capsys.readouterr().out


def test_export_contacts_by_tag(db_file: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "speakers.csv"
    argv = ["export", "contacts", "--db", str(db_file), "--format", "csv", "--out", str(out)]
    assert main([*argv, "--tag", "speakers", "--fields", "name,email"]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [r[rows[0].index("display_name")] for r in rows[1:]] == ["Ada Lovelace", "Alan Turing"]
    assert "2 contacts written" in capsys.readouterr().out


def test_partner_export_is_consent_gated_and_says_who_was_left_out(
    db_file: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "partner.vcf"
    argv = ["export", "contacts", "--db", str(db_file), "--format", "vcard3", "--out", str(out)]
    assert main([*argv, "--partner", "rust berlin", "--fields", "name,email"]) == 0
    captured = capsys.readouterr()
    text = out.read_text(encoding="utf-8")
    assert "Ada Lovelace" in text and "Grace" not in text and "Turing" not in text
    assert hashlib.sha256(out.read_bytes()).hexdigest() in captured.out
    assert sorted(captured.err.splitlines()) == [
        "left out: Alan Turing: no consent to partner sharing",
        "left out: Grace Hopper: consent withdrawn on 2026-02-01",
    ]
    sv = open_services(f"sqlite:///{db_file}")
    try:
        (entry,) = sv.exports.export_log()
        assert (entry.community, entry.count, entry.file) == ("Rust Berlin", 1, "partner.vcf")
    finally:
        sv.close()


@pytest.mark.parametrize(
    "extra",
    [
        ["--format", "vcard9"],
        ["--format", "csv", "--partner", "Nowhere", "--fields", "name"],
        ["--format", "csv", "--partner", "Rust Berlin"],
        ["--format", "csv", "--partner", "Rust Berlin", "--fields", "notes"],
        ["--format", "csv", "--community", "999"],
        ["--format", "csv", "--fields", ","],
    ],
)
def test_export_bad_arguments_exit_2(db_file: Path, tmp_path: Path, capsys, extra) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "x.csv"
    assert main(["export", "contacts", "--db", str(db_file), "--out", str(out), *extra]) == 2
    _one_line_error(capsys.readouterr().err)
    assert not out.exists()


def test_export_into_a_missing_folder_exits_2(db_file: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "nope" / "x.csv"
    assert (
        main(["export", "contacts", "--db", str(db_file), "--format", "csv", "--out", str(out)])
        == 2
    )
    _one_line_error(capsys.readouterr().err)
