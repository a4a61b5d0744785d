"""The People table's ORM-free reads: the same answers as PeopleService, and the
start-up prefetch that is used once, only for the question it answered."""

from __future__ import annotations

from collections.abc import Callable

from crm.services import Services
from crm.services.people_data import PeopleQuery


def test_reads_match_the_people_service(
    services: Services, make_person: Callable[..., int]
) -> None:
    for name in ("zed", "Ada", "bob", "Álvaro", "carol"):
        make_person(name, roles=("speaker",) if name != "bob" else ())
    services.fields.create("person", "Size", "number")
    for q in (
        PeopleQuery(),
        PeopleQuery(descending=True),
        PeopleQuery(role="speaker"),
        PeopleQuery(text="ca"),
        PeopleQuery(text="nobody-has-this"),
    ):
        ids = services.people_reads.query_ids(q)
        assert ids == services.people.query_ids(q)
        assert services.people_reads.rows(ids) == services.people.rows(ids)
    ids = services.people_reads.query_ids(PeopleQuery())
    # SQLite's NOCASE folds ASCII only, so the accented name sorts last.
    assert [r.name for r in services.people_reads.rows(ids)] == [
        "Ada",
        "bob",
        "carol",
        "zed",
        "Álvaro",
    ]
    assert services.people_reads.field_definitions("person") == services.fields.definitions()


def test_prefetch_answers_the_same_question_once(
    services: Services, make_person: Callable[..., int]
) -> None:
    ada = make_person("Ada")
    reads = services.people_reads
    reads.prefetch_ids(PeopleQuery())
    assert reads.query_ids(PeopleQuery()) == [ada]
    bob = make_person("Bob")  # a write after the prefetch was used: a fresh query sees it
    assert reads.query_ids(PeopleQuery()) == [ada, bob]


def test_prefetch_for_another_question_is_not_used(
    services: Services, make_person: Callable[..., int]
) -> None:
    ada, bob = make_person("Ada"), make_person("Bob")
    reads = services.people_reads
    reads.prefetch_ids(PeopleQuery())
    assert reads.query_ids(PeopleQuery(descending=True)) == [bob, ada]
    assert reads.query_ids(PeopleQuery()) == [ada, bob]
