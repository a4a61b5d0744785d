"""Read a contacts CSV as real programs write it: any encoding they use, any delimiter.

sniff_csv() looks at a file for the mapping step (encoding, delimiter, headers, the
first rows, the layout and a mapping); read_csv() turns every row into a
ContactRecord, or a Rejected with the physical line it starts on and why. A file that
is not a table of contacts at all raises NotAContactFile naming the file and the
reason; nothing else escapes, whatever the bytes.

Rows are parsed by csv.reader in strict mode, so a broken quote is noticed where it
is rather than silently swallowing the rows after it: the row is rejected and reading
starts again on the next physical line.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from crm.services.common import gc_paused
from crm.services.io.csv_layouts import (
    LAYOUT_NAMES,
    LAYOUTS,
    TARGET_FIELDS,
    detect_layout,
    layout_mapping,
)
from crm.services.io.csv_rows import RowPlan
from crm.services.io.records import ContactRecord, NotAContactFile, ReadResult, Rejected

__all__ = ["LAYOUTS", "TARGET_FIELDS", "CsvPreview", "read_csv", "sniff_csv"]

PREVIEW_ROWS = 20
# csv's default field limit (128 KiB) would refuse a row whose notes hold a pasted
# photo or a long thread; the limit is process-wide, so it is only ever raised.
FIELD_LIMIT = 32 * 1024 * 1024
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_DELIMITERS = ",;\t|"
_SAMPLE = 4096


@dataclass(frozen=True)
class CsvPreview:
    """What the mapping step shows before anything is imported."""

    encoding: str  # "utf-8", "utf-8-sig", "utf-16-le", "utf-16-be" or "cp1252"
    delimiter: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # the first PREVIEW_ROWS data rows
    total_rows: int
    layout: str | None  # "google", "outlook", "rapport" or None
    mapping: dict[str, str] = field(default_factory=dict)  # header → target field


def _undefined_as_latin1(exc: UnicodeError) -> tuple[str, int]:
    """cp1252 leaves five bytes undefined: keep them as the Latin-1 characters, lose nothing."""
    assert isinstance(exc, UnicodeDecodeError)
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error("rapport-latin1", _undefined_as_latin1)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding). UTF-16 is what Outlook writes ("Unicode text"), with or without BOM."""
    if not data or data.isspace():
        raise NotAContactFile(f"{name}: the file is empty")
    if data.startswith(codecs.BOM_UTF8):
        enc, body = "utf-8-sig", data[3:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        le = data.startswith(codecs.BOM_UTF16_LE)
        enc, body = ("utf-16-le" if le else "utf-16-be"), data[2:]
    elif 0 in data[:_SAMPLE]:
        sample = data[:_SAMPLE]
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        if odd > len(sample) // 4 and even == 0:
            enc, body = "utf-16-le", data
        elif even > len(sample) // 4 and odd == 0:
            enc, body = "utf-16-be", data
        else:
            raise NotAContactFile(f"{name}: binary data, not a CSV file")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text, enc = data.decode("cp1252", errors="rapport-latin1"), "cp1252"
        else:
            enc = "utf-8"
        return _check_text(text, name), enc
    codec = "utf-8" if enc == "utf-8-sig" else enc
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        raise NotAContactFile(
            f"{name}: starts like {enc.upper()} text, "
            f"but byte {exc.start} is not valid {enc.upper()}"
        ) from None
    return _check_text(text, name), enc


def _check_text(text: str, name: str) -> str:
    sample = text[:_SAMPLE]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n")
    if "\x00" in sample or controls > max(3, len(sample) // 20):
        raise NotAContactFile(f"{name}: binary data, not a CSV file")
    if not text or text.isspace():
        raise NotAContactFile(f"{name}: the file is empty")
    return text


def _sniff_delimiter(lines: list[str], start: int) -> str:
    """csv.Sniffer on the first lines; when it fails or disagrees with the header, counting."""
    header = lines[start]
    sample = "".join(lines[start : start + PREVIEW_ROWS + 1])[:65536]
    try:
        found = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        found = ""
    if found and header.count(found):
        return found
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _looks_like_data(cell: str) -> bool:
    c = cell.strip()
    if _EMAIL.fullmatch(c):
        return True
    return bool(c) and all(ch.isdigit() or ch in " +-().,/" for ch in c)


def _looks_like_prose(headers: list[str]) -> bool:
    return any(
        len(h) > 60 or len(h.split()) > 6 or h.rstrip().endswith((".", "!", "?")) for h in headers
    )


@dataclass
class _Table:
    """A decoded file with its header found; split into lines only when needed."""

    name: str
    encoding: str
    text: str
    delimiter: str
    header_index: int  # 0-based physical line of the header
    headers: list[str]
    layout: str | None
    _lines: list[str] | None = None

    def lines(self) -> list[str]:
        """Physical lines (\\n, \\r\\n or \\r), as csv.reader counts them."""
        if self._lines is None:
            self._lines = io.StringIO(self.text, newline="").readlines()
        return self._lines


def open_table(data: bytes, name: str) -> _Table:
    """Any CSV with a header row (survey results too): decoded, delimiter sniffed.

    The header is not judged as contacts; rows come from table_rows().
    """
    text, encoding = decode(data, name)
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)
    # The first lines are all this needs: a prefix spares copying a big text.
    src = io.StringIO(text[: _PREFIX + 65536], newline="")
    start = 0
    for line in src:
        if line.strip():
            break
        start += 1
    else:
        raise NotAContactFile(f"{name}: the file is empty")
    head = [line, *itertools.islice(src, PREVIEW_ROWS)]
    delimiter = _sniff_delimiter(head, 0)
    try:
        reader = csv.reader(head, delimiter=delimiter, strict=True)
        headers = [h.strip() for h in next(reader)]
        if reader.line_num > 1:
            raise csv.Error("a header cell spans lines")
    except (csv.Error, StopIteration):
        raise NotAContactFile(
            f"{name}: line {start + 1}: the header row is not valid CSV"
        ) from None
    if not any(headers):
        raise NotAContactFile(f"{name}: line {start + 1}: the first row is empty, not column names")
    return _Table(name, encoding, text, delimiter, start, headers, None)


def table_rows(t: _Table) -> Iterator[tuple[int, list[str] | str]]:
    """(physical line, cells) for each data row of open_table(), or (line, why it broke)."""
    return _rows(t)


def _open(data: bytes, name: str) -> _Table:
    table = open_table(data, name)
    headers = table.headers
    where = f"{name}: line {table.header_index + 1}"
    for h in headers:
        if _looks_like_data(h):
            raise NotAContactFile(
                f"{where}: the first row holds data (“{h[:40]}”), not column names — "
                "add a header row naming the columns"
            )
    layout = detect_layout(headers)
    if layout is None:
        guessed = layout_mapping(None, headers)
        known = any(t not in ("extra", "ignore") for t in guessed.values())
        if not known and len(headers) == 1:
            raise NotAContactFile(f"{where}: a single column of text, not a table of contacts")
        if not known and _looks_like_prose(headers):
            raise NotAContactFile(f"{where}: reads as prose, not a table of contacts")
    table.layout = layout
    return table


def _rows(t: _Table) -> Iterator[tuple[int, list[str] | str]]:
    """(physical line number, row) for each data row, or (line, reason) for a broken one.

    The first pass streams the text; only after a broken row is the file split into
    lines, to start again on the line after the one to blame.
    """
    delim = t.delimiter
    pos = t.header_index + 1
    src: Iterator[str] = io.StringIO(t.text, newline="")
    for _ in range(pos):
        next(src, None)
    while True:
        reader = csv.reader(src, delimiter=delim, strict=True)
        done = 0  # lines of this reader consumed by complete rows
        try:
            for row in reader:
                yield pos + done + 1, row
                done = reader.line_num
            return
        except csv.Error as exc:
            lines = t.lines()
            first = pos + done
            line = lines[first]
            if line.count('"') % 2 == 0:
                # Quotes balanced on the line: a stray quote inside a field ("ab"c),
                # which non-strict parsing reads the way a person would.
                try:
                    yield first + 1, next(csv.reader([line], delimiter=delim))
                except (csv.Error, StopIteration):
                    yield first + 1, f"broken quoting ({exc})"
            elif "field larger" in str(exc):
                yield first + 1, "a field longer than 32 MB"
            else:
                yield first + 1, "a quote opens a field that never closes"
            pos = first + 1
            if pos >= len(lines):
                return
            src = itertools.islice(lines, pos, None)


def sniff_csv(data: bytes, name: str) -> CsvPreview:
    """Encoding, delimiter, headers, first rows, layout and mapping, for the mapping step.

    Reads the first rows only (of the first few megabytes, unless they are longer);
    the total is counted, or for a big file with quoted newlines estimated, cheaply.
    """
    t = _open(data, name)
    head = t
    if len(t.text) > _PREFIX:
        head = dataclasses.replace(t, text=t.text[:_PREFIX], _lines=None)
    rows, total, complete = _preview(head)
    if complete and head is not t:  # the prefix ended before PREVIEW_ROWS + 1 rows
        rows, total, complete = _preview(t)
    if not complete:
        total = _count_rows(t)
    if total == 0:
        raise NotAContactFile(f"{name}: column names but no rows of contacts")
    return CsvPreview(
        encoding=t.encoding,
        delimiter=t.delimiter,
        headers=tuple(t.headers),
        rows=tuple(rows[:PREVIEW_ROWS]),
        total_rows=total,
        layout=t.layout,
        mapping=layout_mapping(t.layout, t.headers),
    )


_PREFIX = 4 * 1024 * 1024


def _preview(t: _Table) -> tuple[list[tuple[str, ...]], int, bool]:
    """(first rows, rows counted, whether that was every row). One row more than shown
    is read, so the last one shown cannot be one the prefix cut short."""
    rows: list[tuple[str, ...]] = []
    total = 0
    for _line, row in _rows(t):
        if isinstance(row, str):
            total += 1
        elif any(row):
            total += 1
            rows.append(tuple(row))
            if len(rows) > PREVIEW_ROWS:
                return rows, total, False
    return rows, total, True


def _count_rows(t: _Table) -> int:
    """Data rows, cheaply: a preview of a 100,000-row file must not cost a read of it.

    Without quotes every line is a row. With them, a file up to 2 MB is parsed
    (csv.reader at C speed); a bigger one is estimated from its newlines and the
    lines per row of its first 2,000 rows.
    """
    text = t.text
    newline = "\n" if "\n" in text else "\r"
    lines = text.count(newline) + (not text.endswith(newline)) - t.header_index - 1
    if '"' not in text:
        return lines
    src = io.StringIO(text if len(text) <= 2_000_000 else text[:_PREFIX], newline="")
    for _ in range(t.header_index + 1):
        next(src, None)
    reader = csv.reader(src, delimiter=t.delimiter)
    try:
        if len(text) <= 2_000_000:
            return sum(map(bool, reader))
        sample = sum(1 for _ in itertools.islice(reader, 2000))
    except csv.Error:
        return lines
    return round(lines * sample / reader.line_num) if reader.line_num else lines


def read_csv(data: bytes, name: str, mapping: Mapping[str, str] | None = None) -> ReadResult:
    """Every row as a ContactRecord, or Rejected with its line number and why."""
    t = _open(data, name)
    if mapping is None:
        mapping = layout_mapping(t.layout, t.headers)
        layout = t.layout
    else:
        mapping = dict(mapping)
        named = [k for k, m in LAYOUTS.items() if m == mapping]
        if named:
            layout: str | None = named[0]
        else:
            layout = t.layout if mapping == layout_mapping(t.layout, t.headers) else None
    plan = RowPlan(t.headers, mapping, layout)
    # A read makes millions of small objects and frees none (half the time of a
    # 100,000-row read went to the cyclic GC walking them).
    with gc_paused():
        return _read_rows(t, plan, layout)


def _read_rows(t: _Table, plan: RowPlan, layout: str | None) -> ReadResult:
    name = t.name
    records: list[ContactRecord] = []
    rejected: list[Rejected] = []
    build = plan.record
    empty = 0
    seen = False
    for line, row in _rows(t):
        if isinstance(row, str):
            rejected.append(Rejected(line, row))
            seen = True
            continue
        result = build(line, row)
        if result is None:
            empty += 1
            continue
        seen = True
        if isinstance(result, str):
            rejected.append(Rejected(line, result))
        else:
            records.append(result)
    if not seen:
        raise NotAContactFile(f"{name}: column names but no rows of contacts")
    notes = [f"read as {t.encoding}", f"columns separated by {_DELIMITER_NAMES[t.delimiter]}"]
    if empty:
        notes.append(f"{empty} empty row{'s' if empty > 1 else ''} skipped")
    notes.extend(plan.notes)
    return ReadResult(
        name=name,
        format=LAYOUT_NAMES[layout],
        records=tuple(records),
        rejected=tuple(rejected),
        notes=tuple(notes),
    )


_DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}
