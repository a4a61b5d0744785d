"""Build (or reuse) the bench database: 100,000 people and 1,000,000 interactions.

    python bench/build_db.py [PATH] [--contacts N] [--force]

The database is made by the real command, `python -m crm demo`, in a child process,
so the time measured is what a user waits for: interpreter start, imports,
migrations, generation, commit and checkpoint. Rows per second counts every row the
demo wrote (people and everything hanging off them, communities, interactions and
participants). The build is cached next to PATH with a note of the migrations and
demo code it came from; a change to either makes it stale and it is rebuilt.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import time
from pathlib import Path

from common import CACHE, CONTACTS, DEFAULT_DB, ROOT, SEED, dump, env_offscreen

TARGET_SECONDS = 60.0
# Counts `crm demo` prints that are not rows of their own.
NOT_ROWS = {"referrals"}


def code_fingerprint() -> str:
    """A hash of what decides the database's contents: migrations and the demo code."""
    h = hashlib.sha256()
    for folder in (ROOT / "crm" / "migrations", ROOT / "crm" / "services" / "demo"):
        for path in sorted(folder.rglob("*.py")):
            h.update(path.relative_to(ROOT).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def meta_path(db: Path) -> Path:
    return db.with_name(db.name + ".json")


def parse_counts(line: str) -> dict[str, int]:
    """'100,000 people, 127,521 emails, …' -> {"people": 100000, "emails": 127521, …}."""
    counts = {}
    for part in line.strip().split(", "):
        m = re.fullmatch(r"([\d,]+) (.+)", part)
        if m:
            counts[m.group(2)] = int(m.group(1).replace(",", ""))
    return counts


def cached(db: Path, contacts: int) -> dict[str, object] | None:
    meta = meta_path(db)
    if not (db.is_file() and meta.is_file()):
        return None
    info = json.loads(meta.read_text())
    if info.get("contacts") != contacts or info.get("code") != code_fingerprint():
        return None
    return info


def build(
    db: Path = DEFAULT_DB, contacts: int = CONTACTS, force: bool = False
) -> dict[str, object]:
    """The demo figure: from cache when still valid (marked cached), else measured now."""
    if not force and (info := cached(db, contacts)) is not None:
        return {**info, "cached": True}
    db.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", ".json"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "crm", "demo", "--db", str(db), "--contacts", str(contacts)]
    cmd += ["--seed", str(SEED)]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env_offscreen(), capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        sys.exit(f"crm demo failed ({done.returncode}): {done.stderr.strip()}")
    counts = parse_counts(done.stdout)
    rows = sum(v for k, v in counts.items() if k not in NOT_ROWS)
    info: dict[str, object] = {
        "contacts": contacts,
        "interactions": counts.get("interactions", 0),
        "seed": SEED,
        "code": code_fingerprint(),
        "seconds": round(seconds, 2),
        "rows": rows,
        "rows_per_s": round(rows / seconds),
        "target": f"< {TARGET_SECONDS:.0f} s (well under)",
        "ok": seconds < TARGET_SECONDS,
        "counts": counts,
        "size_mb": round(db.stat().st_size / 1e6, 1),
        "command": " ".join(["crm", *cmd[3:]]),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    meta_path(db).write_text(json.dumps(info, indent=2))
    return {**info, "cached": False}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_DB)
    parser.add_argument("--contacts", type=int, default=CONTACTS)
    parser.add_argument("--force", action="store_true", help="rebuild even if cached")
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    dump(build(args.path.resolve(), args.contacts, args.force))


if __name__ == "__main__":
    main()
