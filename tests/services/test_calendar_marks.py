"""After an invitation file or email drafts are written, invitations still "not sent"
of the people they went to become "invited" (one transaction, notified, undoable)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from crm.services import ServiceError, Services
from crm.services.common import Changes
from tests.services.ics_data import (
    add_event,
    add_person,
    invitation,
    invite,
    set_organiser,
    update_event,
)

NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def _setup(services: Services) -> tuple[int, dict[str, int]]:
    set_organiser(services)
    eid = add_event(services, "Go Night", status="announced")
    inv = {
        "new": invite(
            services, eid, add_person(services, "New", "new@example.org"), status="not sent"
        ),
        "new2": invite(
            services, eid, add_person(services, "Two", "two@example.org"), status="not sent"
        ),
        "sent": invite(services, eid, add_person(services, "Sent", "sent@example.org")),
        "yes": invite(
            services, eid, add_person(services, "Yes", "yes@example.org"), status="accepted"
        ),
        "nomail": invite(services, eid, add_person(services, "No Mail"), status="not sent"),
        "trash": invite(
            services,
            eid,
            add_person(services, "Gone", "g@example.org", archived=True),
            status="not sent",
        ),
    }
    return eid, inv


def _statuses(services: Services, inv: dict[str, int]) -> dict[str, str]:
    return {k: invitation(services, i).status for k, i in inv.items()}


def _changes(services: Services) -> list[Changes]:
    seen: list[Changes] = []
    services.changes.subscribe(seen.append)
    return seen


def test_export_marks_the_not_sent_it_went_to(services: Services, tmp_path: Path) -> None:
    eid, inv = _setup(services)
    other = add_event(services, "Other")
    elsewhere = invite(
        services, other, add_person(services, "Else", "e@example.org"), status="not sent"
    )
    seen = _changes(services)
    result = services.calendar.export_invitations(eid, tmp_path / "inv.ics", now=NOW)
    assert sorted(result.marked.invitation_ids) == sorted([inv["new"], inv["new2"]])
    assert _statuses(services, inv) == {
        "new": "invited",
        "new2": "invited",
        "sent": "invited",
        "yes": "accepted",
        "nomail": "not sent",  # the file cannot reach them
        "trash": "not sent",
    }
    assert invitation(services, inv["new"]).invited_at == datetime(2025, 3, 1, 9, 30)
    assert invitation(services, inv["sent"]).invited_at is None  # not touched
    assert invitation(services, elsewhere).status == "not sent"
    assert any({"invitations", "events"} <= c.areas and eid in c.ids for c in seen)


def test_no_mark_leaves_them(services: Services, tmp_path: Path) -> None:
    eid, inv = _setup(services)
    seen = _changes(services)
    result = services.calendar.export_invitations(eid, tmp_path / "inv.ics", mark=False)
    assert len(result.marked) == 0
    assert _statuses(services, inv)["new"] == "not sent"
    assert seen == []


def test_a_cancellation_marks_nothing(services: Services, tmp_path: Path) -> None:
    eid, inv = _setup(services)
    update_event(services, eid, status="cancelled")
    result = services.calendar.export_invitations(eid, tmp_path / "inv.ics")
    assert result.method == "CANCEL" and len(result.marked) == 0
    assert _statuses(services, inv)["new"] == "not sent"


def test_a_failed_write_marks_nothing(services: Services, tmp_path: Path) -> None:
    eid, inv = _setup(services)
    with pytest.raises((ServiceError, OSError)):
        services.calendar.export_invitations(eid, tmp_path / "missing" / "inv.ics")
    assert _statuses(services, inv)["new"] == "not sent"


def test_drafts_mark_too_and_only_once_written(services: Services, tmp_path: Path) -> None:
    eid, inv = _setup(services)
    with pytest.raises(ServiceError, match="Cancelled"):
        services.calendar.write_drafts(eid, tmp_path / "d0", cancelled=lambda: True)
    assert _statuses(services, inv)["new"] == "not sent"
    result = services.calendar.write_drafts(eid, tmp_path / "d1", now=NOW)
    assert len(result.files) == 4
    assert sorted(result.marked.invitation_ids) == sorted([inv["new"], inv["new2"]])
    assert _statuses(services, inv)["new2"] == "invited"
    again = services.calendar.write_drafts(eid, tmp_path / "d2", now=NOW)
    assert len(again.marked) == 0  # nothing left "not sent" to reach


def test_undo_and_redo_of_the_marking(services: Services, tmp_path: Path) -> None:
    eid, inv = _setup(services)
    result = services.calendar.export_invitations(eid, tmp_path / "inv.ics", now=NOW)
    # Meanwhile one of them answered: undo leaves that answer alone.
    services.invitations.set_status([inv["new2"]], "declined")
    assert services.calendar.unmark_invited(result.marked) == 1
    assert _statuses(services, inv)["new"] == "not sent"
    assert invitation(services, inv["new"]).invited_at is None
    assert _statuses(services, inv)["new2"] == "declined"
    assert services.calendar.mark_invited_again(result.marked) == 1
    assert _statuses(services, inv)["new"] == "invited"
    assert invitation(services, inv["new"]).invited_at == datetime(2025, 3, 1, 9, 30)
    assert _statuses(services, inv)["new2"] == "declined"
