"""ImportService: what a user sees when contact files come in — added, merged, refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from crm.services import ServiceError, Services
from crm.services import imports_apply as apply_mod
from crm.services.common import NotFound, ValidationError
from crm.services.imports import ImportPlan, PlannedRecord
from crm.services.io.records import ContactRecord, NotAContactFile
from crm.services.people_data import EmailData, PersonInput, PhoneData


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


CSV = (
    "Name,Email,Phone,Organisation,Tags\n"
    "Ada Lovelace,ADA@Example.com,(650) 253-0000,Analytical,python;maths\n"
    ",,,,orphan-tag\n"
    "Bob Stone,bob@x,not a phone,Acme,\n"
)
VCF = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nN:Hopper;Grace;;;\r\n"
    "EMAIL;TYPE=work:grace@navy.example\r\nUID:urn:uuid:grace-1\r\nORG:Navy\r\n"
    "TITLE:Rear Admiral\r\nEND:VCARD\r\n"
)


def test_csv_import_adds_people_with_normalised_contacts_and_reports_rejects(
    services: Services, tmp_path: Path, changes
) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, "members.csv", CSV)
    report = services.imports.import_files([path])
    assert (report.added, report.merged, report.skipped) == (2, 0, 0)
    assert [(f, r.line) for f, r in report.rejected] == [("members.csv", 3)]
    ada = services.people.get(report.person_ids[0])
    assert ada.display_name == "Ada Lovelace"
    assert ada.emails[0].address.lower() == "ada@example.com"
    assert ada.phones[0].number == "+16502530000"  # E.164 with the region (US)
    assert set(ada.tags) == {"python", "maths"}
    bob = services.people.get(report.person_ids[1])
    # An unusable phone or email is no reason to refuse the person: kept in notes.
    assert bob.emails == () and bob.phones == ()
    assert "bob@x" in bob.notes and "not a phone" in bob.notes
    assert services.search.person_ids("Lovelace") == [ada.id]
    assert any(c.touches("people") and c.touches("tags") for c in changes)


def test_vcard_keeps_uid_and_is_found_by_content_not_extension(
    services: Services, tmp_path: Path
) -> None:
    path = write(tmp_path, "contacts.csv", VCF)  # a vCard with the wrong extension
    report = services.imports.import_files([path])
    grace = services.people.get(report.person_ids[0])
    assert (grace.display_name, grace.uid, grace.title) == (
        "Grace Hopper",
        "urn:uuid:grace-1",
        "Rear Admiral",
    )


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "neither a vCard nor a CSV"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "calendar"),
        (b"Name,Email\n", "no rows"),
    ],
)
def test_unusable_file_is_refused_naming_the_file(
    services: Services, tmp_path: Path, content: bytes, why: str
) -> None:
    path = write(tmp_path, "thing.dat", content)
    with pytest.raises(NotAContactFile) as err:
        services.imports.preview(path)
    assert "thing.dat" in str(err.value) and why in str(err.value)


def test_missing_file_is_refused(services: Services, tmp_path: Path) -> None:
    with pytest.raises(NotAContactFile, match=r"nope\.vcf"):
        services.imports.plan([tmp_path / "nope.vcf"])


def test_preview_shows_the_first_records_and_the_csv_mapping(
    services: Services, tmp_path: Path
) -> None:
    rows = "".join(f"Person {i},p{i}@example.com\n" for i in range(30))
    path = write(tmp_path, "big.csv", "Name,Email\n" + rows)
    preview = services.imports.preview(path)
    assert preview.total == 30 and len(preview.sample) == 20
    assert preview.csv is not None and preview.csv.mapping["Email"] == "email"
    assert preview.sample[0].person.display_name == "Person 0"


# ---- duplicates on import ------------------------------------------------------------


def _plan_one(services: Services, tmp_path: Path, csv_row: str, header: str = ""):  # type: ignore[no-untyped-def]
    header = header or "Name,Email,Phone,Organisation"
    path = write(tmp_path, "in.csv", f"{header}\n{csv_row}\n")
    return services.imports.plan([path])


def test_match_by_email_ignores_case(services: Services, make_person, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pid = make_person("Ada Lovelace", emails=(EmailData("ada@example.com"),))
    plan = _plan_one(services, tmp_path, "A. Lovelace,ADA@EXAMPLE.COM,,")
    assert [(m.person_id, m.reason) for m in plan.items[0].matches] == [(pid, "same email")]


def test_match_by_phone_written_another_way(
    services: Services, make_person, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    pid = make_person("Ada", phones=(PhoneData("+1 650 253 0000"),))
    plan = _plan_one(services, tmp_path, "Someone,,(650) 253-0000,")
    assert [(m.person_id, m.reason) for m in plan.items[0].matches] == [(pid, "same phone")]


def test_match_by_uid(services: Services, tmp_path: Path) -> None:
    first = services.imports.import_files([write(tmp_path, "a.vcf", VCF)])
    renamed = VCF.replace("FN:Grace Hopper", "FN:G. M. Hopper").replace("grace@", "gmh@")
    plan = services.imports.plan([write(tmp_path, "b.vcf", renamed)])
    assert [(m.person_id, m.reason) for m in plan.items[0].matches] == [
        (first.person_ids[0], "same UID")
    ]


def test_match_by_similar_name_only_at_the_same_organisation(
    services: Services, make_person, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    pid = make_person("John Smith", organisation="Acme")
    make_person("Jon Smith", organisation="Other Corp")
    plan = _plan_one(services, tmp_path, "Jon Smith,,,ACME")
    (match,) = plan.items[0].matches
    assert (match.person_id, match.reason) == (pid, "similar name at the same organisation")
    assert 90 <= match.score < 100
    assert _plan_one(services, tmp_path, "Jane Doe,,,Acme").items[0].matches == ()


def test_decisions_merge_skip_add_and_default(
    services: Services, make_person, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    ids = [make_person(f"P{i}", emails=(EmailData(f"p{i}@example.com"),)) for i in range(4)]
    rows = "".join(f"Q{i},p{i}@example.com,,\n" for i in range(4)) + "New One,new@example.com,,\n"
    path = write(tmp_path, "d.csv", "Name,Email,Phone,Organisation\n" + rows)
    plan = services.imports.plan([path])
    before = services.people.count()
    report = services.imports.apply(plan, {0: "merge", 1: "skip", 2: "add"}, default="skip")
    assert (report.added, report.merged, report.skipped) == (2, 1, 2)
    assert services.people.count() == before + 2
    assert "Imported name: Q0" in services.people.get(ids[0]).notes
    assert "Q3" not in services.people.get(ids[3]).notes  # default: skip


def test_merge_fills_empty_fields_and_never_overwrites(
    services: Services, make_person, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    pid = make_person(
        "Grace Hopper",
        title="Commodore",
        emails=(EmailData("grace@navy.example"),),
        tags=("navy",),
        notes="Met at the conference.",
    )
    uid = services.people.get(pid).uid
    vcf = VCF.replace(
        "EMAIL;TYPE=work:grace@navy.example",
        "EMAIL:grace@navy.example\r\n"
        "EMAIL:g.hopper@home.example\r\nCATEGORIES:cobol\r\nNOTE:Likes clocks",
    )
    report = services.imports.import_files([write(tmp_path, "g.vcf", vcf)])
    assert (report.added, report.merged) == (0, 1)
    g = services.people.get(pid)
    assert g.title == "Commodore"  # not overwritten …
    assert "Imported title: Rear Admiral" in g.notes  # … the other value is kept
    assert g.organisation == "Navy"  # empty field filled
    assert {e.address for e in g.emails} == {"grace@navy.example", "g.hopper@home.example"}
    assert set(g.tags) == {"navy", "cobol"}
    assert g.notes.startswith("Met at the conference.") and "Likes clocks" in g.notes
    assert g.uid == uid  # the existing person keeps theirs


# ---- all or nothing ------------------------------------------------------------------


def test_failure_mid_apply_leaves_the_database_exactly_as_before(
    services: Services, make_person, tmp_path: Path, snapshot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    make_person("Ada Lovelace", emails=(EmailData("ada@example.com"),))
    plan = services.imports.plan([write(tmp_path, "m.csv", CSV), write(tmp_path, "g.vcf", VCF)])
    before = snapshot()

    def boom(*_a, **_k):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(apply_mod.search, "reindex_people", boom)
    with pytest.raises(RuntimeError):
        services.imports.apply(plan, default="add")
    assert snapshot() == before


def test_cancel_mid_apply_rolls_back(services: Services, tmp_path: Path, snapshot) -> None:  # type: ignore[no-untyped-def]
    plan = services.imports.plan([write(tmp_path, "m.csv", CSV)])
    before = snapshot()
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 1  # after the first batch was written

    with pytest.raises(ServiceError, match="Import cancelled; nothing was changed"):
        services.imports.apply(plan, cancelled=cancelled)
    assert len(calls) >= 2 and snapshot() == before


def test_cancel_while_planning(services: Services, tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match="cancelled"):
        services.imports.plan([write(tmp_path, "m.csv", CSV)], cancelled=lambda: True)


def test_progress_reaches_the_end(services: Services, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    services.imports.import_files(
        [write(tmp_path, "m.csv", CSV)], progress=lambda d, t: seen.append((d, t))
    )
    assert seen and seen[-1][0] == seen[-1][1]
    assert all(d <= t for d, t in seen)


def test_bulk_path_builds_the_same_search_documents_as_reindex(
    services: Services, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Large imports drop and rebuild indexes and write search documents themselves."""
    monkeypatch.setattr(apply_mod, "_BULK_MIN", 2)
    rows = "".join(
        f"Person {i},p{i}@example.com,+1650253{i:04d},Org {i},t{i % 2};Shared\n" for i in range(50)
    )
    path = write(tmp_path, "bulk.csv", "Name,Email,Phone,Organisation,Tags\n" + rows)
    report = services.imports.import_files([path])
    assert report.added == 50
    with services.db.session() as s:
        indexes = s.execute(text("SELECT count(*) FROM sqlite_master WHERE type='index'")).scalar()
        docs = s.execute(text("SELECT rowid, * FROM person_fts ORDER BY rowid")).all()
        from crm.services import search

        search.reindex_people(s, None)
        rebuilt = s.execute(text("SELECT rowid, * FROM person_fts ORDER BY rowid")).all()
    assert docs == rebuilt
    assert indexes and services.search.person_ids("Person 7") == [report.person_ids[7]]


