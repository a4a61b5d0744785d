"""Run every bench against the 100,000-person database; write results/latest.json.

    python bench/run_all.py [--fresh] [--db PATH] [--out FILE]

--fresh rebuilds the database (and so measures demo generation now); without it a
cached build is reused when the migrations and demo code are unchanged, and its
generation figure is the one measured when it was built (marked "cached").
Exit status 0 when every measured target is met, 1 when one is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import bench_csv
import bench_gui_import
import bench_ics
import bench_import
import bench_outreach
import bench_scroll
import bench_search
import bench_startup
import bench_vcard
import build_db
from common import BENCH, CONTACTS, DEFAULT_DB, RESULTS, ROOT, env_offscreen


def git_commit() -> str | None:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip() or None


def machine() -> dict[str, object]:
    return {
        "platform": platform.platform(),
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fresh", action="store_true", help="rebuild the bench database")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args()
    db = args.db.resolve()

    print(f"database: {db}", file=sys.stderr)
    demo = build_db.build(db, CONTACTS, force=args.fresh)
    print(f"demo: {demo['seconds']} s{' (cached)' if demo['cached'] else ''}", file=sys.stderr)
    search = bench_search.run(db)
    print("search: done", file=sys.stderr)
    scroll = bench_scroll.run(db)
    print("scroll: done", file=sys.stderr)
    # In a small process of its own: a child's peak RSS as the kernel reports it
    # includes its parent's at the time of the fork (see bench_startup.py).
    done = subprocess.run(
        [sys.executable, str(Path(bench_startup.__file__)), str(db)],
        capture_output=True,
        text=True,
        check=True,
    )
    startup = json.loads(done.stdout)
    print("start-up: done", file=sys.stderr)
    # GUI responsiveness during a 20,000-card import: its own process (a QApplication).
    done = subprocess.run(
        [sys.executable, str(Path(bench_gui_import.__file__))],
        capture_output=True,
        text=True,
        env=env_offscreen(),
    )
    gui_import = (
        json.loads(done.stdout)
        if done.stdout.strip().startswith("{")
        else {"ok": False, "error": done.stderr.strip().splitlines()[-1:] or ["failed"]}
    )
    print("gui import: done", file=sys.stderr)
    # Advocacy, Tasks and Moderation pages: a QApplication too, so a process of its own.
    done = subprocess.run(
        [sys.executable, str(BENCH / "bench_advocacy.py"), str(db)],
        capture_output=True,
        text=True,
        env=env_offscreen(),
    )
    advocacy = (
        json.loads(done.stdout)
        if done.stdout.strip().startswith("{")
        else {"ok": False, "error": done.stderr.strip().splitlines()[-1:] or ["failed"]}
    )
    print("advocacy pages: done", file=sys.stderr)
    csv_figures = bench_csv.run()
    bench_csv.save(csv_figures)
    print("csv: done", file=sys.stderr)
    vcard_figures = bench_vcard.run()
    bench_vcard.save(vcard_figures)
    print("vcard: done", file=sys.stderr)
    ics_figures = bench_ics.run(db)
    bench_ics.save(ics_figures)
    print("calendar export: done", file=sys.stderr)
    import_figures = bench_import.run(db)
    bench_import.save(import_figures)
    print("import and duplicates: done", file=sys.stderr)
    # The outreach board's first paint: its own process (a QApplication, offscreen);
    # it writes results/outreach.json itself.
    done = subprocess.run(
        [sys.executable, str(Path(bench_outreach.__file__)), str(db)],
        capture_output=True,
        text=True,
        env=env_offscreen(),
    )
    outreach_figures = (
        json.loads(done.stdout)
        if done.stdout.strip().startswith("{")
        else {"ok": False, "error": done.stderr.strip().splitlines()[-1:] or ["failed"]}
    )
    print("outreach board: done", file=sys.stderr)
    # The Events page and a big event's invitations: a QApplication, so a process of
    # its own; it writes results/events.json itself.
    done = subprocess.run(
        [sys.executable, str(BENCH / "bench_events.py"), str(db)],
        capture_output=True,
        text=True,
        env=env_offscreen(),
    )
    events_figures = (
        json.loads(done.stdout)
        if done.stdout.strip().startswith("{")
        else {"ok": False, "error": done.stderr.strip().splitlines()[-1:] or ["failed"]}
    )
    print("events page: done", file=sys.stderr)
    # The Trash with every event in it, and their purge (on a copy): results/trash.json.
    done = subprocess.run(
        [sys.executable, str(BENCH / "bench_trash.py"), str(db)],
        capture_output=True,
        text=True,
        env=env_offscreen(),
    )
    trash_figures = (
        json.loads(done.stdout)
        if done.stdout.strip().startswith("{")
        else {"ok": False, "error": done.stderr.strip().splitlines()[-1:] or ["failed"]}
    )
    print("trash: done", file=sys.stderr)
    # Marking 1,000 invitations attended and back (on a copy): results/attendance.json.
    done = subprocess.run(
        [sys.executable, str(BENCH / "bench_attendance.py"), str(db)],
        capture_output=True,
        text=True,
        env=env_offscreen(),
    )
    attendance_figures = (
        json.loads(done.stdout)
        if done.stdout.strip().startswith("{")
        else {"ok": False, "error": done.stderr.strip().splitlines()[-1:] or ["failed"]}
    )
    print("attendance: done", file=sys.stderr)
    # Backing the database up (read only; a copy for the GUI): results/backup.json.
    done = subprocess.run(
        [sys.executable, str(BENCH / "bench_backup.py"), str(db)],
        capture_output=True,
        text=True,
        env=env_offscreen(),
    )
    backup_figures = (
        json.loads(done.stdout)
        if done.stdout.strip().startswith("{")
        else {"ok": False, "error": done.stderr.strip().splitlines()[-1:] or ["failed"]}
    )
    print("backup: done", file=sys.stderr)
    # The Dashboard's report queries, the page and the PDF (on a copy): dashboard.json.
    done = subprocess.run(
        [sys.executable, str(BENCH / "bench_dashboard.py"), str(db)],
        capture_output=True,
        text=True,
        env=env_offscreen(),
    )
    dashboard_json = RESULTS / "dashboard.json"
    dashboard_figures = (
        {
            k: v
            for k, v in json.loads(dashboard_json.read_text()).items()
            if k in ("ok", "whole_report_ms", "pdf", "dashboard", "queries_over_target")
        }
        if done.returncode == 0 and dashboard_json.is_file()
        else {"ok": False, "error": done.stderr.strip().splitlines()[-1:] or ["failed"]}
    )
    print("dashboard: done", file=sys.stderr)

    search.pop("queries", None)
    results = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "commit": git_commit(),
        "machine": machine(),
        "database": {
            "people": demo["contacts"],
            "interactions": demo["interactions"],
            "size_mb": demo.get("size_mb"),
        },
        "demo_generation": demo,
        "search": search,
        "scroll": scroll,
        "startup_and_memory": startup,
        "gui_import": gui_import,
        "csv": csv_figures,
        "vcard": vcard_figures,
        "import": import_figures,
        "ics": ics_figures,
        "advocacy": advocacy,
        "outreach": outreach_figures,
        "events": events_figures,
        "trash": trash_figures,
        "attendance": attendance_figures,
        "backup": backup_figures,
        "dashboard": dashboard_figures,
    }
    oks = [demo["ok"], search["ok"], scroll["ok"], gui_import["ok"], csv_figures["ok"]]
    oks.append(vcard_figures["ok"])
    oks.append(import_figures["ok"])
    oks.append(ics_figures["ok"])
    oks.append(advocacy["ok"])
    oks.append(outreach_figures["ok"])
    oks.append(events_figures["ok"])
    oks.append(trash_figures["ok"])
    oks.append(attendance_figures["ok"])
    oks.append(backup_figures["ok"])
    oks.append(dashboard_figures["ok"])
    if not startup.get("skipped"):
        oks += [startup["startup_ok"], startup["memory_ok"]]
    results["all_targets_met"] = all(oks)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    tmp.replace(args.out)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0 if all(oks) else 1


if __name__ == "__main__":
    sys.exit(main())
