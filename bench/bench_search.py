"""Search as you type: 50 prefix queries through the services against raw sqlite3.

    python bench/bench_search.py [PATH]

The queries are drawn (seeded) from the database itself: 40 one-word prefixes of 2
to 5 letters of given names, family names, organisations, cities and tags, and 10
"given-name f" two-word queries, as a user types them. Each is timed through
SearchService.person_ids (what the search box calls) and PeopleService.query_ids
with PeopleQuery(text=...) (what the People table calls), against two floors in
the same run on a plain sqlite3 connection: the service's exact SQL, and a bare
FTS5 MATCH without ranking or the archived filter. Every path runs all queries once
to warm the page cache, then the queries are timed in turn, interleaved. Target:
p95 under 30 ms for both service paths.

The cost of a query follows its number of hits (ranking or sorting them is about a
microsecond each here), and two-letter prefixes such as "de" or "st" match a fifth
to two fifths of everyone. So the figures are also split by query shape, and one
proposed change is measured on the raw floor: a lone token of one or two letters
matches name prefixes plus whole words anywhere (`({name} : "de"*) OR "de"`), so
"go" still finds the go tag. It is not what crm.services does today.
"""

from __future__ import annotations

import random
import sqlite3
import sys
import time
from pathlib import Path

from common import db_arg, dump, require_db, summary_ms

TARGET_P95_MS = 30.0
N_QUERIES = 50


def proposed_fts_query(user_text: str) -> str | None:
    """The proposal above; otherwise exactly crm.services.search.fts_query."""
    from crm.services.search import _TOKEN, fts_query

    tokens = _TOKEN.findall(user_text.lower())
    if len(tokens) == 1 and len(tokens[0]) <= 2:
        return f'({{name}} : "{tokens[0]}"*) OR "{tokens[0]}"'
    return fts_query(user_text)


def shape(query: str) -> str:
    words = query.split()
    if len(words) > 1:
        return "two_words"
    return "one_word_2_letters" if len(words[0]) <= 2 else "one_word_3_plus_letters"


def make_queries(con: sqlite3.Connection, n: int = N_QUERIES) -> list[str]:
    rng = random.Random(2024)
    people = con.execute(
        "SELECT given_name, family_name, organisation, city FROM person "
        "WHERE archived_at IS NULL ORDER BY id"
    ).fetchall()
    tags = [r[0] for r in con.execute("SELECT name FROM tag ORDER BY id")]
    queries: list[str] = []
    while len(queries) < n:
        given, family, org, city = rng.choice(people)
        if len(queries) % 5 == 4:
            queries.append(f"{given} {family[: rng.randint(1, 3)]}")
            continue
        word = rng.choice([given, given, family, family, org or family, city, rng.choice(tags)])
        word = word.split()[0]
        queries.append(word[: rng.randint(2, 5)])
    return queries


def run(path: Path) -> dict[str, object]:
    from crm.services import open_services
    from crm.services.people_data import PeopleQuery
    from crm.services.search import fts_query

    require_db(path)
    services = open_services(f"sqlite:///{path}", create=False)
    raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    raw.execute("PRAGMA cache_size = -65536")
    queries = make_queries(raw)
    service_sql = (
        "SELECT f.rowid FROM person_fts f JOIN person p ON p.id = f.rowid "
        "WHERE person_fts MATCH ? AND (p.archived_at IS NOT NULL) = 0 "
        "ORDER BY bm25(person_fts, 10.0, 5.0, 3.0, 3.0, 2.0, 1.0, 1.0)"
    )
    bare_sql = "SELECT rowid FROM person_fts WHERE person_fts MATCH ?"
    paths = {
        "service_person_ids": lambda q: services.search.person_ids(q),
        "service_people_query_ids": lambda q: services.people.query_ids(PeopleQuery(text=q)),
        "floor_raw_same_sql": lambda q: raw.execute(service_sql, (fts_query(q),)).fetchall(),
        "floor_raw_bare_match": lambda q: raw.execute(bare_sql, (fts_query(q),)).fetchall(),
        "proposal_raw_same_sql": lambda q: raw.execute(
            service_sql, (proposed_fts_query(q),)
        ).fetchall(),
    }
    samples: dict[str, list[float]] = {name: [] for name in paths}
    hits: list[int] = []
    try:
        for fn in paths.values():  # warm-up
            for q in queries:
                fn(q)
        for q in queries:
            for name, fn in paths.items():
                t0 = time.perf_counter()
                found = fn(q)
                samples[name].append(time.perf_counter() - t0)
                if name == "service_person_ids":
                    hits.append(len(found))  # type: ignore[arg-type]
    finally:
        raw.close()
        services.close()
    figures: dict[str, object] = {name: summary_ms(s) for name, s in samples.items()}
    worst = max(
        figures["service_person_ids"]["p95_ms"],  # type: ignore[index]
        figures["service_people_query_ids"]["p95_ms"],  # type: ignore[index]
    )
    ordered = sorted(zip(samples["service_person_ids"], queries, hits, strict=True))
    by_shape: dict[str, object] = {}
    for kind in ("one_word_2_letters", "one_word_3_plus_letters", "two_words"):
        picked = [i for i, q in enumerate(queries) if shape(q) == kind]
        by_shape[kind] = {
            "queries": len(picked),
            "service_people_query_ids": summary_ms(
                [samples["service_people_query_ids"][i] for i in picked]
            ),
            "mean_hits": round(sum(hits[i] for i in picked) / max(len(picked), 1)),
        }
    figures.update(
        {
            "by_shape": by_shape,
            "queries": queries,
            "mean_hits": round(sum(hits) / len(hits)),
            "slowest": [
                {"query": q, "ms": round(t * 1000, 1), "hits": h} for t, q, h in ordered[-3:]
            ],
            "target": f"p95 < {TARGET_P95_MS:.0f} ms",
            "ok": worst < TARGET_P95_MS,
        }
    )
    return figures


if __name__ == "__main__":
    dump(run(db_arg(sys.argv)))
