"""Writing CSV: Rapport's layout reads back field for field; Google/Outlook as they import."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import date, datetime

import pytest

from crm.services.common import ValidationError
from crm.services.io.csv_read import read_csv, sniff_csv
from crm.services.io.csv_write import guard, write_csv
from crm.services.people_data import (
    ConsentData,
    EmailData,
    FieldValueData,
    HandleData,
    PersonDetail,
    PhoneData,
)


def person(pid: int = 1, **over: object) -> PersonDetail:
    base = PersonDetail(
        id=pid,
        display_name="Ada Lovelace",
        given_name="Ada",
        family_name="Lovelace",
        pronouns="she/her",
        organisation="Analytical Engines, Ltd; London",
        title="Mathematician",
        city="London",
        country="United Kingdom",
        time_zone="Europe/London",
        bio="Wrote the first program.",
        notes='Met at the salon.\nFollow up about the engine.\n=HYPERLINK("x")',
        roles=("speaker", "partner liaison"),
        emails=(EmailData("ada@example.org", "work"), EmailData("ada@home.example", "")),
        phones=(PhoneData("+442071234567", "mobile"), PhoneData("+442079999999", "home: old")),
        handles=(HandleData("github", "ada"), HandleData("mastodon", "@ada@hachyderm.io")),
        tags=("Python", "math, logic", "=cmd|' /C calc'!A0"),
        consents=(
            ConsentData("partner sharing", True, date(2024, 3, 1), "signup form (web)"),
            ConsentData("photos", False, date(2023, 1, 2)),
        ),
        relationships=(),
        communities=(),
        referred_by=None,
        referrals=(),
        custom=(
            FieldValueData(1, "Shirt size", "text", "M"),
            FieldValueData(2, "Ticket", "text", "-5"),
        ),
        next_follow_up=date(2025, 1, 31),
        last_interaction=None,
        created_at=datetime(2024, 1, 1),
        archived_at=None,
        uid="urn:uuid:0b6c3c1e-0000-4000-8000-000000000001",
    )
    return replace(base, **over)  # type: ignore[arg-type]


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def test_rapport_layout_round_trips_field_for_field() -> None:
    people = [
        person(),
        person(
            2,
            display_name="Grace",
            given_name="",
            family_name="",
            emails=(),
            phones=(PhoneData("+1 (555) 010-9999", ""),),
            handles=(),
            tags=("solo, with comma",),
            roles=(),
            consents=(),
            custom=(),
            notes="",
            next_follow_up=None,
            uid="grace-uid",
        ),
    ]
    text = write_csv(people, "rapport")
    data = text.encode("utf-8")
    assert sniff_csv(data, "export.csv").layout == "rapport"
    result = read_csv(data, "export.csv")
    assert result.format == "CSV (Rapport)"
    assert result.rejected == ()
    assert len(result.records) == 2
    for original, rec in zip(people, result.records, strict=True):
        expected = original.to_input()
        got = rec.person
        assert rec.uid == original.uid
        for name in (
            "given_name",
            "family_name",
            "display_name",
            "pronouns",
            "organisation",
            "title",
            "city",
            "country",
            "time_zone",
            "bio",
            "notes",
            "roles",
            "emails",
            "phones",
            "handles",
            "tags",
            "consents",
            "next_follow_up",
        ):
            assert getattr(got, name) == getattr(expected, name), name
        assert rec.custom == tuple((f.name, f.value) for f in original.custom)
        assert rec.extra == ()
        assert rec.warnings == ()


def test_rapport_header_and_line_numbers_after_multiline_notes() -> None:
    text = write_csv([person(1), person(2, uid="two")], "rapport")
    header = rows(text)[0]
    assert header[:3] == ["uid", "display_name", "given_name"]
    assert header[-2:] == ["custom:Shirt size", "custom:Ticket"]
    result = read_csv(text.encode(), "x.csv")
    # Ada's notes, emails, phones … span several lines: the second row starts later.
    first_lines = re.split(r"\r\n|\n|\r", text)
    assert result.records[0].line == 2
    assert first_lines[result.records[1].line - 1].startswith("two,")


def test_fields_limit_the_columns() -> None:
    text = write_csv([person()], "rapport", fields=["given_name", "email", "handle:github"])
    assert rows(text)[0] == ["given_name", "emails", "handles"]
    assert rows(text)[1][2] == "github: ada"  # only the chosen network is shared
    assert "ada@example.org" in rows(text)[1][1]
    assert "Lovelace" not in text
    google = rows(write_csv([person()], "google", fields=["given_name", "family_name"]))
    assert google[0] == ["First Name", "Last Name"]
    outlook = rows(write_csv([person()], "outlook", fields=["organisation"]))
    assert outlook == [["Company"], ["Analytical Engines, Ltd; London"]]


def test_unknown_field_is_refused() -> None:
    with pytest.raises(ValidationError, match="shoe_size"):
        write_csv([person()], "rapport", fields=["shoe_size"])


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=already", "''=already"),
        ("+4930123456", "+4930123456"),  # E.164: left alone on purpose
        ("+49 30 123456", "'+49 30 123456"),  # not E.164: guarded
        ("+4930123456=1", "'+4930123456=1"),
        ("plain", "plain"),
        ("'quoted", "'quoted"),
        ("", ""),
    ],
)
def test_guard(cell: str, written: str) -> None:
    assert guard(cell) == written


@pytest.mark.parametrize("layout", ["rapport", "google", "outlook"])
def test_no_cell_runs_as_a_formula(layout: str) -> None:
    evil = person(
        given_name='=HYPERLINK("http://evil","x")',
        family_name="@SUM(1)",
        organisation="+cmd",
        title="-2+3",
        city="\tTab",
        notes="\r=1",
        tags=("=tag", "ok"),
        phones=(PhoneData("+4930123456", "work"), PhoneData("=1", "home")),
        emails=(EmailData("=a@b.org", "work"),),
    )
    for row in rows(write_csv([evil], layout))[1:]:
        for cell in row:
            if cell.startswith("+"):
                assert cell == "+4930123456"  # the documented E.164 exception
            else:
                assert not cell[:1] or cell[0] not in "=+-@\t\r", (layout, cell)
    if layout == "rapport":
        back = read_csv(write_csv([evil], layout).encode(), "evil.csv").records[0].person
        assert back.given_name == evil.given_name
        assert back.title == "-2+3"
        assert back.tags == ("=tag", "ok")
        assert back.emails == (EmailData("=a@b.org", "work"),)


def test_e164_phones_reach_google_and_outlook_without_apostrophe() -> None:
    g = write_csv([person()], "google")
    o = write_csv([person()], "outlook")
    assert ",+442071234567," in g
    assert "'+44" not in g + o
    assert "+442071234567" in o


def test_google_layout() -> None:
    text = write_csv([person(), person(2, emails=(), given_name="", family_name="")], "google")
    assert not text.startswith("\ufeff")
    table = rows(text)
    header, ada, other = table
    cell = dict(zip(header, ada, strict=True))
    assert cell["First Name"] == "Ada"
    assert cell["Last Name"] == "Lovelace"
    assert cell["Organization Name"] == "Analytical Engines, Ltd; London"
    assert cell["E-mail 1 - Label"] == "Work"
    assert cell["E-mail 1 - Value"] == "ada@example.org"
    assert cell["E-mail 2 - Value"] == "ada@home.example"
    assert cell["Phone 1 - Value"] == "+442071234567"
    assert cell["Labels"].split(" ::: ")[:2] == ["Python", "math, logic"]
    assert cell["Address 1 - City"] == "London"
    assert ("github", "ada") in [
        (cell[f"Custom Field {i} - Label"], cell[f"Custom Field {i} - Value"]) for i in range(1, 6)
    ]
    assert dict(zip(header, other, strict=True))["First Name"] == "Ada Lovelace"
    # Our own reader recognises the file as Google's and gets the people back.
    back = read_csv(text.encode(), "g.csv")
    assert back.format == "CSV (Google Contacts)"
    assert back.records[0].person.emails[0] == EmailData("ada@example.org", "work")


def test_outlook_layout() -> None:
    many = person(
        emails=tuple(EmailData(f"a{i}@example.org", "work") for i in range(4)),
        phones=(
            PhoneData("+4915112345678", "mobile"),
            PhoneData("+493011111111", "work"),
            PhoneData("+493022222222", "home"),
            PhoneData("+493033333333", "mobile"),
        ),
    )
    text = write_csv([many], "outlook")
    assert text.startswith("\ufeff")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    header, row = rows(text)
    cell = dict(zip(header, row, strict=True))
    assert cell["First Name"] == "Ada"
    assert cell["Company"] == "Analytical Engines, Ltd; London"
    assert cell["Job Title"] == "Mathematician"
    assert cell["E-mail 3 Address"] == "a2@example.org"
    assert cell["Mobile Phone"] == "+4915112345678"
    assert cell["Business Phone"] == "+493011111111"
    assert cell["Home Phone"] == "+493022222222"
    assert cell["Other Phone"] == "+493033333333"
    assert cell["Categories"].split(";")[0] == "Python"
    notes = cell["Notes"]
    assert "E-mail (work): a3@example.org" in notes  # the fourth email is not dropped
    assert "github: ada" in notes
    assert "Pronouns: she/her" in notes
    back = read_csv(text.encode("utf-8"), "o.csv")
    assert back.format == "CSV (Outlook)"
    assert back.records[0].person.phones[0] == PhoneData("+4915112345678", "mobile")


def test_empty_export_has_a_header() -> None:
    assert rows(write_csv([], "rapport"))[0][0] == "uid"


def test_partner_export_fields_with_photo_and_handle_networks() -> None:
    """The partner export passes its own field names; a photo has no CSV column."""
    fields = ["display_name", "emails", "photo", "handle:mastodon"]
    header, row = rows(write_csv([person()], "rapport", fields=fields))
    assert header == ["display_name", "emails", "handles"]
    assert row[2] == "mastodon: @ada@hachyderm.io"


@pytest.mark.parametrize("layout", ["google", "outlook"])
def test_display_name_only_does_not_leak_the_name_parts(layout: str) -> None:
    p = person(display_name="Ada (Countess)", given_name="Augusta Ada", family_name="King")
    text = write_csv([p], layout, fields=["display_name", "emails"])  # type: ignore[arg-type]
    assert "Augusta" not in text and "King" not in text
    assert "Ada (Countess)" in text
