"""The same person twice in one import — twice in a file, or once in each of two files —
is matched like a person already in Rapport and, merged, becomes ONE new person."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from crm.services import Services
from crm.services import imports_apply as apply_mod
from crm.services.people_data import EmailData

HEADER = "Name,Email,Phone,Organisation,Tags\n"


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def card(name: str, *lines: str) -> str:
    body = "".join(f"{line}\r\n" for line in lines)
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\n{body}END:VCARD\r\n"


def _people(services: Services) -> list[tuple[int, str]]:
    with services.db.session() as s:
        return [tuple(r) for r in s.execute(text("SELECT id, display_name FROM person"))]  # type: ignore[misc]


def test_the_same_email_twice_in_one_file_is_one_new_person(
    services: Services, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "members.csv",
        HEADER
        + "Ada Lovelace,ada@example.com,,Analytical,python\n"
        + "Bob Stone,bob@example.com,,,\n"
        + "Ada Lovelace,ADA@Example.com,+44 20 7946 0000,,maths\n",
    )
    plan = services.imports.plan([path])
    assert [m for m in plan.items[0].matches] == []
    (match,) = plan.items[2].matches
    assert (match.person_id, match.item, match.reason, match.name) == (
        None,
        0,
        "same email",
        "Ada Lovelace",
    )
    report = services.imports.apply(plan)
    assert (report.added, report.merged, report.skipped) == (2, 1, 0)
    assert sorted(n for _, n in _people(services)) == ["Ada Lovelace", "Bob Stone"]
    (ada_id,) = services.search.person_ids("Lovelace")
    ada = services.people.get(ada_id)
    assert [e.address for e in ada.emails] == ["ada@example.com"]  # not twice
    assert [p.number for p in ada.phones] == ["+442079460000"]  # from the second row
    assert set(ada.tags) == {"python", "maths"}
    assert ada.organisation == "Analytical"
    # The search document holds what the merge added (found by the second row's tag).
    assert services.search.person_ids("maths") == [ada_id]
    assert sorted(report.person_ids) == sorted(i for i, _ in _people(services))


def test_the_same_person_in_a_vcard_and_a_csv_of_one_import(
    services: Services, tmp_path: Path
) -> None:
    vcf = write(
        tmp_path,
        "phone.vcf",
        card("Grace Hopper", "TEL;TYPE=CELL:+1 (650) 253-0000", "UID:urn:uuid:grace-1"),
    )
    csv = write(tmp_path, "sheet.csv", HEADER + "G. Hopper,grace@navy.example,6502530000,Navy,\n")
    report = services.imports.import_files([vcf, csv])
    assert (report.added, report.merged) == (1, 1)
    [(pid, name)] = _people(services)
    g = services.people.get(pid)
    assert name == "Grace Hopper" and g.uid == "urn:uuid:grace-1"
    assert [e.address for e in g.emails] == ["grace@navy.example"]
    assert g.organisation == "Navy"
    assert "Imported name: G. Hopper" in g.notes  # the other spelling is kept, not lost


def test_the_same_uid_twice_is_matched(services: Services, tmp_path: Path) -> None:
    cards = card("Ann Lee", "UID:ann-1", "EMAIL:ann@a.example") + card(
        "Ann Lee-Smith", "UID:ann-1", "EMAIL:ann@b.example"
    )
    plan = services.imports.plan([write(tmp_path, "two.vcf", cards)])
    (match,) = plan.items[1].matches
    assert (match.item, match.reason) == (0, "same UID")
    services.imports.apply(plan)
    [(pid, _)] = _people(services)
    assert {e.address for e in services.people.get(pid).emails} == {
        "ann@a.example",
        "ann@b.example",
    }


def test_skip_and_add_choices_apply_to_records_matched_within_the_batch(
    services: Services, tmp_path: Path
) -> None:
    rows = "A One,a@example.com,,,\nA Two,a@example.com,,,\nA Three,a@example.com,,,\n"
    plan = services.imports.plan([write(tmp_path, "a.csv", HEADER + rows)])
    report = services.imports.apply(plan, {1: "skip", 2: "add"})
    assert (report.added, report.merged, report.skipped) == (2, 0, 1)
    assert sorted(n for _, n in _people(services)) == ["A One", "A Three"]
    with services.db.session() as s:
        uids = s.execute(text("SELECT count(DISTINCT uid) FROM person")).scalar()
    assert uids == 2


def test_a_record_matching_a_skipped_one_is_added_in_its_place(
    services: Services, make_person, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from crm.services.people_data import PhoneData

    pid = make_person("Phil", phones=(PhoneData("+33123456789"),))
    rows = "First,x@example.com,+33123456789,,\nSecond,x@example.com,,,\n"
    plan = services.imports.plan([write(tmp_path, "x.csv", HEADER + rows)])
    assert [(m.person_id, m.item) for m in plan.items[1].matches] == [(None, 0)]
    report = services.imports.apply(plan, {0: "skip"})  # row 2 follows the default: merge
    assert (report.added, report.merged, report.skipped) == (1, 0, 1)
    assert sorted(n for _, n in _people(services)) == ["Phil", "Second"]
    assert services.people.get(pid).emails == ()


def test_matches_chain_through_the_batch_into_one_person(
    services: Services, tmp_path: Path
) -> None:
    rows = (
        "Cara Diaz,cara@example.com,,,\n"
        "Cara D,cara@example.com,+33 1 23 45 67 89,,\n"
        "C. Diaz,,+33123456789,,\n"  # only the phone links her, through row 2
    )
    report = services.imports.import_files([write(tmp_path, "c.csv", HEADER + rows)])
    assert (report.added, report.merged) == (1, 2)
    [(pid, name)] = _people(services)
    assert name == "Cara Diaz"
    assert [p.number for p in services.people.get(pid).phones] == ["+33123456789"]


def test_an_existing_person_comes_before_an_earlier_record(
    services: Services, make_person, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    pid = make_person("Dan Old", emails=(EmailData("dan@example.com"),))
    rows = "Dan New,dan@example.com,,,\nDan Again,dan@example.com,,,\n"
    plan = services.imports.plan([write(tmp_path, "d.csv", HEADER + rows)])
    assert [(m.person_id, m.item) for m in plan.items[1].matches] == [(pid, None), (None, 0)]
    report = services.imports.apply(plan)
    assert (report.added, report.merged) == (0, 2)
    assert _people(services) == [(pid, "Dan Old")]


def test_a_bulk_load_with_duplicates_keeps_search_right(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apply_mod, "_BULK_MIN", 2)
    rows = "".join(f"Person {i},p{i}@example.com,,,t{i % 2}\n" for i in range(30))
    rows += "Person Seven,P7@example.com,,,late\n"
    report = services.imports.import_files([write(tmp_path, "b.csv", HEADER + rows)])
    assert (report.added, report.merged) == (30, 1)
    (seven,) = services.search.person_ids("late")
    assert services.people.get(seven).display_name == "Person 7"
    with services.db.session() as s:
        docs = s.execute(text("SELECT rowid, * FROM person_fts ORDER BY rowid")).all()
        from crm.services import search

        search.reindex_people(s, None)
        assert s.execute(text("SELECT rowid, * FROM person_fts ORDER BY rowid")).all() == docs


def test_a_failed_merge_within_the_batch_changes_nothing(
    services: Services, tmp_path: Path, snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    rows = "Eve,eve@example.com,,,\nEve,eve@example.com,+33123456789,,\n"
    plan = services.imports.plan([write(tmp_path, "e.csv", HEADER + rows)])
    before = snapshot()

    def boom(*_a: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(apply_mod, "merge_into", boom)
    with pytest.raises(RuntimeError):
        services.imports.apply(plan)
    assert snapshot() == before


def test_a_similar_name_at_the_same_organisation_in_one_file_is_offered_as_a_match(
    services: Services, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "meetup.csv",
        HEADER
        + "Jonathan Smith,jon@work.example,,Acme,\n"
        + "Jonathon Smith,js@home.example,,ACME ,\n"  # one letter off, same organisation
        + "Jonathon Smith,other@else.example,,Globex,\n"  # same name, another organisation
        + "Smith Jonathan,,+44 20 7946 0001,Acme,\n",  # the words swapped
    )
    plan = services.imports.plan([path])
    assert plan.items[0].matches == ()
    (m1,) = plan.items[1].matches
    assert (m1.item, m1.reason) == (0, "similar name at the same organisation")
    assert 90 <= m1.score < 100
    assert plan.items[2].matches == ()  # another organisation: not the same person
    reasons = {(m.item, m.reason) for m in plan.items[3].matches}
    assert (0, "same name at the same organisation") in reasons
    report = services.imports.apply(plan, default="merge", name_default="merge")
    assert (report.added, report.merged) == (2, 2)
    (acme,) = [pid for pid, name in _people(services) if name == "Jonathan Smith"]
    emails = {e.address for e in services.people.get(acme).emails}
    assert emails == {"jon@work.example", "js@home.example"}


def test_a_match_by_name_alone_is_added_unless_told_to_merge(
    services: Services, tmp_path: Path
) -> None:
    """Two people may share a name at one organisation: without a decision, a record
    matched by name alone becomes a new person, whatever the default for the others."""
    path = write(
        tmp_path,
        "scans.csv",
        HEADER
        + "David Chen,dchen@corp.example,,Google,\n"
        + "David Chen,david.chen@corp.example,,Google,\n"  # same name, another email
        + "Ann Lee,ann@corp.example,,Google,\n"
        + "Ann Lee,ANN@corp.example,,Google,\n",  # same name AND the same email
    )
    report = services.imports.import_files([path])  # on_duplicate="merge" by default
    assert (report.added, report.merged) == (3, 1)
    assert sorted(n for _, n in _people(services)) == ["Ann Lee", "David Chen", "David Chen"]


def test_batch_name_matches_can_be_refused_one_by_one(services: Services, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "two.csv",
        HEADER + "Alex Kim,alex@a.example,,Google,\n" + "Alex Kim,akim@b.example,,Google,\n",
    )
    plan = services.imports.plan([path])
    assert [m.reason for m in plan.items[1].matches] == ["same name at the same organisation"]
    report = services.imports.apply(plan, {1: "add"}, default="merge")
    assert (report.added, report.merged) == (2, 0)
    assert [n for _, n in _people(services)] == ["Alex Kim", "Alex Kim"]


def test_names_without_an_organisation_are_not_matched_by_name(
    services: Services, tmp_path: Path
) -> None:
    path = write(
        tmp_path, "none.csv", HEADER + "Sam Lee,s1@x.example,,,\n" + "Sam Lee,s2@y.example,,,\n"
    )
    plan = services.imports.plan([path])
    assert [it.matches for it in plan.items] == [(), ()]
