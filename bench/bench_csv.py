"""CSV reading and writing at 100,000 rows, each against Python's csv module as the floor.

    python bench/bench_csv.py [--rows N] [--out FILE]

No database: the people are built in memory (deterministic), written with write_csv
in Rapport's layout and in Google's, and read back with read_csv. In the same run:

- read floor: csv.reader over the same already-decoded text (rows/s) — the least any
  CSV import can cost; and a second floor, csv.reader plus building the one
  PersonInput and ContactRecord per row that the reader's contract returns;
- read_csv: bytes in, ContactRecords out (decoding, sniffing, mapping, records);
- write floor: csv.writer writing the same cells as plain lists of strings;
- write_csv: PersonDetails in, text out (cells built and guarded against formulas).

The import as a whole must reach 50,000 rows/s; the reader's share of that budget
should be small, so its target is 150,000 rows/s. Writing has no target of its own
in the brief; it is reported against its floor.
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import json
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path

from common import RESULTS

from crm.services.io.csv_read import read_csv
from crm.services.io.csv_rows import _PERSON_DEFAULTS
from crm.services.io.csv_write import write_csv
from crm.services.io.records import ContactRecord
from crm.services.people_data import (
    ConsentData,
    EmailData,
    FieldValueData,
    HandleData,
    PersonDetail,
    PersonInput,
    PhoneData,
)

ROWS = 100_000
READ_TARGET = 150_000  # rows/s for read_csv alone
IMPORT_TARGET = 50_000  # rows/s for the whole import (reader + matching + database)
REPEAT = 3

_GIVEN = ["Ada", "Grace", "Linus", "Zoë", "Jürgen", "Priya", "Sam", "Chloé", "Kim", "Ana"]
_FAMILY = ["Lovelace", "Hopper", "Müller", "Patel", "Rivera", "Durand", "Lee", "Ångström"]
_ORGS = ["Acme Corp", "Analytical Engines", "Ferrous Systems", "Lund University", ""]
_CITIES = ["Berlin", "London", "Paris", "Bengaluru", "São Paulo", "Lund"]
_TAGS = ["python", "rust", "speakers", "berlin", "mentors", "newsletter", "vip"]


def people(n: int) -> list[PersonDetail]:
    """Realistic rows: names, 1–2 emails, a phone, a handle, tags, a consent, some notes."""
    out = []
    created = datetime(2024, 1, 1)
    for i in range(n):
        given, family = _GIVEN[i % len(_GIVEN)], _FAMILY[i % len(_FAMILY)]
        emails = (EmailData(f"{given.lower()}.{i}@example.org", "work"),)
        if i % 3 == 0:
            emails += (EmailData(f"p{i}@home.example", "home"),)
        out.append(
            PersonDetail(
                id=i + 1,
                display_name=f"{given} {family}",
                given_name=given,
                family_name=family,
                pronouns="",
                organisation=_ORGS[i % len(_ORGS)],
                title="Engineer" if i % 2 else "",
                city=_CITIES[i % len(_CITIES)],
                country="Germany",
                time_zone="Europe/Berlin" if i % 4 == 0 else "",
                bio="",
                notes="Met at the meetup.\nFollow up in spring." if i % 10 == 0 else "",
                roles=("member",) if i % 5 else ("member", "speaker"),
                emails=emails,
                phones=(PhoneData(f"+4930{i:08d}", "mobile"),) if i % 2 == 0 else (),
                handles=(HandleData("github", f"user{i}"),) if i % 4 == 1 else (),
                tags=(_TAGS[i % len(_TAGS)], _TAGS[(i * 3) % len(_TAGS)]),
                consents=(ConsentData("partner sharing", True, date(2024, 3, 1), "form"),)
                if i % 7 == 0
                else (),
                relationships=(),
                communities=(),
                referred_by=None,
                referrals=(),
                custom=(FieldValueData(1, "Shirt size", "text", "M"),) if i % 9 == 0 else (),
                next_follow_up=None,
                last_interaction=None,
                created_at=created,
                archived_at=None,
                uid=f"urn:uuid:00000000-0000-4000-8000-{i:012d}",
            )
        )
    return out


def best(fn, repeat: int = REPEAT) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    """The median of `repeat` runs (seconds) and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def rate(rows: int, seconds: float) -> int:
    return round(rows / seconds) if seconds else 0


def measure(layout: str, persons: list[PersonDetail]) -> dict[str, object]:
    n = len(persons)
    write_s, text = best(lambda: write_csv(persons, layout))  # type: ignore[arg-type]
    assert isinstance(text, str)
    data = text.encode("utf-8")
    cells = list(csv.reader(io.StringIO(text, newline="")))

    def floor_write() -> str:
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(cells)
        return out.getvalue()

    floor_write_s, _ = best(floor_write)
    floor_read_s, _ = best(lambda: sum(1 for _ in csv.reader(io.StringIO(text, newline=""))))
    decode_s, _ = best(lambda: data.decode("utf-8"))

    def floor_records() -> int:
        """csv.reader plus the objects the contract asks for, nothing else: one
        PersonInput (three fields set) and one ContactRecord per row, built the
        same fast way read_csv builds them. What any reader must at least spend."""
        new, n_rec = object.__new__, 0
        gc.disable()
        try:
            for i, row in enumerate(csv.reader(io.StringIO(text, newline=""))):
                p = new(PersonInput)
                p.__dict__.update(_PERSON_DEFAULTS)
                p.__dict__.update(custom={}, given_name=row[1], family_name=row[2])
                r = new(ContactRecord)
                r.__dict__.update(line=i, person=p, uid="", extra=(), warnings=(), custom=())
                n_rec += 1
        finally:
            gc.enable()
        return n_rec

    floor_records_s, _ = best(floor_records)
    read_s, result = best(lambda: read_csv(data, f"bench-{layout}.csv"))
    assert result is not None
    records = len(result.records)  # type: ignore[attr-defined]
    assert records == n, f"{layout}: read {records} of {n} rows"
    read_rate = rate(n, read_s)
    return {
        "rows": n,
        "bytes": len(data),
        "read": {
            "floor_csv_reader_rows_per_s": rate(n, floor_read_s),
            "floor_decode_ms": round(decode_s * 1000, 1),
            "floor_reader_plus_records_rows_per_s": rate(n, floor_records_s),
            "read_csv_rows_per_s": read_rate,
            "read_csv_s": round(read_s, 3),
            "ratio_to_floor": round(floor_read_s / read_s, 3),
            "target_rows_per_s": READ_TARGET,
            "ok": read_rate >= READ_TARGET,
        },
        "write": {
            "floor_csv_writer_rows_per_s": rate(n, floor_write_s),
            "write_csv_rows_per_s": rate(n, write_s),
            "write_csv_s": round(write_s, 3),
            "ratio_to_floor": round(floor_write_s / write_s, 3),
        },
    }


def run(rows: int = ROWS) -> dict[str, object]:
    persons = people(rows)
    figures: dict[str, object] = {
        "rapport": measure("rapport", persons),
        "google": measure("google", persons),
        "import_target_rows_per_s": IMPORT_TARGET,
    }
    figures["ok"] = all(figures[k]["read"]["ok"] for k in ("rapport", "google"))  # type: ignore[index]
    return figures


def save(figures: dict[str, object], out: Path = RESULTS / "csv.json") -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(figures, indent=2) + "\n")
    tmp.replace(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--out", type=Path, default=RESULTS / "csv.json")
    args = parser.parse_args()
    figures = run(args.rows)
    save(figures, args.out)
    print(json.dumps(figures, indent=2))
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