def test_hand_built_plan_applies(services: Services) -> None:
    """The wizard may build plans itself (e.g. after editing a record)."""
    rec = ContactRecord(
        4, PersonInput(display_name="Hand Made", phones=(PhoneData("+33 1 23 45 67 89"),))
    )
    report = services.imports.apply(ImportPlan((PlannedRecord("x.csv", rec),)))
    assert services.people.get(report.person_ids[0]).phones[0].number == "+33123456789"


# ---- saved mappings ------------------------------------------------------------------


def test_mappings_saved_by_name_overwritten_and_deleted(services: Services) -> None:
    services.imports.save_mapping("Meetup", {"Member name": "display_name", "Mail": "email"})
    services.imports.save_mapping("Meetup", {"Member name": "display_name"})
    assert services.imports.mappings() == ["Meetup"]
    assert services.imports.mapping("Meetup") == {"Member name": "display_name"}
    assert services.imports.mapping("google")["E-mail 1 - Value"] == "email"
    services.imports.delete_mapping("Meetup")
    with pytest.raises(NotFound):
        services.imports.mapping("Meetup")
    with pytest.raises(ValidationError):
        services.imports.save_mapping("Mine", {"A": "shoe size"})


def test_saved_mapping_reads_any_csv(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path, "luma.csv", "Who,Contact\nMary Shelley,mary@example.com\n")
    services.imports.save_mapping("Luma", {"Who": "display_name", "Contact": "email"})
    report = services.imports.import_files([path], mapping=services.imports.mapping("Luma"))
    mary = services.people.get(report.person_ids[0])
    assert (mary.display_name, mary.emails[0].address) == ("Mary Shelley", "mary@example.com")


