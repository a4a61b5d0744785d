"""Search: turning typed text into FTS5 queries, ranking, and what each kind of hit shows."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm.services import Services
from crm.services.communities import CommunityInput
from crm.services.people_data import EmailData, HandleData
from crm.services.search import fts_query

# Modest example counts keep the suite quick; the shrinker still finds the edge cases.
FAST = settings(max_examples=150, deadline=None)


@pytest.fixture(scope="module")
def fts() -> Iterator[sqlite3.Connection]:
    """An FTS5 table built like person_fts, with a few rows to match against."""
    con = sqlite3.connect(":memory:")
    con.execute(
        "CREATE VIRTUAL TABLE doc USING fts5(name, notes, "
        "tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')"
    )
    con.executemany(
        "INSERT INTO doc VALUES (?, ?)",
        [("Ada Lovelace", "analytical engine"), ("Zoë Ångström", "naïve café"), ("李小龙", "")],
    )
    yield con
    con.close()


@pytest.mark.parametrize("typed", ["", "   ", "!!!", '"*-()', "\u0301"])
def test_no_words_means_no_query(typed: str) -> None:
    assert fts_query(typed) is None


def test_every_word_is_quoted_and_prefix_matched() -> None:
    assert fts_query('Ada "love*') == '"Ada"* "love"*'
    assert fts_query("NOT ada OR (grace)") == '"NOT"* "ada"* "OR"* "grace"*'


@FAST
@given(st.text(max_size=60))
def test_arbitrary_text_never_breaks_a_match_query(fts: sqlite3.Connection, typed: str) -> None:
    query = fts_query(typed)
    if query is not None:
        fts.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (query,)).fetchall()


@settings(
    max_examples=60,
    deadline=None,
    # The database is only read, so sharing one per test across examples is safe.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.text(max_size=40))
def test_arbitrary_text_never_breaks_any_search(services: Services, typed: str) -> None:
    services.search.search(typed)
    services.search.person_ids(typed)
    services.search.community_ids(typed)
    services.communities.query_ids(typed)


def test_accents_and_case_do_not_matter(fts: sqlite3.Connection) -> None:
    def match(typed: str) -> list[int]:
        q = fts_query(typed)
        assert q is not None
        return [r[0] for r in fts.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (q,))]

    assert match("zoe angstrom") == [2]
    assert match("NAIVE CAFE") == [2]
    assert match("Zoë") == [2]
    assert match("李小龙") == [3]


@FAST
@given(
    st.text(
        alphabet=st.characters(categories=["Lu", "Ll", "Lt", "Lo", "Nd", "Nl", "No", "Zs"]),
        min_size=1,
        max_size=20,
    )
)
def test_typing_what_was_stored_finds_it(typed: str) -> None:
    """Whatever letters a name has, typing the name finds it (Python and SQLite must agree
    on what a word is and on upper and lower case)."""
    con = sqlite3.connect(":memory:")
    try:
        con.execute(
            "CREATE VIRTUAL TABLE doc USING fts5(name, tokenize='unicode61 remove_diacritics 2')"
        )
        con.execute("INSERT INTO doc VALUES (?)", (typed,))
        query = fts_query(typed)
        if query is not None:
            assert con.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (query,)).fetchall() == [
                (1,)
            ]
    finally:
        con.close()


def test_turkish_dotted_capital_i_is_found(
    services: Services, make_person: Callable[..., int]
) -> None:
    pid = make_person("İlker Yılmaz")
    for typed in ["İlker", "ilker", "ILKER", "İl", "yılmaz"]:
        assert services.search.person_ids(typed) == [pid], typed


def test_people_are_found_by_every_part_of_their_record(
    services: Services, make_person: Callable[..., int]
) -> None:
    fid = services.fields.create("person", "Badge", "text")
    pid = make_person(
        "Ada Lovelace",
        given_name="Augusta",
        organisation="Analytical Engines",
        title="Countess",
        city="London",
        emails=(EmailData("ada@engines.org"),),
        handles=(HandleData("github", "enchantress"),),
        tags=("mathematics",),
        notes="wrote the first program",
        bio="poet's daughter",
        custom={fid: "golden-ticket"},
    )
    make_person("Someone Else")
    for words in [
        "augusta",
        "lovelace",
        "analyt",
        "countess",
        "london",
        "ada@engines",
        "engines.org",
        "enchant",
        "github",
        "mathem",
        "first program",
        "daughter",
        "golden ticket",
    ]:
        assert services.search.person_ids(words) == [pid], words


def test_name_matches_rank_above_note_matches(
    services: Services, make_person: Callable[..., int]
) -> None:
    in_notes = make_person("Bob Builder", notes="met at the Turing lecture")
    in_name = make_person("Alan Turing")
    assert services.search.person_ids("turing") == [in_name, in_notes]
    assert services.search.person_ids("turing", limit=1) == [in_name]


def test_search_returns_people_communities_and_interactions(
    services: Services, make_person: Callable[..., int], log_touch: Callable[..., int]
) -> None:
    pid = make_person("Nova Kim", organisation="Orbit Labs")
    archived = make_person("Nova Old")
    services.people.archive([archived])
    cid = services.communities.create(CommunityInput("Nova Society", kind="user group"))
    iid = log_touch([pid], "Novacon planning", datetime(2024, 4, 1, 10))
    hits = services.search.search("nova")
    assert [(h.kind, h.id) for h in hits] == [
        ("person", pid),
        ("community", cid),
        ("interaction", iid),
    ]
    assert (hits[0].title, hits[0].detail) == ("Nova Kim", "Orbit Labs")
    assert (hits[1].title, hits[1].detail) == ("Nova Society", "user group")
    assert services.search.search("nova", limit=1)[0].id == pid
    assert services.search.search("") == []


def test_person_edits_keep_search_in_step(
    services: Services, make_person: Callable[..., int]
) -> None:
    pid = make_person("Old Name", organisation="Before Inc")
    data = services.people.get(pid).to_input()
    services.people.update(pid, replace(data, display_name="New Name", organisation="After"))
    assert services.search.person_ids("before") == []
    assert services.search.person_ids("old") == []
    assert services.search.person_ids("after") == [pid]
    assert services.search.person_ids("new name") == [pid]
