"""Any bytes as a contact file: an ImportReport or a clear error, never a traceback,
and never a partial write."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm.services import ServiceError, Services
from crm.services.imports import ImportReport

_counter = itertools.count()

_VCARD_LINES = st.sampled_from(
    [
        "BEGIN:VCARD",
        "END:VCARD",
        "VERSION:2.1",
        "VERSION:3.0",
        "VERSION:4.0",
        "FN:Ada Lovelace",
        "N:Lovelace;Ada;;;",
        "EMAIL:ada@example.com",
        "EMAIL;TYPE=INTERNET:not an email",
        "TEL:+1 650 253 0000",
        "TEL;CELL:12",
        "ORG:Engines;R&D",
        "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:caf=E9=",
        "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ",
        "BDAY:--0415",
        "CATEGORIES:a,b",
        "UID:x",
        " folded continuation",
        "X-SOCIALPROFILE;type=github:https://github.com/ada",
    ]
)
_CSV_CELLS = st.sampled_from(
    ["Name", "Email", "Phone", "Organisation", "Ada", "a@b.co", "+16502530000", '"', "", "=1+1"]
)


def _vcard_text() -> st.SearchStrategy[bytes]:
    return st.lists(_VCARD_LINES, max_size=25).map(lambda ls: "\r\n".join(ls).encode())


def _csv_text() -> st.SearchStrategy[bytes]:
    row = st.lists(_CSV_CELLS, min_size=1, max_size=5).map(",".join)
    return st.lists(row, min_size=1, max_size=8).map(lambda rs: "\n".join(rs).encode())


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.one_of(st.binary(max_size=400), _vcard_text(), _csv_text()),
    suffix=st.sampled_from([".vcf", ".csv", ".txt", ""]),
)
def test_arbitrary_bytes_import_or_refuse_cleanly(
    services: Services, snapshot, tmp_path: Path, data: bytes, suffix: str
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / f"fuzz{next(_counter)}{suffix}"
    path.write_bytes(data)
    before = snapshot()
    try:
        report = services.imports.import_files([path], on_duplicate="add")
    except ServiceError as exc:  # NotAContactFile is one
        assert str(exc).strip() and "Traceback" not in str(exc)
        assert snapshot() == before
    else:
        assert isinstance(report, ImportReport)
        after = snapshot()
        assert after["person"] == before["person"] + report.added
        for _name, rejected in report.rejected:
            assert rejected.line >= 1 and rejected.reason
