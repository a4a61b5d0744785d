"""Tags: the list with counts, renaming and deleting, and search kept in step."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from crm.services import Changes, Services, ValidationError
from crm.services.people_data import PeopleQuery


def _people(services: Services, **query: object) -> list[int]:
    return services.people.query_ids(PeopleQuery(**query))  # type: ignore[arg-type]


def _tag_id(services: Services, name: str) -> int:
    (tag,) = [t for t in services.tags.all() if t.name == name]
    return tag.id


def test_all_lists_tags_with_counts_ignoring_case_in_order(
    services: Services, make_person: Callable[..., int]
) -> None:
    make_person("Ann", tags=("beta", "Alpha"))
    make_person("Ben", tags=("beta",))
    pid = make_person("Cat", tags=("gamma",))
    services.people.remove_tags([pid], ["gamma"])
    assert [(t.name, t.count) for t in services.tags.all()] == [
        ("Alpha", 1),
        ("beta", 2),
        ("gamma", 0),
    ]


def test_rename_updates_people_and_search(
    services: Services, make_person: Callable[..., int], changes: list[Changes]
) -> None:
    a = make_person("Ann", tags=("pyhton",))
    b = make_person("Ben", tags=("pyhton", "rust"))
    changes.clear()
    services.tags.rename(_tag_id(services, "pyhton"), "  python ")
    assert services.people.get(a).tags == ("python",)
    assert services.people.get(b).tags == ("python", "rust")
    assert _people(services, text="python") == [a, b]
    assert _people(services, text="pyhton") == []
    assert _people(services, tag="python") == [a, b]
    assert [sorted(c.areas) for c in changes] == [["people", "tags"]]


def test_rename_refuses_empty_and_taken_names(
    services: Services, make_person: Callable[..., int]
) -> None:
    pid = make_person("Ann", tags=("python", "rust"))
    rust = _tag_id(services, "rust")
    with pytest.raises(ValidationError) as err:
        services.tags.rename(rust, "python")
    assert set(err.value.errors) == {"name"}
    with pytest.raises(ValidationError) as err:
        services.tags.rename(rust, "   ")
    assert set(err.value.errors) == {"name"}
    assert services.people.get(pid).tags == ("python", "rust")
    services.tags.rename(rust, "rust")  # its own name is not "taken"
    assert services.people.get(pid).tags == ("python", "rust")


def test_delete_untags_people_and_updates_search(
    services: Services, make_person: Callable[..., int]
) -> None:
    a = make_person("Ann", tags=("wonderful", "keep"))
    b = make_person("Ben", tags=("wonderful",))
    services.tags.delete(_tag_id(services, "wonderful"))
    assert services.people.get(a).tags == ("keep",)
    assert services.people.get(b).tags == ()
    assert _people(services, text="wonderful") == []
    assert _people(services, text="keep") == [a]
    assert [t.name for t in services.tags.all()] == ["keep"]
    services.tags.delete(424242)  # an unknown tag is no error


def test_tags_match_without_regard_to_case(services) -> None:
    from crm.services.people_data import PeopleQuery, PersonInput

    a = services.people.create(PersonInput(given_name="Ada", tags=("python",)))
    b = services.people.create(PersonInput(given_name="Bea", tags=("Python", "PYTHON")))
    assert [t.name for t in services.tags.all()] == ["python"]
    assert services.people.get(b).tags == ("python",)
    assert sorted(services.people.query_ids(PeopleQuery(tag="python"))) == [a, b]
    services.people.remove_tags([a, b], ["PyThOn"])
    assert services.people.get(a).tags == () and services.people.get(b).tags == ()


def test_a_new_tag_on_a_person_announces_tags(services) -> None:
    from crm.services.people_data import PersonInput

    seen = []
    services.changes.subscribe(seen.append)
    services.people.create(PersonInput(given_name="Ada", tags=("rust",)))
    assert seen and seen[-1].touches("tags")