def test_cancelled_bulk_import_brings_back_the_indexes(
    services: Services, tmp_path: Path, snapshot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The bulk path drops indexes inside the transaction: a cancel must restore them."""
    monkeypatch.setattr(apply_mod, "_BULK_MIN", 2)
    monkeypatch.setattr(apply_mod, "_BATCH", 10)
    rows = "".join(f"Person {i},p{i}@example.com\n" for i in range(50))
    plan = services.imports.plan([write(tmp_path, "bulk.csv", "Name,Email\n" + rows)])

    def schema() -> list[tuple[str, str]]:
        with services.db.read() as s:
            return s.execute(text("SELECT name, sql FROM sqlite_master ORDER BY name")).all()

    before, tables = schema(), snapshot()
    calls: list[int] = []
    with pytest.raises(ServiceError, match="cancelled"):
        services.imports.apply(plan, cancelled=lambda: bool(calls.append(1)) or len(calls) > 2)
    assert schema() == before and snapshot() == tables
    assert services.imports.apply(plan).added == 50  # and it still works afterwards


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        ("Name,Email\nA,a@b.co\n".encode("utf-16"), "outlook.CSV", "csv"),  # BOM, UTF-16
        ("Name;Email\nÄ;a@b.co\n".encode("cp1252"), "export", "csv"),
        (b"\xef\xbb\xbfBEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n", "card.txt", "vcard"),
        (b"BEGIN:VCALENDAR\r\n", "invite.vcf", "ics"),
        (b"Email\na@b.co\n", "list.csv", "csv"),  # one column: only the name tells
        (b"Email\na@b.co\n", "notes", None),
        (bytes(range(256)), "photo.csv", None),
    ],
)
def test_format_detected_from_content(data: bytes, name: str, kind: str | None) -> None:
    from crm.services.io.detect import detect

    assert detect(data, name) == kind
