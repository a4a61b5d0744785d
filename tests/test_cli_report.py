"""`crm report`: a PDF that opens, with a cover and one page per chart; clean refusals."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from crm.cli import main
from crm.services import open_services
from crm.services.reports import CHARTS


def page_count(pdf: bytes) -> int:
    """Pages of a PDF, from its page tree's /Count (matplotlib writes it uncompressed),
    checked against the /Type /Page objects."""
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf)]
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert counts and counts[0] == pages, (counts, pages)
    return pages


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(path), "--contacts", "300", "--seed", "3"]) == 0
    return path


def test_report_of_the_demo(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    out = tmp_path / "report.pdf"
    assert main(["report", "--db", str(demo_db), "--out", str(out), "--json"]) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert page_count(data) == 1 + len(CHARTS)
    told = json.loads(capsys.readouterr().out)
    assert told["pages"] == 9 and told["period"] == "12m"
    assert set(told["headlines"]) == set(CHARTS)
    assert int(told["headlines"]["membership"]["value"].replace(",", "")) > 0
    assert b"Community report" in data or b"/Title" in data


def test_an_empty_database_gives_a_sensible_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "empty.sqlite"
    open_services(f"sqlite:///{db}").close()
    out = tmp_path / "empty.pdf"
    assert main(["report", "--db", str(db), "--out", str(out), "--period", "all"]) == 0
    assert page_count(out.read_bytes()) == 9
    assert capsys.readouterr().out.strip() == f"{out}: 9 pages (all time)"
    services = open_services(f"sqlite:///{db}")
    try:
        report = services.reports.report("all")
    finally:
        services.close()
    assert all(c.empty for c in report.charts)  # each page says "No data yet"


def test_refusals_are_one_line_and_keep_the_old_file(
    demo_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    capsys.readouterr()
    missing = tmp_path / "no" / "such" / "folder" / "r.pdf"
    assert main(["report", "--db", str(demo_db), "--out", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("crm: ") and "no such folder" in err and err.count("\n") == 1
    nowhere = tmp_path / "never.sqlite"  # the folder is refused before any database work
    assert main(["report", "--db", str(nowhere), "--out", str(missing)]) == 2
    assert "no such folder" in capsys.readouterr().err and not nowhere.exists()
    assert main(["report", "--db", str(demo_db), "--out", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main(["report", "--db", str(demo_db), "--out", "x.pdf", "--period", "7y"]) == 2
    assert "Traceback" not in capsys.readouterr().err
    nodb = tmp_path / "missing.sqlite"
    assert main(["report", "--db", str(nodb), "--out", str(tmp_path / "r.pdf")]) == 2
    assert not (tmp_path / "r.pdf").exists() and not nodb.exists()
    old = tmp_path / "old.pdf"
    old.write_bytes(b"the old report")

    def full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("crm.services.io.atomic.os.replace", full)
    assert main(["report", "--db", str(demo_db), "--out", str(old)]) == 2
    assert "cannot write (No space left on device)" in capsys.readouterr().err
    assert old.read_bytes() == b"the old report"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".old.pdf")] == []
