"""Bulk actions on selected people, the Trash, and the change notices views refresh from."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from crm.services import Changes, NotFound, Services, ValidationError
from crm.services.communities import CommunityInput
from crm.services.people_data import PeopleQuery, PersonInput


def _ids(services: Services, **query: object) -> list[int]:
    return services.people.query_ids(PeopleQuery(**query))  # type: ignore[arg-type]


def test_bulk_add_and_remove_tags(services: Services, make_person: Callable[..., int]) -> None:
    a, b, c = make_person("Ann", tags=("old",)), make_person("Ben"), make_person("Cat")
    services.people.add_tags([a, b], ["vip", " speaker-2025 ", "vip"])
    services.people.add_tags([a], ["vip"])  # adding again is harmless
    assert services.people.get(a).tags == ("old", "speaker-2025", "vip")
    assert services.people.get(b).tags == ("speaker-2025", "vip")
    assert services.people.get(c).tags == ()
    assert _ids(services, tag="vip") == [a, b]
    assert _ids(services, text="speaker") == [a, b]  # search sees new tags at once

    services.people.remove_tags([a, b, c], [" vip "])  # read the same way as when adding
    assert services.people.get(a).tags == ("old", "speaker-2025")
    assert services.people.get(b).tags == ("speaker-2025",)
    assert _ids(services, tag="vip") == []
    assert _ids(services, text="vip") == []


def test_set_role_on_and_off(services: Services, make_person: Callable[..., int]) -> None:
    a, b = make_person("Ann", roles=("member",)), make_person("Ben")
    services.people.set_role([a, b], "speaker")
    services.people.set_role([a, b], "speaker")
    assert services.people.get(a).roles == ("member", "speaker")
    assert services.people.get(b).roles == ("speaker",)
    assert _ids(services, role="speaker") == [a, b]

    services.people.set_role([a, b], "speaker", on=False)
    assert services.people.get(a).roles == ("member",)
    assert services.people.get(b).roles == ()
    with pytest.raises(ValidationError) as err:
        services.people.set_role([a], "overlord")
    assert set(err.value.errors) == {"role"}


def test_archive_restore_and_counts(services: Services, make_person: Callable[..., int]) -> None:
    a, b = make_person("Ann"), make_person("Ben")
    assert services.people.archive([a]) == 1
    assert services.people.archive([a]) == 0  # already in the Trash
    assert services.people.count() == 1
    assert services.people.count(archived=True) == 1
    assert _ids(services) == [b]
    assert _ids(services, archived=True) == [a]
    assert services.people.get(a).archived_at is not None
    assert services.search.person_ids("ann") == []
    assert services.search.person_ids("ann", archived=True) == [a]

    assert services.people.restore([a, b]) == 1  # only Ann was in the Trash
    assert services.people.get(a).archived_at is None
    assert _ids(services) == [a, b]


def test_purge_only_from_trash(
    services: Services, make_person: Callable[..., int], count_rows: Callable[[str], int]
) -> None:
    a = make_person("Ann")
    assert services.people.purge([a]) == 0
    assert services.people.get(a).display_name == "Ann"
    assert count_rows("person") == 1


def test_purge_removes_person_everywhere_but_keeps_shared_interactions(
    services: Services,
    make_person: Callable[..., int],
    log_touch: Callable[..., int],
    count_rows: Callable[[str], int],
) -> None:
    fid = services.fields.create("person", "Shirt size", "text")
    gone = make_person("Gone Gary", tags=("alumni",), custom={fid: "XL"}, roles=("speaker",))
    stays = make_person("Staying Sue")
    cid = services.communities.create(CommunityInput("Rust Berlin"))
    services.communities.add_member(cid, [gone, stays])
    services.people.add_relationship(gone, stays, "works with")
    only_gary = log_touch([gone], "coffee with Gary", datetime(2024, 1, 5, 10))
    shared = log_touch([gone, stays], "planning call", datetime(2024, 2, 1, 9))

    services.people.archive([gone])
    assert services.people.purge([gone]) == 1

    assert count_rows("person") == 1
    assert services.interactions.count() == 1
    with pytest.raises(NotFound):
        services.interactions.get(only_gary)
    kept = services.interactions.get(shared)
    assert kept.participants == ((stays, "Staying Sue"),)
    assert [r.id for r in services.interactions.timeline(stays)] == [shared]
    assert services.people.get(stays).relationships == ()
    assert services.communities.get(cid).members[0].person_id == stays
    assert len(services.communities.get(cid).members) == 1
    assert count_rows("field_value") == 0
    assert count_rows("person_fts") == 1
    assert services.search.person_ids("gary", archived=True) == []
    assert [h.id for h in services.search.search("coffee")] == []
    assert services.tags.all()[0].count == 0


def test_changes_are_announced_with_their_areas(
    services: Services,
    make_person: Callable[..., int],
    log_touch: Callable[..., int],
    changes: list[Changes],
) -> None:
    a = make_person("Ann")
    b = make_person("Ben")
    services.people.add_tags([a], ["x"])
    services.people.set_role([b], "staff")
    log_touch([a, b], "met", datetime(2024, 1, 1))
    services.people.archive([a])
    services.people.restore([a])
    services.people.archive([a])
    services.people.purge([a])

    seen = [(sorted(c.areas), sorted(c.ids)) for c in changes]
    assert seen == [
        (["people", "tags"], [a]),
        (["people", "tags"], [b]),
        (["people", "tags"], [a]),
        (["people"], [b]),
        (["interactions", "people"], [a, b]),
        (["people", "trash"], [a]),
        (["people", "trash"], [a]),
        (["people", "trash"], [a]),
        (["interactions", "people", "trash"], [a]),
    ]
    assert changes[2].touches("tags") and not changes[2].touches("communities")


def test_refused_write_announces_nothing(
    services: Services, make_person: Callable[..., int], changes: list[Changes]
) -> None:
    a = make_person("Ann")
    changes.clear()
    with pytest.raises(ValidationError):
        services.people.set_role([a], "nope")
    with pytest.raises(ValidationError):
        services.people.update(a, PersonInput())
    assert changes == []
