"""Real-world contact files (../shared/corpora, not part of the project): each one either
imports or is refused with a clear message — never a traceback, never a partial write.

Skipped where the corpora folder is absent (the files are not ours to ship).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crm.services import ServiceError, Services

CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"
FILES = sorted([*CORPORA.glob("vcf/*"), *CORPORA.glob("csv/*.csv")]) if CORPORA.is_dir() else []

pytestmark = pytest.mark.skipif(not FILES, reason=f"{CORPORA}: no sample files here")


def test_every_sample_file_imports_or_is_refused_cleanly(services: Services, snapshot) -> None:  # type: ignore[no-untyped-def]
    imported = refused = 0
    for path in FILES:
        before = snapshot()
        try:
            report = services.imports.import_files([path])
        except ServiceError as exc:
            refused += 1
            assert path.name in str(exc), exc
            assert snapshot() == before, path.name
        else:
            imported += 1
            after = snapshot()
            assert after["person"] == before["person"] + report.added, path.name
            for name, rejected in report.rejected:
                assert name == path.name and rejected.line >= 1 and rejected.reason
    # Most real files are readable: a reader regression shows up here.
    assert imported >= 0.9 * len(FILES), (imported, refused)
    # Importing the same people again merges them rather than duplicating them.
    people = services.people.count()
    report = services.imports.import_files([p for p in FILES if p.suffix == ".vcf"][:20])
    assert services.people.count() == people + report.added and report.merged > 0
