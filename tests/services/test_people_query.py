"""The People table's query: filters, every sort in both directions, and rows by id."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest

from crm.services import Services
from crm.services.communities import CommunityInput
from crm.services.people_data import EmailData, PeopleQuery


def _ids(services: Services, **query: object) -> list[int]:
    return services.people.query_ids(PeopleQuery(**query))  # type: ignore[arg-type]


@pytest.fixture
def crowd(services: Services, make_person: Callable[..., int]) -> dict[str, int]:
    """Four people with overlapping words, roles, tags and a community."""
    ids = {
        "ada": make_person(
            "Ada Lovelace",
            organisation="Analytical Engines",
            emails=(EmailData("ada@engines.org"),),
            roles=("speaker",),
            tags=("python",),
        ),
        "adam": make_person("Adam Smith", organisation="Economics Ltd", roles=("member",)),
        "grace": make_person(
            "Grace Hopper", organisation="US Navy", roles=("speaker", "expert"), tags=("cobol",)
        ),
        "love": make_person("Lovelace Jr", notes="no relation to Ada", tags=("python",)),
    }
    cid = services.communities.create(CommunityInput("PyData London"))
    services.communities.add_member(cid, [ids["ada"], ids["grace"]])
    ids["community"] = cid
    return ids


def test_text_prefix_matching(services: Services, crowd: dict[str, int]) -> None:
    assert _ids(services, text="gra") == [crowd["grace"]]
    assert _ids(services, text="ada") == [crowd["ada"], crowd["adam"], crowd["love"]]  # notes too
    # One or two letters: names by prefix, other fields by whole word only.
    assert _ids(services, text="ad") == [crowd["ada"], crowd["adam"]]
    assert _ids(services, text="jr") == [crowd["love"]]
    assert _ids(services, text="us") == [crowd["grace"]]  # "US Navy"
    assert _ids(services, text="ENGINES") == [crowd["ada"]]  # organisation and email
    assert _ids(services, text="navy") == [crowd["grace"]]


def test_several_words_must_all_match(services: Services, crowd: dict[str, int]) -> None:
    assert _ids(services, text="ada love") == [crowd["ada"], crowd["love"]]
    assert _ids(services, text="lovelace analytical") == [crowd["ada"]]
    assert _ids(services, text="ada hopper") == []


@pytest.mark.parametrize(
    "typed",
    [
        '"',
        '"ada',
        "ada*",
        "*",
        "-",
        "-ada",
        "(",
        "ada)",
        "ada OR",
        "AND",
        "NOT ada",
        "NEAR(ada grace)",
        "name:ada",
        "^ada",
        "ada + grace",
        "{ada}",
        "'; DROP TABLE person; --",
        "ad\u0000a",
    ],
)
def test_search_syntax_in_user_input_never_raises(
    services: Services, crowd: dict[str, int], typed: str
) -> None:
    found = _ids(services, text=typed)
    assert set(found) <= {crowd["ada"], crowd["adam"], crowd["grace"], crowd["love"]}
    assert services.people.count() == 4


def test_quotes_and_stars_do_not_hide_the_words(services: Services, crowd: dict[str, int]) -> None:
    assert _ids(services, text='"grace"') == [crowd["grace"]]
    assert _ids(services, text="grace*") == [crowd["grace"]]
    assert _ids(services, text="(hopper)") == [crowd["grace"]]


def test_filters_by_role_tag_community_and_archived(
    services: Services, crowd: dict[str, int]
) -> None:
    assert _ids(services, role="speaker") == [crowd["ada"], crowd["grace"]]
    assert _ids(services, role="staff") == []
    assert _ids(services, tag="python") == [crowd["ada"], crowd["love"]]
    assert _ids(services, tag="nonexistent") == []
    assert _ids(services, community_id=crowd["community"]) == [crowd["ada"], crowd["grace"]]
    assert _ids(services, tag="python", role="speaker", text="love") == [crowd["ada"]]

    services.people.archive([crowd["ada"]])
    assert _ids(services, tag="python") == [crowd["love"]]
    assert _ids(services, archived=True) == [crowd["ada"]]
    assert _ids(services, archived=True, text="ada") == [crowd["ada"]]
    assert _ids(services, archived=True, text="grace") == []


@pytest.fixture
def sortable(
    services: Services, make_person: Callable[..., int], log_touch: Callable[..., int]
) -> tuple[list[int], int, int]:
    """Three people: low, high, and one with every sortable value empty.

    Returns ([low, high, empty], number field id, date field id).
    """
    num = services.fields.create("person", "Score", "number")
    day = services.fields.create("person", "Joined", "date")
    low = make_person(
        "alice",  # lower case: the name sort ignores case
        organisation="Acme",
        roles=("expert",),
        tags=("alpha",),
        next_follow_up=date(2024, 1, 1),
        custom={num: "2", day: "2020-05-01"},
    )
    high = make_person(
        "Bob",
        organisation="zeta corp",
        roles=("staff",),
        tags=("zulu",),
        next_follow_up=date(2025, 1, 1),
        custom={num: "10", day: "2023-01-01"},
    )
    empty = make_person("0 Empty")  # sorts first by name; every other column is empty
    a = services.communities.create(CommunityInput("Alpha Club"))
    z = services.communities.create(CommunityInput("Zulu Club"))
    services.communities.add_member(a, [low])
    services.communities.add_member(z, [high])
    log_touch([low], "old", datetime(2023, 1, 1))
    log_touch([high], "new", datetime(2024, 6, 1))
    return [low, high, empty], num, day


@pytest.mark.parametrize(
    "sort",
    [
        "roles",
        "organisation",
        "communities",
        "tags",
        "last_interaction",
        "next_follow_up",
        "field:num",
        "field:day",
    ],
)
def test_every_sort_both_ways_with_empty_values_last(
    services: Services, sortable: tuple[list[int], int, int], sort: str
) -> None:
    (low, high, empty), num, day = sortable
    sort = sort.replace("num", str(num)).replace("day", str(day))
    assert _ids(services, sort=sort) == [low, high, empty]
    assert _ids(services, sort=sort, descending=True) == [high, low, empty]


def test_name_sort_ignores_case(services: Services, sortable: tuple[list[int], int, int]) -> None:
    (low, high, empty), _, _ = sortable
    assert _ids(services, sort="name") == [empty, low, high]
    assert _ids(services, sort="name", descending=True) == [high, low, empty]


def test_number_field_sorts_by_value_not_text(
    services: Services, sortable: tuple[list[int], int, int]
) -> None:
    """ "2" < "10" as numbers; as text "10" would come first."""
    (low, high, _), num, _ = sortable
    assert _ids(services, sort=f"field:{num}")[:2] == [low, high]


def test_unknown_sort_is_refused(services: Services) -> None:
    with pytest.raises(ValueError, match="sort"):
        _ids(services, sort="shoe_size")


def test_rows_keep_the_requested_order_and_skip_missing_ids(
    services: Services, crowd: dict[str, int]
) -> None:
    wanted = [crowd["love"], 9999, crowd["ada"], crowd["grace"]]
    rows = services.people.rows(wanted)
    assert [r.id for r in rows] == [crowd["love"], crowd["ada"], crowd["grace"]]
    ada, grace = rows[1], rows[2]
    assert ada.name == "Ada Lovelace"
    assert ada.organisation == "Analytical Engines"
    assert ada.tags == ("python",)
    assert ada.communities == ("PyData London",)
    assert grace.roles == ("expert", "speaker")
    assert rows[0].communities == ()
    assert services.people.rows([]) == []


def test_rows_carry_last_interaction_and_follow_up(
    services: Services, sortable: tuple[list[int], int, int]
) -> None:
    (low, high, empty), num, day = sortable
    by_id = {r.id: r for r in services.people.rows([low, high, empty])}
    assert by_id[high].last_interaction == datetime(2024, 6, 1)
    assert by_id[high].next_follow_up == date(2025, 1, 1)
    assert by_id[high].custom == {num: "10", day: "2023-01-01"}
    assert by_id[empty].last_interaction is None
    assert by_id[empty].custom == {}
