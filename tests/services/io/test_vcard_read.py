"""read_vcards over fixtures that reproduce what real programs write (one file per case)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from crm.services.io.records import ContactRecord, NotAContactFile, ReadResult
from crm.services.io.vcard_read import read_vcards
from crm.services.people_data import EmailData, HandleData, PhoneData

FIXTURES = Path(__file__).parents[2] / "fixtures" / "vcf"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def read(name: str) -> ReadResult:
    return read_vcards((FIXTURES / name).read_bytes(), name)


def by_name(result: ReadResult) -> dict[str, ContactRecord]:
    return {r.person.display_name: r for r in result.records}


def test_vcard_21_quoted_printable_over_several_lines() -> None:
    result = read("v21_qp_multiline.vcf")
    assert result.format == "vCard 2.1"
    (card,) = result.records
    person = card.person
    assert (person.display_name, person.given_name, person.family_name) == (
        "Jürgen Müller",
        "Jürgen",
        "Müller",
    )
    assert person.notes == (
        "First line of the note,\nsecond line goes on after a soft break;\nthird line: café"
    )
    assert person.phones == (
        PhoneData("+49 170 1234567", "mobile"),
        PhoneData("+49 30 7654321", "work fax"),
    )
    assert person.emails == (EmailData("juergen@example.de", "home"),)
    assert (person.city, person.country) == ("Berlin", "Deutschland")  # soft break in ADR
    assert ("Address (work)", "Hauptstraße 1, Hinterhaus, 10115 Berlin, Deutschland") in card.extra


def test_a_character_split_by_a_soft_break_and_a_declared_charset() -> None:
    (card,) = read("v21_qp_split_charset.vcf").records
    assert card.person.display_name == "Adèle Renée"
    assert card.person.family_name == "Renée"
    assert card.person.organisation == "Grün & Söhne"  # QP bytes in ISO-8859-1


def test_a_latin1_file_reads_as_its_author_wrote_it() -> None:
    result = read("latin1.vcf")
    (card,) = result.records
    assert card.person.display_name == "François Lefèvre"
    assert card.person.organisation == "Société Générale"
    assert card.person.notes == "Très bien – déjà vu"
    assert any("cp1252" in note for note in result.notes)


def test_apple_item_groups_take_their_label_from_x_ablabel() -> None:
    (card,) = read("apple_groups.vcf").records
    person = card.person
    assert person.emails == (EmailData("johnny@example.com", "other"),)
    assert person.phones == (
        PhoneData("+1 408 555 0100", "Signal"),
        PhoneData("+1 408 555 0199", "mobile"),
    )
    assert person.handles == (
        HandleData("twitter", "johnny"),
        HandleData("xmpp", "johnny@jabber.example"),
    )
    assert person.organisation == "Apple Inc."
    assert person.title == "Genius"
    assert person.tags == ("Speakers", "Bay Area")
    assert (person.city, person.country) == ("Cupertino", "United States")
    extra = dict(card.extra)
    assert extra["URL (homepage)"] == "https://example.com/johnny"
    assert extra["Department"] == "Retail"
    assert extra["Address (home)"] == "1 Infinite Loop, 95014 Cupertino, CA, United States"
    assert extra["X-SHOE-SIZE"] == "44"  # unknown properties are kept, not dropped
    assert "X-ABUID" not in extra  # the address book's own bookkeeping is not


def test_photos_as_data_uri_and_as_base64() -> None:
    uri = by_name(read("v40_data_uri_photo.vcf"))
    assert uri["Dana Data"].person.photo == PNG
    assert uri["Dana Data"].uid == "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
    assert uri["Rafa Radicale"].person.photo == PNG  # ENCODING=b on a data: URI
    b64 = by_name(read("base64_photo.vcf"))
    assert b64["Black Berry"].person.photo == PNG  # 2.1, continuation lines not indented
    assert b64["Black Berry"].person.phones == (PhoneData("+1 519 555 0100", "work"),)
    assert b64["Bea Base"].person.photo == PNG


def test_birthdays_with_and_without_a_year_are_kept() -> None:
    cards = by_name(read("bday_no_year.vcf"))
    assert dict(cards["Nora Noyear"].extra)["Birthday"] == "--04-15"
    assert dict(cards["Dora Dashes"].extra)["Birthday"] == "--04-15"
    assert dict(cards["Yara Year"].extra)["Birthday"] == "1990-12-01"


def test_cards_without_fn_are_named_from_n_then_org_then_email() -> None:
    result = read("no_fn.vcf")
    names = [r.person.display_name for r in result.records]
    assert names == [
        "Countess Ada King Lovelace",
        "Analytical Engines Ltd",
        "only.email@example.com",
    ]
    ada = result.records[0].person
    assert (ada.given_name, ada.family_name) == ("Ada", "Lovelace")
    assert [(r.line, "without a name" in r.reason) for r in result.rejected] == [(14, True)]


def test_a_nested_agent_card_stays_inside_its_parent() -> None:
    result = read("nested_agent.vcf")
    assert [r.person.display_name for r in result.records] == ["Big Boss", "After Nest"]
    boss = result.records[0]
    assert boss.person.title == "Director"  # the line after the nested card still counts
    assert boss.person.phones == ()  # the agent's phone is not the boss's
    assert ("Agent", "Amy Assistant") in boss.extra


def test_broken_cards_among_good_ones() -> None:
    result = read("broken_among_good.vcf")
    assert [r.person.display_name for r in result.records] == [
        "Good One",
        "Half Broken",
        "Good Two",
        "Never Closed",
    ]
    half = result.records[1]
    assert half.person.emails == (EmailData("half.broken@example.com"),)
    assert any("line 10" in w for w in half.warnings)
    assert any("ends before END:VCARD" in w for w in result.records[3].warnings)
    assert [r.line for r in result.rejected] == [6, 13]
    assert "junk between cards" in result.rejected[0].reason


@pytest.mark.parametrize("name", ["not_a_vcard.vcf", "empty.vcf", "binary.vcf"])
def test_a_file_without_cards_is_refused_naming_the_file(name: str) -> None:
    with pytest.raises(NotAContactFile, match=rf"^{name}: not a vCard file"):
        read(name)


def test_binary_junk_between_cards_is_rejected_by_line_and_the_cards_read() -> None:
    data = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:First\r\nEND:VCARD\r\n"
        + b"\x00\x01\xff\xfe\x89PNG junk\r\n"
        + b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:S\xc3\xa9cond\r\nEND:VCARD\r\n"
    )
    result = read_vcards(data, "mixed.vcf")
    assert [r.person.display_name for r in result.records] == ["First", "Sécond"]
    assert [r.line for r in result.rejected] == [5]


def test_utf8_with_bom_and_utf16_files() -> None:
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Øyvind Åsen\r\nEND:VCARD\r\n"
    for data in (b"\xef\xbb\xbf" + text.encode(), text.encode("utf-16")):
        (card,) = read_vcards(data, "x.vcf").records
        assert card.person.display_name == "Øyvind Åsen"


def test_unescaped_commas_in_text_are_kept() -> None:
    """vobject itself cuts a NOTE at its first unescaped comma; a person would not."""
    data = b"BEGIN:VCARD\nVERSION:2.1\nFN:A\nNOTE:one, two; three\nEND:VCARD\n"
    (card,) = read_vcards(data, "x.vcf").records
    assert card.person.notes == "one, two; three"
