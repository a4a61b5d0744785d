"""The timeline model: newest first, paged with fetchMore, and Qt's model checks."""

from __future__ import annotations

from datetime import datetime, timedelta

from crm.services.interactions import InteractionInput
from crm.services.people_data import PersonInput
from crm.ui.people.timeline_model import TimelineModel


def _log(services, pid: int, n: int) -> None:
    start = datetime(2025, 1, 1, 9, 0)
    for i in range(n):
        services.interactions.log(
            InteractionInput(
                kind="call",
                occurred_at=start + timedelta(days=i),
                participant_ids=(pid,),
                summary=f"Call {i:03d}",
            )
        )


def test_timeline_model_checks_and_paging(services, qtmodeltester) -> None:
    pid = services.people.create(PersonInput(display_name="Ann"))
    _log(services, pid, 120)
    model = TimelineModel(services)
    model.set_person(pid)
    assert model.total == 120
    assert model.rowCount() == model.PAGE
    assert model.row_at(0).summary == "Call 119"  # newest first
    qtmodeltester.check(model)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 120
    assert model.row_at(119).summary == "Call 000"
    qtmodeltester.check(model)


def test_timeline_of_nobody_is_empty(services, qtmodeltester) -> None:
    model = TimelineModel(services)
    model.set_person(None)
    assert model.rowCount() == 0 and not model.canFetchMore()
    qtmodeltester.check(model)
