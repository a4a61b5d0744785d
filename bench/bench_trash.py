"""The Trash with every event of the 100k demo in it: first paint, the question, the purge.

    python bench/bench_trash.py [PATH] [--shot FILE.png]

Works on a copy of the bench database (the purge deletes), made once per run. Every
event (2,000, with ~200,000 invitations) and 500 outreach cards are archived through the
services first, as a user archiving them would. Then:

- first paint of the Trash page on its Events section, from building the page to the
  table's viewport painted (the app's own QApplication: Fusion, palette, style sheet);
  the median of five warm runs and the first (cold) one;
- the confirmation's counts (EventService.purge_impact) for all 2,000 events, for the
  demo's archived people and communities, and Empty trash's (every kind at once);
- Empty trash's purge of the events (EventService.purge: attendance unlinked, the
  invitations, agenda, logistics cascading) and of the cards.

Floors, in the same run: the same page's table painted over a QStringListModel of the
titles; the purge as one raw sqlite3 DELETE of the archived events with foreign keys on
(cascades included), rolled back before the service's own purge runs.
Writes results/trash.json.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import RESULTS, db_arg, dump, ms, require_db

TARGET_FIRST_PAINT_MS = 100.0
RUNS = 5


def _paint(app, widget, viewport) -> float:  # type: ignore[no-untyped-def]
    """Seconds from now until `viewport` has painted once."""
    from PySide6.QtCore import QEvent, QObject

    painted: list[bool] = []

    class Watch(QObject):
        def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]
            if event.type() == QEvent.Type.Paint:
                painted.append(True)
            return False

    watch = Watch()
    viewport.installEventFilter(watch)
    widget.show()
    end = time.perf_counter() + 10
    while not painted and time.perf_counter() < end:
        app.processEvents()
    viewport.removeEventFilter(watch)
    return time.perf_counter()


def main(argv: list[str]) -> dict[str, object]:
    src = db_arg([a for a in argv if not a.startswith("--")][:2])
    require_db(src)
    shot = argv[argv.index("--shot") + 1] if "--shot" in argv else None
    work = Path(tempfile.mkdtemp(prefix="bench-trash-"))
    db = work / "trash.sqlite"
    shutil.copyfile(src, db)
    try:
        return _run(db, shot)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(db: Path, shot: str | None) -> dict[str, object]:
    from PySide6.QtCore import QSettings, QStringListModel
    from PySide6.QtWidgets import QTableView

    from crm.services import open_services
    from crm.services.people_data import PeopleQuery
    from crm.ui.app import application, build_context
    from crm.ui.trash.page import TrashPage

    app = application()
    services = open_services(f"sqlite:///{db}")
    events = services.events.query_ids("all")
    services.events.archive(events)
    cards = [c.id for col in services.outreach.board().values() for c in col][:500]
    services.outreach.archive(cards)
    invitations = sum(r.invited for r in services.events.rows(events))
    settings = QSettings(str(db.parent / "settings.ini"), QSettings.Format.IniFormat)
    ctx = build_context(services, settings)

    paints: list[float] = []
    for _ in range(RUNS + 1):
        t0 = time.perf_counter()
        page = TrashPage(ctx)
        page.show_section("events")
        page.resize(1100, 600)
        done = _paint(app, page, page.view("events").viewport())
        paints.append(done - t0)
        if shot and len(paints) == 1:
            page.grab().save(shot)
        page.close()
        page.deleteLater()
        app.processEvents()

    titles = [r.title for r in services.events.rows(events[:60])]
    floor_paints: list[float] = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        view = QTableView()
        model = QStringListModel(titles)
        view.setModel(model)
        view.resize(1100, 600)
        floor_paints.append(_paint(app, view, view.viewport()) - t0)
        view.close()
        view.deleteLater()
        app.processEvents()

    t0 = time.perf_counter()
    impact = services.events.purge_impact(events)
    impact_s = time.perf_counter() - t0
    # The questions for the demo's archived people and communities (asked on the GUI
    # thread, like the events'), and Empty trash's: every kind, each row counted once.
    people = services.people.query_ids(PeopleQuery(archived=True))
    communities = services.communities.query_ids("", archived=True)
    t0 = time.perf_counter()
    people_impact = services.people.purge_impact(people)
    people_impact_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    services.communities.purge_impact(communities)
    communities_impact_s = time.perf_counter() - t0
    doomed = {"people": people, "communities": communities, "events": events, "outreach": cards}
    t0 = time.perf_counter()
    services.people.purge_impact(people, doomed)
    services.communities.purge_impact(communities, doomed)
    services.events.purge_impact(events, doomed)
    services.outreach.purge_impact(cards, doomed)
    empty_impact_s = time.perf_counter() - t0

    raw = sqlite3.connect(db, isolation_level=None)
    raw.execute("PRAGMA foreign_keys = ON")
    t0 = time.perf_counter()
    raw.execute("BEGIN")
    raw.execute("DELETE FROM event WHERE archived_at IS NOT NULL")
    floor_purge_s = time.perf_counter() - t0
    raw.execute("ROLLBACK")
    raw.close()

    t0 = time.perf_counter()
    purged = services.events.purge(events)
    purge_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    purged_cards = services.outreach.purge(cards)
    cards_s = time.perf_counter() - t0
    services.close()

    first_paint = statistics.median(paints[1:])
    figures: dict[str, object] = {
        "events": len(events),
        "invitations": invitations,
        "cards": len(cards),
        "first_paint_ms": {"cold": ms(paints[0]), "warm_median": ms(first_paint)},
        "floor_paint_ms": ms(statistics.median(floor_paints)),
        "target_first_paint_ms": TARGET_FIRST_PAINT_MS,
        "ok": first_paint * 1000 < TARGET_FIRST_PAINT_MS,
        "impact_ms": ms(impact_s),
        "impact": {
            "goes": {p.many: p.count for p in impact.goes},
            "stays": {p.many: p.count for p in impact.stays},
        },
        "people": len(people),
        "communities": len(communities),
        "impact_people_ms": ms(people_impact_s),
        "impact_people": {
            "goes": {p.many: p.count for p in people_impact.goes},
            "stays": {p.many: p.count for p in people_impact.stays},
        },
        "impact_communities_ms": ms(communities_impact_s),
        "impact_empty_trash_ms": ms(empty_impact_s),
        "purge_events_ms": ms(purge_s),
        "floor_raw_delete_ms": ms(floor_purge_s),
        "purged_events": purged,
        "purge_cards_ms": ms(cards_s),
        "purged_cards": purged_cards,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "trash.json").write_text(json.dumps(figures, indent=2) + "\n")
    return figures


if __name__ == "__main__":
    dump(main(sys.argv))
