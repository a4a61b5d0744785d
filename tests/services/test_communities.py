"""Partner communities: details, validation, members and liaisons, sorting, Trash, search."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

from crm.services import Changes, NotFound, Services, ValidationError
from crm.services.communities import CommunityInput


def test_create_update_and_read_back(services: Services) -> None:
    cid = services.communities.create(
        CommunityInput(
            "  Rust Berlin ",
            kind="user group",
            status="active",
            website="rust.berlin",
            size=420,
            notes=" monthly meetups ",
        )
    )
    c = services.communities.get(cid)
    assert (c.name, c.kind, c.status, c.website, c.size, c.notes) == (
        "Rust Berlin",
        "user group",
        "active",
        "https://rust.berlin",
        420,
        "monthly meetups",
    )
    assert c.archived_at is None

    services.communities.update(cid, replace(c.to_input(), status="paused", website="http://x.org"))
    c = services.communities.get(cid)
    assert (c.status, c.website) == ("paused", "http://x.org")
    with pytest.raises(NotFound):
        services.communities.get(cid + 1)
    with pytest.raises(NotFound):
        services.communities.update(cid + 1, CommunityInput("Ghost"))


@pytest.mark.parametrize(
    ("data", "keys"),
    [
        (CommunityInput(""), {"name"}),
        (CommunityInput("X", kind="cult"), {"kind"}),
        (CommunityInput("X", status="frenemies"), {"status"}),
        (CommunityInput("X", size=-1), {"size"}),
        (CommunityInput(" ", kind="?", status="?", size=-5), {"name", "kind", "status", "size"}),
    ],
)
def test_validation_writes_nothing(
    services: Services,
    snapshot: Callable[[], dict[str, int]],
    data: CommunityInput,
    keys: set[str],
) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        services.communities.create(data)
    assert set(err.value.errors) == keys
    assert snapshot() == before


def test_custom_fields_on_communities(services: Services) -> None:
    fid = services.fields.create("community", "Tier", "choice", ["gold", "silver"])
    cid = services.communities.create(CommunityInput("Sponsor Co", custom={fid: "gold"}))
    assert [(f.name, f.value) for f in services.communities.get(cid).custom] == [("Tier", "gold")]
    assert services.communities.query_ids("gold") == [cid]
    with pytest.raises(ValidationError) as err:
        services.communities.update(cid, CommunityInput("Sponsor Co", custom={fid: "bronze"}))
    assert set(err.value.errors) == {f"custom:{fid}"}
    assert services.communities.get(cid).custom[0].value == "gold"


def test_members_and_liaisons(services: Services, make_person: Callable[..., int]) -> None:
    zed, amy, bob = make_person("Zed"), make_person("Amy"), make_person("Bob")
    cid = services.communities.create(CommunityInput("PyLadies"))
    services.communities.add_member(cid, [amy, bob, amy], since=date(2023, 1, 1))
    services.communities.add_member(cid, [zed], role="liaison")

    members = services.communities.get(cid).members
    # Liaisons first, then everyone else by name.
    assert [(m.name, m.role) for m in members] == [
        ("Zed", "liaison"),
        ("Amy", "member"),
        ("Bob", "member"),
    ]
    assert members[1].since == date(2023, 1, 1)
    assert members[0].since == date.today()
    (row,) = services.communities.rows([cid])
    assert (row.members, row.liaisons) == (3, ("Zed",))
    assert [(m.community_name, m.role) for m in services.people.get(zed).communities] == [
        ("PyLadies", "liaison")
    ]

    services.communities.add_member(cid, [amy], role="liaison")  # a new role, not a new row
    (row,) = services.communities.rows([cid])
    assert (row.members, row.liaisons) == (3, ("Amy", "Zed"))

    services.communities.remove_member(cid, [zed, bob])
    assert [m.name for m in services.communities.get(cid).members] == ["Amy"]
    assert services.people.get(zed).communities == ()


def test_member_errors(services: Services, make_person: Callable[..., int]) -> None:
    pid = make_person("Amy")
    cid = services.communities.create(CommunityInput("PyLadies"))
    with pytest.raises(ValidationError) as err:
        services.communities.add_member(cid, [pid], role="overlord")
    assert set(err.value.errors) == {"role"}
    with pytest.raises(NotFound):
        services.communities.add_member(cid + 1, [pid])
    with pytest.raises(NotFound):
        services.communities.add_member(cid, [pid, 777])
    assert services.communities.get(cid).members == ()


def test_sorting(services: Services, make_person: Callable[..., int]) -> None:
    people = [make_person(f"P{i}") for i in range(3)]
    big = services.communities.create(
        CommunityInput("beta", kind="sponsor", status="active", size=900)
    )
    small = services.communities.create(
        CommunityInput("Alpha", kind="company", status="prospect", size=10)
    )
    unknown = services.communities.create(CommunityInput("Gamma", kind="media", status="ended"))
    services.communities.add_member(big, people)
    services.communities.add_member(small, people[:1])

    q = services.communities.query_ids
    assert q(sort="name") == [small, big, unknown]  # case ignored
    assert q(sort="name", descending=True) == [unknown, big, small]
    assert q(sort="kind") == [small, unknown, big]
    assert q(sort="status") == [big, unknown, small]
    assert q(sort="size") == [small, big, unknown]  # no size: last
    assert q(sort="size", descending=True) == [big, small, unknown]  # still last
    assert q(sort="members", descending=True) == [big, small, unknown]
    assert q(kind="company") == [small]


def test_archive_restore_purge(services: Services, make_person: Callable[..., int]) -> None:
    pid = make_person("Amy")
    keep = services.communities.create(CommunityInput("Keepers"))
    gone = services.communities.create(CommunityInput("Goners", notes="defunct"))
    services.communities.add_member(gone, [pid])

    assert services.communities.purge([gone]) == 0  # not in the Trash yet
    assert services.communities.archive([gone]) == 1
    assert services.communities.archive([gone]) == 0
    assert services.communities.count() == 1
    assert services.communities.count(archived=True) == 1
    assert services.communities.query_ids() == [keep]
    assert services.communities.query_ids(archived=True) == [gone]
    assert [n for _, n in services.communities.all_names()] == ["Keepers"]

    assert services.communities.restore([gone]) == 1
    assert services.communities.query_ids() == [gone, keep]

    services.communities.archive([gone])
    assert services.communities.purge([gone, keep]) == 1
    with pytest.raises(NotFound):
        services.communities.get(gone)
    assert services.communities.get(keep).name == "Keepers"
    assert services.people.get(pid).communities == ()
    assert services.communities.query_ids("defunct", archived=True) == []
    assert services.people.get(pid).display_name == "Amy"  # people stay


def test_search(services: Services) -> None:
    rust = services.communities.create(
        CommunityInput(
            "Rust Berlin", kind="user group", website="rust.berlin", notes="Meets at c-base"
        )
    )
    py = services.communities.create(CommunityInput("PyData", kind="partner community"))
    assert services.communities.query_ids("rus") == [rust]
    assert services.communities.query_ids("c-base") == [rust]
    assert services.communities.query_ids("partner") == [py]  # the kind is searchable
    assert services.communities.query_ids('"(') == [py, rust]  # no words: no filter
    assert [h.id for h in services.search.search("berlin") if h.kind == "community"] == [rust]

    services.communities.update(rust, CommunityInput("Rust Munich", kind="user group"))
    assert services.communities.query_ids("berlin") == []
    assert services.communities.query_ids("munich") == [rust]

    services.communities.archive([rust])
    assert services.search.community_ids("munich") == []
    assert services.search.community_ids("munich", archived=True) == [rust]


def test_changes_are_announced(
    services: Services, make_person: Callable[..., int], changes: list[Changes]
) -> None:
    pid = make_person("Amy")
    cid = services.communities.create(CommunityInput("X"))
    services.communities.add_member(cid, [pid])
    services.communities.archive([cid])
    seen = [sorted(c.areas) for c in changes]
    assert seen == [
        ["people", "tags"],
        ["communities"],
        ["communities", "people"],
        ["communities", "people", "trash"],
    ]


def test_people_in_the_trash_are_not_counted_as_members(services) -> None:
    from crm.services.communities import CommunityInput
    from crm.services.people_data import PersonInput

    cid = services.communities.create(CommunityInput(name="Rustaceans"))
    kept = services.people.create(PersonInput(given_name="Kept"))
    gone = services.people.create(PersonInput(given_name="Gone"))
    services.communities.add_member(cid, [kept])
    services.communities.add_member(cid, [gone], role="liaison")
    services.people.archive([gone])
    row = services.communities.rows([cid])[0]
    assert row.members == 1
    assert row.liaisons == ()
    assert [m.name for m in services.communities.get(cid).members] == ["Kept"]
    services.people.restore([gone])
    assert services.communities.rows([cid])[0].members == 2
