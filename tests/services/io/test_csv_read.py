"""Reading the CSV files people actually have: every encoding, delimiter and layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm.services.io.csv_read import LAYOUTS, TARGET_FIELDS, read_csv, sniff_csv
from crm.services.io.records import NotAContactFile
from crm.services.people_data import EmailData, HandleData, PhoneData

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "csv"


def load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def by_name(result, name):  # type: ignore[no-untyped-def]
    for r in result.records:
        p = r.person
        if name in (p.display_name, f"{p.given_name} {p.family_name}".strip()):
            return r
    raise AssertionError(f"{name} not read; got {[r.person for r in result.records]}")


def test_target_fields_offer_what_the_mapping_step_needs() -> None:
    for key in ("given_name", "email", "phone", "handle:github", "handle:x", "tags", "extra"):
        assert key in TARGET_FIELDS
    assert TARGET_FIELDS["ignore"]


def test_utf8_with_guessed_mapping() -> None:
    data = load("utf8_guessed.csv")
    preview = sniff_csv(data, "people.csv")
    assert (preview.encoding, preview.delimiter, preview.layout) == ("utf-8", ",", None)
    assert preview.mapping["Email address"] == "email"
    assert preview.mapping["Name"] == "display_name"
    assert preview.total_rows == 2
    result = read_csv(data, "people.csv")
    ada = by_name(result, "Ada Lovelace")
    assert ada.line == 2
    assert ada.person.emails == (EmailData("ada@example.org", ""),)
    assert ada.person.organisation == "Analytical Engines"
    assert ada.person.title == "Mathematician"
    assert ada.person.pronouns == "she/her"
    assert ada.person.tags == ("python", "speakers")
    assert result.format == "CSV (mapped)"


def test_utf8_bom_google_current_layout() -> None:
    data = load("utf8_bom_google_current.csv")
    preview = sniff_csv(data, "google.csv")
    assert preview.encoding == "utf-8-sig"
    assert preview.headers[0] == "First Name"  # no BOM left in the first header
    assert preview.layout == "google"
    result = read_csv(data, "google.csv")
    assert result.format == "CSV (Google Contacts)"
    zoe = by_name(result, "Zoë Ångström")
    assert zoe.person.emails == (
        EmailData("zoe@lu.example", "work"),
        EmailData("zoe@home.example", "home"),
    )
    assert zoe.person.phones == (PhoneData("+46 70 123 45 67", "mobile"),)
    assert zoe.person.tags == ("Speakers", "Nordics")  # "* myContacts" dropped
    assert (zoe.person.organisation, zoe.person.title) == ("Lund University", "Physicist")
    assert (zoe.person.city, zoe.person.country) == ("Lund", "Sweden")
    assert zoe.person.notes == "Met at FOSDEM"
    assert ("Nickname", "Zo") in zoe.extra
    renee = by_name(result, "Renée Ça")
    assert ("Birthday", "1990-04-01") in renee.extra
    assert renee.person.tags == ()


def test_google_legacy_layout() -> None:
    result = read_csv(load("google_legacy.csv"), "gmail.csv")
    assert result.format == "CSV (Google Contacts)"
    linus = by_name(result, "Linus Example")
    assert linus.person.given_name == "Linus"
    assert linus.person.emails == (
        EmailData("linus@work.example", "work"),
        EmailData("l@alt.example", "work"),
        EmailData("linus@home.example", "home"),
    )
    assert linus.person.tags == ("Friends", "Conference 2024")
    assert linus.person.organisation == "Example Oy"
    assert ("Additional Name", "B.") in linus.extra
    assert not [e for e in linus.extra if e[0] == "Address 1 - Type"]
    maggie = by_name(result, "Margaret Example")
    assert maggie.person.emails == (EmailData("maggie@example.org", ""),)


def test_outlook_utf16_tab_delimited() -> None:
    data = load("outlook_utf16le_tab.csv")
    preview = sniff_csv(data, "outlook.csv")
    assert (preview.encoding, preview.delimiter, preview.layout) == ("utf-16-le", "\t", "outlook")
    result = read_csv(data, "outlook.csv")
    assert result.format == "CSV (Outlook)"
    j = by_name(result, "Jürgen Müller")
    assert j.person.organisation == "Müller & Söhne GmbH"
    assert j.person.title == "CTO"
    assert (j.person.city, j.person.country) == ("München", "Germany")
    assert j.person.phones == (
        PhoneData("+49 89 1234567", "work"),
        PhoneData("+49 151 2345678", "mobile"),
    )
    assert [e.address for e in j.person.emails] == [
        "juergen@mueller.example",
        "jm@private.example",
    ]
    assert j.person.tags == ("Speakers", "Munich")
    assert j.person.notes == "Likes Rust.\nAsked about the AMA."
    assert ("Title", "Dr.") in j.extra
    # Outlook's placeholders for empty fields are not worth a line of notes.
    assert not [e for e in j.extra if e[1] in ("0/0/00", "Unspecified", "Normal", "SMTP")]
    chloe = by_name(result, "Chloé Durand")
    assert chloe.line == 4  # Jürgen's notes span lines 2 and 3
    assert ("Gender", "Female") in chloe.extra


def test_outlook_german_utf16_without_bom() -> None:
    data = load("outlook_de_utf16le_nobom.csv")
    preview = sniff_csv(data, "kontakte.csv")
    assert (preview.encoding, preview.layout) == ("utf-16-le", "outlook")
    k = read_csv(data, "kontakte.csv").records[0]
    assert (k.person.given_name, k.person.family_name) == ("Käthe", "Schäfer")
    assert k.person.emails == (EmailData("kaethe@example.de", ""),)
    assert k.person.phones == (PhoneData("+49 170 1111111", "mobile"),)
    assert k.person.tags == ("Mentoren", "Köln")


def test_outlook_english_utf8() -> None:
    result = read_csv(load("outlook_en.csv"), "contacts.csv")
    priya = result.records[0]
    assert priya.person.organisation == "Acme Corp"
    assert priya.person.phones[0] == PhoneData("+91 98765 43210", "mobile")
    assert priya.person.tags == ("Influencers", "Asia")
    assert priya.extra == ()


def test_cp1252_accents() -> None:
    data = load("cp1252_accents.csv")
    assert sniff_csv(data, "legacy.csv").encoding == "cp1252"
    result = read_csv(data, "legacy.csv")
    assert "read as cp1252" in result.notes
    f = by_name(result, "François Lefèvre")
    assert f.person.organisation == "Société Générale"
    assert f.person.city == "Besançon"
    assert f.person.notes == "Prix: 5 € — ok"
    s = by_name(result, "Søren Ærø")
    assert s.person.organisation == "Œuvre ApS"


def test_semicolon_delimiter() -> None:
    data = load("semicolon.csv")
    preview = sniff_csv(data, "semi.csv")
    assert preview.delimiter == ";"
    assert preview.mapping["E-Mail"] == "email"
    anna = by_name(read_csv(data, "semi.csv"), "Anna Schmidt")
    assert anna.person.organisation == "ACME GmbH, Berlin"
    assert anna.person.phones == (PhoneData("+49 30 1234567", ""),)


def test_embedded_newlines_keep_physical_line_numbers() -> None:
    result = read_csv(load("multiline_notes.csv"), "notes.csv")
    lines = {r.person.display_name: r.line for r in result.records}
    assert lines == {"Alice Multi": 2, "Bob After": 5, "Carol Quote": 6, "Dan Last": 8}
    alice = by_name(result, "Alice Multi")
    assert alice.person.notes == "first line\nsecond line\nthird line"
    assert by_name(result, "Carol Quote").person.notes == 'She said "hi"\nand left'


def test_meetup_like_export_gets_a_guessed_mapping() -> None:
    data = load("meetup_like.csv")
    preview = sniff_csv(data, "meetup.csv")
    assert preview.layout is None
    assert preview.mapping["Name"] == "display_name"
    assert preview.mapping["Email address"] == "email"
    assert preview.mapping["Twitter"] == "handle:x"
    assert preview.mapping["GitHub username"] == "handle:github"
    assert preview.mapping["Company"] == "organisation"
    assert preview.mapping["Location"] == "city"
    assert preview.mapping["Intro"] == "bio"
    assert preview.mapping["Mobile number"] == "phone"
    assert preview.mapping["User ID"] == "extra"
    result = read_csv(data, "meetup.csv")
    sam = by_name(result, "Sam Rivera")
    assert sam.person.handles == (HandleData("x", "@samr"), HandleData("github", "samr"))
    assert sam.person.city == "Berlin, Germany"
    assert sam.person.bio == "I run the Rust meetup"
    assert sam.person.phones == (PhoneData("+49 151 000000", "mobile"),)
    assert ("User ID", "u123") in sam.extra
    assert by_name(result, "Kim Lee").line == 3
    # The third row has no name, email, phone or organisation: rejected, with its line.
    assert [(r.line, "name" in r.reason) for r in result.rejected] == [(4, True)]


def test_user_mapping_overrides_the_guess() -> None:
    data = load("meetup_like.csv")
    mapping = dict(sniff_csv(data, "m.csv").mapping)
    mapping["Title"] = "title"
    mapping["User ID"] = "ignore"
    sam = by_name(read_csv(data, "m.csv", mapping), "Sam Rivera")
    assert sam.person.title == "Organizer"
    assert not [e for e in sam.extra if e[0] in ("User ID", "Title")]


def test_named_layout_mapping_reads_as_that_layout() -> None:
    result = read_csv(load("google_legacy.csv"), "gmail.csv", LAYOUTS["google"])
    assert result.format == "CSV (Google Contacts)"
    assert by_name(result, "Linus Example").person.tags == ("Friends", "Conference 2024")


def test_broken_quote_row_is_rejected_and_the_rest_read() -> None:
    result = read_csv(load("broken_quote.csv"), "broken.csv")
    assert [r.person.display_name for r in result.records] == ["Good One", "Good Two", "Good Three"]
    assert [r.line for r in result.records] == [2, 4, 5]
    assert by_name(result, "Good Three").person.organisation == "Third, Co"
    assert len(result.rejected) == 1
    assert result.rejected[0].line == 3
    assert "quote" in result.rejected[0].reason


def test_stray_quotes_inside_a_field_are_read_as_written() -> None:
    result = read_csv(load("stray_quote.csv"), "stray.csv")
    assert [r.person.display_name for r in result.records] == ['Quoted "Nick" Name', "Anne"]
    assert result.rejected == ()


@pytest.mark.parametrize(
    ("fixture", "why"),
    [
        ("not_csv.png", "binary"),
        ("prose.txt", "single column"),
        ("no_header.csv", "not column names"),
        ("header_only.csv", "no rows"),
        ("empty.csv", "empty"),
    ],
)
def test_not_a_contact_file(fixture: str, why: str) -> None:
    data = load(fixture)
    for fn in (sniff_csv, read_csv):
        with pytest.raises(NotAContactFile) as caught:
            fn(data, fixture)
        assert str(caught.value).startswith(f"{fixture}: ")
        assert why in str(caught.value)


def test_no_header_message_names_the_line() -> None:
    with pytest.raises(NotAContactFile, match=r"no_header.csv: line 1: .*ada@example.org"):
        read_csv(load("no_header.csv"), "no_header.csv")


def test_preview_shows_twenty_rows_and_counts_all() -> None:
    body = "".join(f"Person {i},p{i}@example.org\n" for i in range(250))
    preview = sniff_csv(("Name,Email\n" + body).encode(), "big.csv")
    assert len(preview.rows) == 20
    assert preview.rows[0] == ("Person 0", "p0@example.org")
    assert preview.total_rows == 250
    quoted = "".join(f'"Person {i}","line\nbreak"\n' for i in range(30))
    assert sniff_csv(("Name,Notes\n" + quoted).encode(), "q.csv").total_rows == 30


def test_blank_rows_are_skipped_and_said() -> None:
    result = read_csv(b"Name,Email\n\nA B,a@b.org\n,\n", "gaps.csv")
    assert [r.line for r in result.records] == [3]
    assert result.rejected == ()
    assert "2 empty rows skipped" in result.notes


def test_conflicting_columns_for_one_field_lose_nothing() -> None:
    result = read_csv(b"Company,Organization,Name\nAcme,Acme Inc,A B\n", "two.csv")
    rec = result.records[0]
    assert rec.person.organisation == "Acme"
    assert rec.extra == (("Organization", "Acme Inc"),)


def test_cells_beyond_the_header_are_kept() -> None:
    rec = read_csv(b"Name,Email\nA B,a@b.org,stray value\n", "wide.csv").records[0]
    assert ("column 3", "stray value") in rec.extra


def test_records_equal_what_the_constructors_build() -> None:
    """Rows are built by filling __dict__ (speed): the objects must be the real thing."""
    import dataclasses

    from crm.services.io.records import ContactRecord
    from crm.services.people_data import PersonInput

    rec = read_csv(load("utf8_guessed.csv"), "people.csv").records[0]
    fields = {f.name: getattr(rec.person, f.name) for f in dataclasses.fields(PersonInput)}
    assert rec.person == PersonInput(**fields)
    assert rec.person.referred_by_id is None and rec.person.photo is None
    assert rec.person.custom == {}
    assert rec == ContactRecord(rec.line, PersonInput(**fields), extra=rec.extra)
    assert rec.person.emails[0] == EmailData("ada@example.org", "")
    with pytest.raises(dataclasses.FrozenInstanceError):
        rec.person.given_name = "x"  # type: ignore[misc]
    assert dataclasses.replace(rec.person, city="Paris").city == "Paris"


def test_header_mentioning_an_example_address_is_still_a_header() -> None:
    data = b"Name,Email (e.g. name@example.com)\nA B,a@b.org\n"
    assert read_csv(data, "form.csv").records[0].person.emails[0].address == "a@b.org"


def test_a_very_long_field_is_read_not_rejected() -> None:
    notes = "x" * 300_000
    data = f'Name,Notes\nA B,"{notes}"\nC D,short\n'.encode()
    result = read_csv(data, "long.csv")
    assert [len(r.person.notes) for r in result.records] == [300_000, 5]


@pytest.mark.parametrize(
    ("bom", "codec", "expected"),
    [
        (b"\xfe\xff", "utf-16-be", "utf-16-be"),
        (b"", "utf-16-be", "utf-16-be"),
        (b"\xff\xfe", "utf-16-le", "utf-16-le"),
        (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    ],
)
def test_every_unicode_form_outlook_and_excel_write(bom: bytes, codec: str, expected: str) -> None:
    text = (
        "First Name|Last Name|E-mail Address|Business Phone\r\n"
        "Łucja|Wójcik|lw@example.pl|+48 22 123 45 67\r\n"
    )
    data = bom + text.encode(codec)
    preview = sniff_csv(data, "u.csv")
    assert (preview.encoding, preview.delimiter, preview.layout) == (expected, "|", "outlook")
    rec = read_csv(data, "u.csv").records[0]
    assert (rec.person.given_name, rec.person.family_name) == ("Łucja", "Wójcik")
    assert rec.person.phones == (PhoneData("+48 22 123 45 67", "work"),)


def test_preview_of_a_big_file_reads_only_its_start() -> None:
    """Over 4 MB with quoted newlines: the first rows are exact, the total a close estimate."""
    body = "".join(
        f'Person {i},p{i}@example.org,"{"two" if i % 4 else "one"}\nlines {"x" * 60}"\n'
        for i in range(60_000)
    )
    data = ("Name,Email,Notes\n" + body).encode()
    assert len(data) > 4 * 1024 * 1024
    preview = sniff_csv(data, "big.csv")
    assert preview.rows[19][0] == "Person 19"
    assert abs(preview.total_rows - 60_000) < 600


def test_a_saved_mapping_that_does_not_fit_is_reported_and_loses_nothing() -> None:
    mapping = {"Name": "display_name", "Email": "emial", "Phone": "phone"}
    result = read_csv(b"Name,Email\nA B,a@b.org\n", "m.csv", mapping)
    rec = result.records[0]
    assert rec.extra == (("Email", "a@b.org"),)
    assert "“emial” is not a field: column “Email” kept in notes" in result.notes
    assert "no column Phone here" in result.notes


def test_repeated_tag_and_role_cells_read_alike_row_after_row() -> None:
    """Each distinct list cell is split once and remembered: the rows must not tell."""
    data = (
        b"Name,Tags,Roles\n"
        b"A,speaker;berlin,speaker\n"
        b"B,speaker;berlin,speaker\n"
        b"C,  ,member\n"
        b"D,;;,\n"
        b"E,speaker;berlin,\n"
    )
    result = read_csv(data, "lists.csv", {"Name": "display_name", "Tags": "tags", "Roles": "roles"})
    got = {r.person.display_name: (r.person.tags, r.person.roles) for r in result.records}
    assert got == {
        "A": (("speaker", "berlin"), ("speaker",)),
        "B": (("speaker", "berlin"), ("speaker",)),
        "C": ((), ("member",)),
        "D": ((), ()),
        "E": (("speaker", "berlin"), ()),
    }
