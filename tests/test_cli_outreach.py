"""`crm outreach`: the board and its conversion, as text and as JSON; bad input refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crm.cli import main
from crm.services import open_services
from crm.services.outreach_data import CardInput
from crm.services.people_data import PersonInput


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "cli.sqlite"
    sv = open_services(f"sqlite:///{path}")
    try:
        ada = sv.people.create(PersonInput(display_name="Ada Lovelace"))
        grace = sv.people.create(PersonInput(display_name="Grace Hopper"))
        card = sv.outreach.create(CardInput(ada, "Engines", next_step="Email"))
        sv.outreach.move(card, "contacted")
        sv.outreach.create(CardInput(grace, "Compilers"))
    finally:
        sv.close()
    return path


def test_outreach_text_and_json(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["outreach", "--db", str(db_file)]) == 0
    out = capsys.readouterr().out
    assert "identified 2 (50% on)" in out and "Ada Lovelace: Engines — next: Email" in out
    assert main(["outreach", "--db", str(db_file), "--json", "--search", "grace"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["person_name"] for c in data["cards"]["identified"]] == ["Grace Hopper"]
    assert data["cards"]["contacted"] == []
    assert data["conversion"]["stages"][1]["reached"] == 1


def test_outreach_refuses_an_unknown_event(
    db_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["outreach", "--db", str(db_file), "--event", "99"]) == 2
    err = capsys.readouterr().err
    assert err == "crm: --event: no event with id 99\n"
