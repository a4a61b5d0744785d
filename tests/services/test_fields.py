"""Custom fields: defining them, setting values from the detail panel, search, deletion."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from crm.services import Changes, NotFound, Services, ValidationError
from crm.services.communities import CommunityInput
from crm.services.people_data import PeopleQuery


def _people(services: Services, words: str) -> list[int]:
    return services.people.query_ids(PeopleQuery(text=words))


def test_definitions_in_creation_order_per_entity(services: Services) -> None:
    a = services.fields.create("person", " Shirt size ", "choice", ["S", " M ", "", "L"])
    b = services.fields.create("person", "Joined", "date")
    c = services.fields.create("community", "Joined", "date")  # same name, other entity
    defs = services.fields.definitions("person")
    assert [(f.id, f.name, f.type) for f in defs] == [
        (a, "Shirt size", "choice"),
        (b, "Joined", "date"),
    ]
    assert defs[0].choices == ("S", "M", "L")
    assert [f.id for f in services.fields.definitions("community")] == [c]


@pytest.mark.parametrize(
    ("args", "keys"),
    [
        (("person", "", "text"), {"name"}),
        (("person", "Age", "integer"), {"type"}),
        (("person", "Tier", "choice"), {"choices"}),
        (("event", "Room", "text"), {"entity"}),
        (("person", "shirt SIZE", "text"), {"name"}),  # already exists, whatever the case
    ],
)
def test_definition_validation(
    services: Services,
    snapshot: Callable[[], dict[str, int]],
    args: tuple[str, str, str],
    keys: set[str],
) -> None:
    services.fields.create("person", "Shirt size", "text")
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        services.fields.create(*args)
    assert set(err.value.errors) == keys
    assert snapshot() == before


def test_set_value_validates_stores_and_is_searchable(
    services: Services, make_person: Callable[..., int]
) -> None:
    fid = services.fields.create("person", "Employer ID", "number")
    pid = make_person("Ann")
    services.fields.set_value(fid, pid, " 4,711 ")
    assert services.people.get(pid).custom[0].value == "4711"
    assert _people(services, "4711") == [pid]

    with pytest.raises(ValidationError) as err:
        services.fields.set_value(fid, pid, "forty")
    assert set(err.value.errors) == {f"custom:{fid}"}
    assert services.people.get(pid).custom[0].value == "4711"

    services.fields.set_value(fid, pid, "12")
    assert _people(services, "4711") == []
    assert _people(services, "12") == [pid]

    services.fields.set_value(fid, pid, "")
    assert services.people.get(pid).custom[0].value == ""
    assert _people(services, "12") == []

    with pytest.raises(NotFound):
        services.fields.set_value(fid + 100, pid, "1")


def test_set_value_for_someone_who_does_not_exist_is_refused(
    services: Services, make_person: Callable[..., int], count_rows: Callable[[str], int]
) -> None:
    fid = services.fields.create("person", "Badge", "text")
    cfid = services.fields.create("community", "Tier", "text")
    pid = make_person("Ann")
    with pytest.raises(NotFound):
        services.fields.set_value(fid, pid + 1, "stale")
    with pytest.raises(NotFound):
        services.fields.set_value(cfid, pid, "a person is not a community")
    assert count_rows("field_value") == 0
    # The next person to be created (who may get that id) starts clean.
    assert services.people.get(make_person("Ben")).custom[0].value == ""


def test_text_values_are_searchable_for_communities(services: Services) -> None:
    fid = services.fields.create("community", "Meeting place", "text")
    cid = services.communities.create(CommunityInput("Rustaceans"))
    services.fields.set_value(fid, cid, "Kreuzberg")
    assert services.communities.query_ids("kreuz") == [cid]


def test_deleting_a_field_removes_its_values_and_their_search(
    services: Services, make_person: Callable[..., int], count_rows: Callable[[str], int]
) -> None:
    fid = services.fields.create("person", "Favourite language", "text")
    keep = services.fields.create("person", "City district", "text")
    pid = make_person("Ann", custom={fid: "Haskell", keep: "Mitte"})
    assert _people(services, "haskell") == [pid]

    services.fields.delete(fid)
    assert [f.id for f in services.fields.definitions("person")] == [keep]
    assert [(f.name, f.value) for f in services.people.get(pid).custom] == [
        ("City district", "Mitte")
    ]
    assert count_rows("field_value") == 1
    assert _people(services, "haskell") == []
    assert _people(services, "mitte") == [pid]
    services.fields.delete(fid)  # twice is harmless


def test_field_changes_are_announced(
    services: Services, make_person: Callable[..., int], changes: list[Changes]
) -> None:
    pid = make_person("Ann")
    changes.clear()
    fid = services.fields.create("person", "X", "text")
    services.fields.set_value(fid, pid, "y")
    services.fields.delete(fid)
    assert [sorted(c.areas) for c in changes] == [
        ["fields", "people"],
        ["people"],
        ["fields", "people"],
    ]
    assert changes[1].ids == frozenset({pid})
