"""Whatever it is fed, read_vcards returns a ReadResult or refuses the file; never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crm.services.io.records import NotAContactFile, ReadResult
from crm.services.io.vcard_read import read_vcards

# Real-world files beside the checkout (../shared/corpora), not in the project: licences.
CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpora" / "vcf"


def outcome(data: bytes) -> ReadResult | None:
    try:
        result = read_vcards(data, "fuzz.vcf")
    except NotAContactFile as exc:
        assert str(exc).startswith("fuzz.vcf: ")
        return None
    assert isinstance(result, ReadResult)
    assert all(r.line >= 1 for r in (*result.records, *result.rejected))
    return result


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data: bytes) -> None:
    outcome(data)
    outcome(b"BEGIN:VCARD\r\n" + data)  # past the first check


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_arbitrary_text(text: str) -> None:
    outcome(text.encode("utf-8", "surrogatepass"))
    outcome(f"BEGIN:VCARD\nVERSION:2.1\n{text}\nEND:VCARD\n".encode("utf-8", "surrogatepass"))


_names = st.sampled_from(
    [
        "FN",
        "N",
        "EMAIL",
        "TEL",
        "ADR",
        "ORG",
        "PHOTO",
        "NOTE",
        "BDAY",
        "CATEGORIES",
        "IMPP",
        "X-SOCIALPROFILE",
        "AGENT",
        "BEGIN",
        "END",
        "X-ABLABEL",
        "item1.EMAIL",
        "item1.X-ABLabel",
        "URL",
        "TZ",
        "LABEL",
        "LOGO",
        "VERSION",
        "UID",
    ]
)
_params = st.lists(
    st.sampled_from(
        [
            ";ENCODING=QUOTED-PRINTABLE",
            ";QUOTED-PRINTABLE",
            ";CHARSET=UTF-8",
            ";CHARSET=SHIFT_JIS",
            ";CHARSET=nonsense",
            ";ENCODING=b",
            ";ENCODING=BASE64",
            ";TYPE=work,pref",
            ';TYPE="a;b"',
            ";WORK",
            ";X-USER=x",
        ]
    ),
    max_size=3,
).map("".join)
_values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["=C3=", "=", "data:image/png;base64,@@", "VCARD", "--0229", "xmpp:"]),
)
_line = st.tuples(_names, _params, _values).map(lambda t: f"{t[0]}{t[1]}:{t[2]}")


@settings(max_examples=300, deadline=None)
@given(st.lists(_line, max_size=20), st.sampled_from(["\r\n", "\n", "\r"]))
def test_vcard_shaped_nonsense(lines: list[str], newline: str) -> None:
    body = newline.join(["BEGIN:VCARD", *lines, "END:VCARD"])
    outcome(body.encode("utf-8", "surrogatepass"))
    outcome(body.encode("utf-8", "surrogatepass").replace(b"\xc3", b"\xe9"))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared real-world corpus is not here")
def test_the_real_world_corpus_reads_without_tracebacks() -> None:
    """Files real programs wrote (vobject alone fails on a quarter of them)."""
    files = sorted(CORPUS.glob("*.vcf"))
    read = 0
    for path in files:
        result = outcome(path.read_bytes())
        read += bool(result and result.records)
    assert read >= 0.9 * len(files)
