"""Invitations: inviting (one, several, by tag/role/community), statuses, capacity,
attendance interactions on the timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from crm.models import utcnow
from crm.services import NotFound, Services, ValidationError
from crm.services.communities import CommunityInput
from crm.services.events import EventInput


def _make_event(services: Services, days: int = 10, **fields: object) -> int:
    start = (utcnow() + timedelta(days=days)).replace(hour=18, minute=0, second=0, microsecond=0)
    data = {
        "title": "Rust meetup",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "time_zone": "UTC",
    }
    data.update(fields)
    return services.events.create(EventInput(**data))  # type: ignore[arg-type]


def _scalar(services: Services, sql: str, **params: object) -> object:
    with services.db.read() as s:
        return s.execute(text(sql), params).scalar()


def test_invite_skips_those_already_invited(services: Services, make_person) -> None:
    a, b, c = make_person("Ann"), make_person("Bob"), make_person("Cy")
    eid = _make_event(services)
    first = services.invitations.invite(eid, [a, b, a])
    assert (first.changed, first.skipped) == (2, 0)
    again = services.invitations.invite(eid, [b, c], role="speaker")
    assert (again.changed, again.skipped) == (1, 1)
    assert again.summary() == "Invited 1 person; 1 already invited, skipped."
    rows = services.invitations.rows(services.invitations.query_ids(eid))
    assert [(r.name, r.role, r.status) for r in rows] == [
        ("Ann", "attendee", "not sent"),
        ("Bob", "attendee", "not sent"),
        ("Cy", "speaker", "not sent"),
    ]
    assert services.invitations.counts(eid) == {"not sent": 3}


def test_invite_refuses_bad_input_and_writes_nothing(services: Services, make_person) -> None:
    a = make_person("Ann")
    eid = _make_event(services)
    with pytest.raises(ValidationError):
        services.invitations.invite(eid, [a], role="king")
    with pytest.raises(ValidationError):
        services.invitations.invite(eid, [a, 999])
    with pytest.raises(ValidationError):
        services.invitations.invite(eid, [])
    with pytest.raises(NotFound):
        services.invitations.invite(eid + 1, [a])
    services.people.archive([a])
    with pytest.raises(ValidationError):
        services.invitations.invite(eid, [a])
    assert _scalar(services, "SELECT count(*) FROM invitation") == 0


def test_invite_by_tag_role_and_community(services: Services, make_person) -> None:
    rustacean = [make_person(f"R{i}", tags=("rust",)) for i in range(3)]
    speaker = make_person("Sam", roles=("speaker",), tags=("rust",))
    gone = make_person("Gone", tags=("rust",))
    services.people.archive([gone])
    other = make_person("Other", tags=("go",))
    cid = services.communities.create(CommunityInput("Rust Berlin"))
    services.communities.add_member(cid, [other, speaker])
    eid = _make_event(services)
    by_tag = services.invitations.invite_by(eid, tag="RUST")
    assert (by_tag.changed, by_tag.skipped) == (4, 0)  # not the archived one
    by_role = services.invitations.invite_by(eid, person_role="speaker", role="speaker")
    assert (by_role.changed, by_role.skipped) == (0, 1)
    by_community = services.invitations.invite_by(eid, community_id=cid, role="volunteer")
    assert (by_community.changed, by_community.skipped) == (1, 1)
    invited = {
        r.person_id: r.role for r in services.invitations.rows(services.invitations.query_ids(eid))
    }
    assert invited == {**dict.fromkeys([*rustacean, speaker], "attendee"), other: "volunteer"}
    with pytest.raises(ValidationError):
        services.invitations.invite_by(eid, tag="nobody-has-this")
    with pytest.raises(ValidationError):
        services.invitations.invite_by(eid)


def test_status_changes_set_the_dates(services: Services, make_person) -> None:
    a, b = make_person("Ann"), make_person("Bob")
    eid = _make_event(services)
    services.invitations.invite(eid, [a, b])
    ia, ib = services.invitations.query_ids(eid)
    services.invitations.set_status([ia, ib], "invited")
    row = services.invitations.rows([ia])[0]
    assert row.invited_at is not None and row.responded_at is None
    res = services.invitations.set_status([ia], "accepted")
    assert res.changed == 1
    row = services.invitations.rows([ia])[0]
    assert row.status == "accepted" and row.responded_at is not None
    res = services.invitations.set_status([ia, ib], "accepted")
    assert (res.changed, res.skipped) == (1, 1)
    services.invitations.set_status([ib], "not sent")
    row = services.invitations.rows([ib])[0]
    assert (row.invited_at, row.responded_at) == (None, None)
    assert services.invitations.counts(eid) == {"accepted": 1, "not sent": 1}
    with pytest.raises(ValidationError):
        services.invitations.set_status([ia], "maybe")
    with pytest.raises(NotFound):
        services.invitations.set_status([ia, 999], "declined")
    assert services.invitations.rows([ia])[0].status == "accepted"


def test_bulk_changes_stay_within_one_event(services: Services, make_person) -> None:
    a = make_person("Ann")
    e1, e2 = _make_event(services), _make_event(services, title="Other")
    services.invitations.invite(e1, [a])
    services.invitations.invite(e2, [a])
    ids = services.invitations.query_ids(e1) + services.invitations.query_ids(e2)
    with pytest.raises(ValidationError):
        services.invitations.set_status(ids, "invited")


def test_capacity_warning_comes_with_the_write(services: Services, make_person) -> None:
    people = [make_person(f"P{i}") for i in range(3)]
    eid = _make_event(services, capacity=2)
    services.invitations.invite(eid, people)
    ids = services.invitations.query_ids(eid)
    assert services.invitations.set_status(ids[:2], "accepted").warning is None
    res = services.invitations.set_status(ids[2:], "accepted")
    assert res.warning == "3 accepted or attended for 2 places: 1 over capacity."
    assert services.invitations.capacity_warning(eid) == res.warning
    unlimited = _make_event(services)
    services.invitations.invite(unlimited, people)
    more = services.invitations.query_ids(unlimited)
    assert services.invitations.set_status(more, "accepted").warning is None


def test_attendance_logs_and_unlogs_the_interaction(services: Services, make_person) -> None:
    a, b = make_person("Ann"), make_person("Bob")
    eid = _make_event(services, days=-3, title="Past meetup", location="Betahaus")
    starts = services.events.get(eid).starts_utc
    services.invitations.invite(eid, [a, b])
    ia, ib = services.invitations.query_ids(eid)
    services.invitations.set_status([ia, ib], "attended")
    timeline = services.interactions.timeline(a)
    assert len(timeline) == 1
    logged = timeline[0]
    assert (logged.kind, logged.summary, logged.occurred_at) == (
        "event attendance",
        "Attended Past meetup",
        starts,
    )
    assert logged.participants == ((a, "Ann"),)
    assert services.people.get(a).last_interaction == starts
    row = services.invitations.rows([ia])[0]
    assert row.attendance_logged
    iid = _scalar(services, "SELECT attendance_interaction_id FROM invitation WHERE id = :i", i=ia)
    assert iid == logged.id
    # Marking attended again does not log a second one.
    services.invitations.set_status([ia], "attended")
    assert services.interactions.timeline_count(a) == 1
    # Moving the event moves the interaction with it.
    detail = services.events.get(eid)
    later = detail.starts_at + timedelta(hours=1)
    services.events.update(
        eid,
        EventInput(
            detail.title, later, detail.ends_at + timedelta(hours=1), "UTC", location="Betahaus"
        ),
    )
    assert services.interactions.timeline(a)[0].occurred_at == starts + timedelta(hours=1)
    # No-show takes it back; last_interaction_at goes back to nothing.
    services.invitations.set_status([ia], "no-show")
    assert services.interactions.timeline_count(a) == 0
    assert services.people.get(a).last_interaction is None
    assert _scalar(services, "SELECT count(*) FROM interaction WHERE id = :i", i=iid) == 0
    assert not services.invitations.rows([ia])[0].attendance_logged
    # Removing an invitation removes its attendance interaction too.
    services.invitations.remove([ib])
    assert services.interactions.timeline_count(b) == 0
    assert services.invitations.query_ids(eid) == [ia]


def test_attendance_waits_for_the_event(services: Services, make_person) -> None:
    a = make_person("Ann")
    eid = _make_event(services, days=5)
    services.invitations.invite(eid, [a])
    with pytest.raises(ValidationError):
        services.invitations.set_status(services.invitations.query_ids(eid), "attended")
    assert services.interactions.timeline_count(a) == 0


def test_paged_reads_filter_and_sort(services: Services, make_person) -> None:
    people = [
        make_person("Zed", organisation="Acme"),
        make_person("Amy", organisation="Beta"),
        make_person("Max", organisation="Acme"),
    ]
    eid = _make_event(services)
    services.invitations.invite(eid, people)
    inv = services.invitations
    ids = inv.query_ids(eid)
    assert [r.name for r in inv.rows(ids)] == ["Amy", "Max", "Zed"]
    assert [r.name for r in inv.rows(inv.query_ids(eid, "acme"))] == ["Max", "Zed"]
    inv.set_status(ids[:1], "declined")
    assert [r.name for r in inv.rows(inv.query_ids(eid, status="declined"))] == ["Amy"]
    by_status = inv.rows(inv.query_ids(eid, sort="status", descending=True))
    assert by_status[0].name == "Amy"
    assert inv.set_role(ids[2:], "host") == 1
    assert [r.name for r in inv.rows(inv.query_ids(eid, role="host"))] == ["Zed"]
    assert [r.title for r in inv.for_person(people[0])] == ["Rust meetup"]
    services.events.archive([eid])
    assert inv.for_person(people[0]) == []


def test_many_invitations_in_one_write(services: Services, make_person) -> None:
    """The bulk path: one insert for many people, counted right."""
    base = [make_person(f"P{i:04}") for i in range(50)]
    eid = _make_event(services, days=-1)
    res = services.invitations.invite(eid, base)
    assert res.changed == 50
    ids = services.invitations.query_ids(eid)
    res = services.invitations.set_status(ids, "attended")
    assert res.changed == 50
    assert _scalar(services, "SELECT count(*) FROM interaction") == 50
    assert _scalar(services, "SELECT count(*) FROM person WHERE last_interaction_at IS NULL") == 0
    assert services.invitations.remove(ids) == 50
    assert _scalar(services, "SELECT count(*) FROM interaction") == 0


def test_deleting_an_interaction_finds_its_invitation_by_index(services: Services) -> None:
    """ON DELETE SET NULL on attendance_interaction_id runs for every interaction
    deleted anywhere; it must be an index lookup, not a scan of every invitation."""
    with services.db.read() as s:
        plan = " ".join(
            str(r[-1])
            for r in s.execute(
                text(
                    "EXPLAIN QUERY PLAN SELECT id FROM invitation "
                    "WHERE attendance_interaction_id = 1"
                )
            )
        )
    assert "USING" in plan and "INDEX" in plan, plan
