"""write_vcards: the file format, and that reading an export back gives the same people."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm.models.people import ROLES
from crm.services.io.vcard_read import read_vcards
from crm.services.io.vcard_write import write_vcards
from crm.services.people_data import (
    EmailData,
    FieldValueData,
    HandleData,
    PersonDetail,
    PersonInput,
    PhoneData,
)

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
# The parts of a person a vCard carries (consents, relationships … are not contact data).
CARRIED = [
    "display_name",
    "given_name",
    "family_name",
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
    "photo",
]


def detail(**fields: object) -> PersonDetail:
    base: dict[str, object] = dict(
        id=1,
        display_name="Ada Lovelace",
        given_name="",
        family_name="",
        pronouns="",
        organisation="",
        title="",
        city="",
        country="",
        time_zone="",
        bio="",
        notes="",
        roles=(),
        emails=(),
        phones=(),
        handles=(),
        tags=(),
        consents=(),
        relationships=(),
        communities=(),
        referred_by=None,
        referrals=(),
        custom=(),
        next_follow_up=None,
        last_interaction=None,
        created_at=datetime(2026, 1, 1),
        archived_at=None,
        photo=None,
        uid="uid-1",
    )
    base.update(fields)
    return PersonDetail(**base)  # type: ignore[arg-type]


def carried(person: PersonDetail | PersonInput) -> dict[str, object]:
    return {name: getattr(person, name) for name in CARRIED}


TRICKY = detail(
    id=7,
    uid="8a6e0c2e-3f4b-4c1d-9e2f-0a1b2c3d4e5f",
    display_name='Zoë Ünal-Øster, PhD; "the" \\ boss',
    given_name="Zoë",
    family_name="Ünal-Øster; jr",
    pronouns="she/they",
    organisation="Acme; Widgets, Ltd.",
    title="Head of Δ, R&D",
    city="Zürich",
    country="Schweiz",
    time_zone="Europe/Zurich",
    bio="Speaks at meetups; writes, a lot.",
    notes="Line one,\nline two; with \\ backslash\n\n" + "日本語のテキスト " * 19 + "終",
    roles=("member", "speaker", "partner liaison"),
    emails=(EmailData("zoe@example.com", "work"), EmailData("z@example.org", "Signal backup")),
    phones=(PhoneData("+41 44 668 18 00", "mobile"), PhoneData("+41 44 000 00 00", "work fax")),
    handles=(
        HandleData("github", "zoe-u"),
        HandleData("xmpp", "zoe@jabber.example"),
        HandleData("mastodon", "@zoe@hachyderm.io"),
    ),
    tags=("a,b", "c;d", "Ünïcode"),
    photo=PNG,
    custom=(
        FieldValueData(1, "T-shirt size", "text", "M"),
        FieldValueData(2, "Dietary; needs", "text", "vegan, no nuts\nreally"),
    ),
)


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_round_trip_of_a_tricky_person(version: str) -> None:
    text = write_vcards([TRICKY], version)  # type: ignore[arg-type]
    result = read_vcards(text.encode(), "export.vcf")
    (card,) = result.records
    assert result.format == f"vCard {version}"
    assert carried(card.person) == carried(TRICKY)
    assert card.uid == TRICKY.uid
    assert card.custom == (("T-shirt size", "M"), ("Dietary; needs", "vegan, no nuts\nreally"))
    assert card.extra == ()  # nothing Rapport wrote comes back as stray notes
    assert card.warnings == ()


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_lines_end_in_crlf_and_fold_at_75_octets(version: str) -> None:
    text = write_vcards([TRICKY], version)  # type: ignore[arg-type]
    assert text.endswith("END:VCARD\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert max(len(line.encode()) for line in lines) <= 75
    assert any(line.startswith(" ") for line in lines)  # the long note and photo were folded
    assert f"UID:{TRICKY.uid}" in lines
    assert "X-RAPPORT-ROLES:member,speaker,partner liaison" in lines


def test_vcard_4_forms() -> None:
    text = write_vcards([TRICKY], "4.0").replace("\r\n ", "")
    assert "VERSION:4.0" in text
    assert "PHOTO:data:image/png;base64," in text
    assert "TEL;TYPE=cell:" in text
    assert "PRONOUNS:she/they" in text
    assert "CHARSET" not in text
    v3 = write_vcards([TRICKY], "3.0").replace("\r\n ", "")
    assert "PHOTO;ENCODING=b;TYPE=PNG:" in v3
    assert "TEL;TYPE=CELL:" in v3


def test_every_card_has_a_uid_even_without_one_stored() -> None:
    text = write_vcards([detail(uid="", id=42), detail(uid="", id=43)], "3.0")
    uids = [line for line in text.split("\r\n") if line.startswith("UID:")]
    assert len(set(uids)) == 2


def test_unknown_version_is_refused() -> None:
    with pytest.raises(ValueError, match=r"3\.0 or 4\.0"):
        write_vcards([TRICKY], "2.1")  # type: ignore[arg-type]


_text = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=60
)
_word = _text.map(str.strip).filter(bool)
_label = st.one_of(
    st.sampled_from(["", "work", "home", "mobile", "work fax", "other"]),
    _word.filter(lambda s: "  " not in s and not s.startswith("_$!<")),
)
_person = st.builds(
    detail,
    display_name=_word,
    given_name=st.one_of(st.just(""), _word),
    family_name=st.one_of(st.just(""), _word),
    organisation=st.one_of(st.just(""), _word),
    title=st.one_of(st.just(""), _word),
    pronouns=st.one_of(st.just(""), _word),
    city=st.one_of(st.just(""), _word),
    country=st.one_of(st.just(""), _word),
    time_zone=st.sampled_from(["", "Europe/Berlin", "America/Argentina/Buenos_Aires", "UTC"]),
    bio=st.one_of(st.just(""), _word),
    notes=st.one_of(st.just(""), _word, st.lists(_word, min_size=2).map("\n".join)),
    roles=st.lists(st.sampled_from(ROLES), unique=True).map(tuple),
    emails=st.lists(st.builds(EmailData, _word, _label), max_size=3).map(tuple),
    phones=st.lists(st.builds(PhoneData, _word, _label), max_size=3).map(tuple),
    handles=st.lists(
        st.builds(
            HandleData,
            st.sampled_from(["github", "mastodon", "xmpp", "matrix", "linkedin", "x"]),
            _word.filter(lambda s: not s.startswith("/")),
        ),
        unique=True,
        max_size=3,
    ).map(tuple),
    tags=st.lists(_word, unique=True, max_size=4).map(tuple),
    photo=st.one_of(st.none(), st.binary(min_size=1, max_size=300)),
    uid=st.uuids().map(str),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=st.lists(_person, min_size=1, max_size=4), version=st.sampled_from(["3.0", "4.0"]))
def test_round_trip_of_generated_people(people: list[PersonDetail], version: str) -> None:
    text = write_vcards(people, version)  # type: ignore[arg-type]
    result = read_vcards(text.encode(), "export.vcf")
    assert result.rejected == ()
    assert [carried(r.person) for r in result.records] == [carried(p) for p in people]
    assert [r.uid for r in result.records] == [p.uid for p in people]
    assert all(r.extra == () for r in result.records)


# khard installed in the same environment as the tests, else on PATH.
_beside = Path(sys.executable).with_name("khard")
KHARD = str(_beside) if _beside.exists() else shutil.which("khard")


def _khard(config: Path, *args: str) -> str:
    assert KHARD
    done = subprocess.run(
        [KHARD, "-c", str(config), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "HOME": str(config.parent)},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(KHARD is None, reason="khard is not installed")
@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_khard_lists_every_exported_person(tmp_path: Path, version: str) -> None:
    """khard, a real vCard client, reads the export: it hides cards it cannot parse."""
    people = [
        TRICKY,
        detail(id=2, uid="u-2", display_name="Bob Builder", emails=(EmailData("b@x.org"),)),
        detail(
            id=3,
            uid="u-3",
            display_name="Chloé Chen",
            given_name="Chloé",
            family_name="Chen",
            emails=(EmailData("chloe@example.org", "home"),),
            photo=PNG,
        ),
    ]
    book = tmp_path / "book"
    book.mkdir()
    for person in people:
        card = write_vcards([person], version)  # type: ignore[arg-type]
        (book / f"{person.uid}.vcf").write_bytes(card.encode())
    config = tmp_path / "khard.conf"
    config.write_text(
        f"[addressbooks]\n[[rapport]]\npath = {book}\n\n[general]\ndefault_action = list\n"
    )
    listed = _khard(config, "list", "--parsable").splitlines()
    assert sorted(line.split("\t")[0] for line in listed if line.strip()) == sorted(
        p.uid for p in people
    )
    shown = _khard(config, "show", "uid:u-3")
    assert "Full name: Chloé Chen" in shown
    assert "chloe@example.org" in shown
