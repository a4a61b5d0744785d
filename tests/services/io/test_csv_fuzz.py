"""Whatever bytes arrive, the CSV reader gives a result or NotAContactFile — nothing else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm.services.io.csv_read import read_csv, sniff_csv
from crm.services.io.csv_write import write_csv
from crm.services.io.records import ContactRecord, NotAContactFile, ReadResult, Rejected

FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)

# Text that looks like a CSV often enough to reach the row code, not only the sniffer.
cells = st.text(alphabet=st.sampled_from(list("ab@.;,\t|\"'\n\r =+-xé€\x00 ")), max_size=12)
csv_like = st.lists(
    st.lists(cells, min_size=1, max_size=6).map(lambda r: ",".join(r)), min_size=1, max_size=8
).map(lambda rows: "Name,Email,Company\n" + "\n".join(rows))


# Printable text and newlines: a file of control characters is refused as binary.
printable = st.characters(blacklist_categories=("Cc", "Cs"), whitelist_characters="\n\t")


def check(data: bytes) -> None:
    for fn in (sniff_csv, read_csv):
        try:
            result = fn(data, "fuzz.csv")
        except NotAContactFile as exc:
            assert str(exc).startswith("fuzz.csv: ")
            continue
        if isinstance(result, ReadResult):
            assert result.records or result.rejected
            for r in result.records:
                assert isinstance(r, ContactRecord) and r.line >= 2
            for r in result.rejected:
                assert isinstance(r, Rejected) and r.line >= 2 and r.reason


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes(data: bytes) -> None:
    check(data)


@FUZZ
@given(st.text(max_size=300), st.sampled_from(["utf-8", "utf-16", "utf-16-le", "cp1252"]))
def test_arbitrary_text(text: str, encoding: str) -> None:
    check(text.encode(encoding, errors="replace"))


@FUZZ
@given(csv_like, st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_csv_like_text(text: str, encoding: str) -> None:
    check(text.encode(encoding))


@FUZZ
@given(st.lists(st.text(printable, max_size=20), min_size=3, max_size=3), st.booleans())
def test_any_field_values_survive_the_rapport_layout(values: list[str], lone_tag: bool) -> None:
    """What write_csv writes, read_csv reads back (names, notes, a tag) or rejects whole."""
    from tests.services.io.test_csv_write import person

    given_name, notes, tag = (v.replace("\r", "") for v in values)
    p = person(given_name=given_name, notes=notes, tags=(tag,) if lone_tag else (tag, "x"))
    result = read_csv(write_csv([p], "rapport").encode(), "rt.csv")
    got = result.records[0].person
    assert got.given_name == given_name.strip()
    assert got.notes == notes.strip()
    # A tag is one line: a newline in one is written as a space.
    tag = tag.replace("\n", " ").strip()
    assert got.tags == ((tag,) if tag else ()) + (() if lone_tag else ("x",))


CORPORA = Path(os.environ.get("RAPPORT_CORPORA", "/work/shared/corpora")) / "csv"


@pytest.mark.skipif(not CORPORA.is_dir(), reason="shared corpora not present")
def test_real_files_from_the_corpora() -> None:
    """Files other programs wrote: each reads or is refused with a message, never crashes."""
    read = 0
    for path in sorted(CORPORA.glob("*.csv")):
        try:
            result = read_csv(path.read_bytes(), path.name)
        except NotAContactFile:
            continue
        read += 1
        assert result.records, path.name
    assert read >= 5
