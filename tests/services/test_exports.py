"""ExportService: selections, files written whole, and the consent rule for partners."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from crm.services import ServiceError, Services
from crm.services.common import NotFound, ValidationError
from crm.services.communities import CommunityInput
from crm.services.people_data import ConsentData, EmailData, HandleData, PhoneData


def _consent(granted: bool, on: date) -> tuple[ConsentData, ...]:
    return (ConsentData("partner sharing", granted, on, "form"),)


@pytest.fixture
def partner(services: Services, make_person):  # type: ignore[no-untyped-def]
    cid = services.communities.create(CommunityInput("Rust Berlin", status="active"))
    common = {
        "organisation": "Ferrous",
        "emails": (EmailData("x@example.com"),),
        "phones": (PhoneData("+1 650 253 0000"),),
        "handles": (HandleData("github", "x"), HandleData("mastodon", "@x@social")),
        "notes": "private: met at the bar",
        "tags": ("vip",),
    }
    granted = make_person("Granted Person", consents=_consent(True, date(2026, 2, 1)), **common)
    withdrawn = make_person(
        "Withdrawn Person", consents=_consent(False, date(2026, 3, 1)), **common
    )
    never = make_person("Never Asked", **common)
    binned = make_person("Binned Person", consents=_consent(True, date(2026, 2, 1)), **common)
    services.communities.add_member(cid, [granted, withdrawn, never, binned])
    services.people.archive([binned])
    return {"cid": cid, "granted": granted, "withdrawn": withdrawn, "never": never, "bin": binned}


def test_partner_preview_lists_who_is_left_out_and_why(services: Services, partner) -> None:  # type: ignore[no-untyped-def]
    preview = services.exports.partner_preview(partner["cid"])
    assert preview.community == "Rust Berlin"
    assert preview.included == ((partner["granted"], "Granted Person"),)
    assert set(preview.left_out) == {
        (partner["withdrawn"], "Withdrawn Person", "consent withdrawn on 2026-03-01"),
        (partner["never"], "Never Asked", "no consent to partner sharing"),
        (partner["bin"], "Binned Person", "in the Trash"),
    }
    only = services.exports.partner_preview(partner["cid"], ids=[partner["never"]])
    assert only.included == () and len(only.left_out) == 1


def test_partner_csv_has_only_consenting_people_and_chosen_fields(
    services: Services, partner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "partner.csv"
    result = services.exports.partner_export(partner["cid"], ["display_name", "email"], "csv", out)
    data = out.read_bytes()
    assert result.count == 1 and result.sha256 == hashlib.sha256(data).hexdigest()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["uid", "display_name", "emails"]
    assert [r[1] for r in rows[1:]] == ["Granted Person"]
    assert b"Withdrawn" not in data and b"Never" not in data
    assert b"private" not in data and b"Ferrous" not in data
    assert b"2530000" not in data  # the phone, in any format ("650" alone can be in a UID)


def test_partner_vcard_has_only_chosen_properties_and_the_uid(
    services: Services, partner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "partner.vcf"
    services.exports.partner_export(
        partner["cid"], ["display_name", "phones", "handle:github"], "vcard4", out
    )
    card = out.read_text(encoding="utf-8")
    uid = services.people.get(partner["granted"]).uid
    assert card.count("BEGIN:VCARD") == 1 and uid in card
    assert "+16502530000" in card and "github" in card.lower()
    for leaked in ("x@example.com", "Ferrous", "private", "vip", "mastodon", "social"):
        assert leaked not in card


def test_partner_export_is_in_the_audit_log_with_the_files_hash(
    services: Services, partner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "for-rust-berlin.csv"
    services.exports.partner_export(partner["cid"], ["name", "city"], "csv-google", out)
    (entry,) = services.exports.export_log()
    assert (entry.community_id, entry.community, entry.count) == (partner["cid"], "Rust Berlin", 1)
    assert entry.fields == ("display_name", "city") and entry.format == "csv-google"
    assert entry.file == "for-rust-berlin.csv"
    assert entry.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()


def test_partner_export_refuses_non_contact_fields_and_nobody(
    services: Services, partner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    for fields in (["notes"], ["tags"], []):
        with pytest.raises(ValidationError):
            services.exports.partner_export(partner["cid"], fields, "csv", tmp_path / "x.csv")
    with pytest.raises(ServiceError, match="Nobody to export"):
        services.exports.partner_export(
            partner["cid"], ["name"], "csv", tmp_path / "x.csv", ids=[partner["never"]]
        )
    with pytest.raises(NotFound):
        services.exports.partner_preview(999)
    assert not (tmp_path / "x.csv").exists() and services.exports.export_log() == []


def test_selection_and_plain_export_round_trip(
    services: Services, make_person, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from crm.services.io.vcard_read import read_vcards

    a = make_person("Ada", tags=("speakers",), roles=("speaker",), emails=(EmailData("a@x.org"),))
    b = make_person("Bob", tags=("speakers",))
    c = make_person("Cy", tags=("speakers",))
    services.people.archive([c])
    assert services.exports.selection_ids(tag="speakers") == [a, b]
    assert services.exports.selection_ids(role="speaker") == [a]
    assert services.exports.selection_ids(ids=[c, b]) == [b]
    out = tmp_path / "all.vcf"
    result = services.exports.export_contacts([a, b], "vcard3", out)
    assert result.count == 2 and result.path == out
    back = read_vcards(out.read_bytes(), "all.vcf")
    assert [r.person.display_name for r in back.records] == ["Ada", "Bob"]
    assert back.records[0].person.emails[0].address == "a@x.org"
    assert back.records[0].uid == services.people.get(a).uid


def test_failed_write_leaves_no_file_and_an_existing_file_untouched(
    services: Services, make_person, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import crm.services.io.atomic as atomic

    a = make_person("Ada")
    out = tmp_path / "old.csv"
    out.write_text("precious")

    def broken_fsync(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", broken_fsync)
    with pytest.raises(ServiceError, match="No space left"):
        services.exports.export_contacts([a], "csv", out)
    with pytest.raises(ServiceError):
        services.exports.export_contacts([a], "csv", tmp_path / "new.csv")
    assert out.read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".csv", ".tmp")) == ["old.csv"]
    with services.db.read() as s:
        logged = s.execute(text("SELECT count(*) FROM audit_log WHERE action = 'export'"))
        assert logged.scalar() == 0


def test_export_reads_nothing_but_contact_fields(
    services: Services, partner, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A partner export never queries interactions, notes or any table it has no need of."""
    from sqlalchemy import event

    seen: list[str] = []

    def trace(dbapi_conn, _record, _proxy) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.set_trace_callback(seen.append)

    event.listen(services.db.engine, "checkout", trace)
    try:
        services.exports.partner_export(partner["cid"], ["name"], "vcard3", tmp_path / "p.vcf")
    finally:
        event.remove(services.db.engine, "checkout", trace)
    joined = " ".join(seen).lower()
    for table in ("interaction", "participant", "field_value", "relationship"):
        assert table not in joined
    assert "notes" not in joined.replace("'' as notes", "")
    assert "select" in joined  # the trace saw the queries
