"""Full-text search (SQLite FTS5), the only module that knows how search is stored.

Person documents are rebuilt here by one SQL statement, used for single edits and for
whole-database rebuilds alike, so the index cannot drift from the tables it mirrors.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import text

if TYPE_CHECKING:  # the People table's first reads run before the ORM is imported
    from sqlalchemy.orm import Session

from crm.services.common import chunks
from crm.services.database import Database

_TOKEN = re.compile(r"\w+", re.UNICODE)

_PERSON_DOC = """
INSERT INTO person_fts(rowid, name, emails, organisation, handles, tags, notes, custom)
SELECT p.id,
       p.display_name || ' ' || p.given_name || ' ' || p.family_name,
       coalesce((SELECT group_concat(address, ' ') FROM email WHERE person_id = p.id), ''),
       p.organisation || ' ' || p.title || ' ' || p.city || ' ' || p.country,
       coalesce((SELECT group_concat(network || ' ' || handle, ' ')
                 FROM handle WHERE person_id = p.id), ''),
       coalesce((SELECT group_concat(t.name, ' ') FROM person_tag pt
                 JOIN tag t ON t.id = pt.tag_id WHERE pt.person_id = p.id), ''),
       p.notes || ' ' || p.bio || ' ' || p.pronouns,
       coalesce((SELECT group_concat(fv.text, ' ') FROM field_value fv
                 JOIN field_def fd ON fd.id = fv.field_id AND fd.entity = 'person'
                 WHERE fv.entity_id = p.id), '')
FROM person p
"""

_COMMUNITY_DOC = """
INSERT INTO community_fts(rowid, name, notes, website)
SELECT c.id, c.name || ' ' || c.kind,
       c.notes || ' ' || coalesce((SELECT group_concat(fv.text, ' ') FROM field_value fv
                 JOIN field_def fd ON fd.id = fv.field_id AND fd.entity = 'community'
                 WHERE fv.entity_id = c.id), ''),
       c.website
FROM community c
"""


def fts_query(user_text: str, short_column: str | None = "name") -> str | None:
    """Turn what a user typed into a prefix-matching FTS5 query; None when empty.

    Every word must match (AND) and the last may be unfinished; quoting each token
    keeps FTS5 syntax characters in user input from being read as operators.
    """
    # No .lower(): FTS5 folds case itself, and Python folds some letters differently
    # ("İ".lower() is two characters), which would split one word into two.
    tokens = _TOKEN.findall(user_text)
    if not tokens:
        return None
    if len(tokens) == 1 and len(tokens[0]) <= 2:
        # One or two letters prefix tens of thousands of words at 100,000 people; ranking
        # them all is slow and useless. Match the short_column (names) by prefix, and
        # whole words anywhere (so the tag "go" is still found).
        t = tokens[0]
        return f'{short_column} : "{t}"* OR "{t}"' if short_column else f'"{t}"'
    return " ".join(f'"{t}"*' for t in tokens)


def reindex_people(session: Session, ids: Sequence[int] | None = None) -> None:
    """Rebuild the search documents of these people (all when ids is None)."""
    if ids is None:
        session.execute(text("DELETE FROM person_fts"))
        session.execute(text(_PERSON_DOC))
        return
    for part in chunks(list(ids)):
        marks = ",".join(str(int(i)) for i in part)
        session.execute(text(f"DELETE FROM person_fts WHERE rowid IN ({marks})"))
        session.execute(text(f"{_PERSON_DOC} WHERE p.id IN ({marks})"))


def reindex_communities(session: Session, ids: Sequence[int] | None = None) -> None:
    if ids is None:
        session.execute(text("DELETE FROM community_fts"))
        session.execute(text(_COMMUNITY_DOC))
        return
    for part in chunks(list(ids)):
        marks = ",".join(str(int(i)) for i in part)
        session.execute(text(f"DELETE FROM community_fts WHERE rowid IN ({marks})"))
        session.execute(text(f"{_COMMUNITY_DOC} WHERE c.id IN ({marks})"))


def drop_people(session: Session, ids: Sequence[int]) -> None:
    for part in chunks(list(ids)):
        marks = ",".join(str(int(i)) for i in part)
        session.execute(text(f"DELETE FROM person_fts WHERE rowid IN ({marks})"))


def drop_communities(session: Session, ids: Sequence[int]) -> None:
    for part in chunks(list(ids)):
        marks = ",".join(str(int(i)) for i in part)
        session.execute(text(f"DELETE FROM community_fts WHERE rowid IN ({marks})"))


def rebuild_interactions(session: Session) -> None:
    """After bulk loads that bypassed the triggers."""
    session.execute(text("INSERT INTO interaction_fts(interaction_fts) VALUES ('rebuild')"))


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "person", "community" or "interaction"
    id: int
    title: str
    detail: str


class SearchService:
    """Ranked, prefix-matching search over people, communities and interactions."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def person_ids(
        self, user_text: str, *, archived: bool = False, limit: int | None = None
    ) -> list[int]:
        """Matching people, best first. Empty query: no filter, so an empty list."""
        q = fts_query(user_text)
        if q is None:
            return []
        sql = (
            "SELECT f.rowid FROM person_fts f JOIN person p ON p.id = f.rowid "
            "WHERE person_fts MATCH :q AND (p.archived_at IS NOT NULL) = :arch "
            "ORDER BY bm25(person_fts, 10.0, 5.0, 3.0, 3.0, 2.0, 1.0, 1.0)"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        with self.db.read() as s:
            return [r[0] for r in s.execute(text(sql), {"q": q, "arch": archived})]

    def community_ids(self, user_text: str, *, archived: bool = False) -> list[int]:
        q = fts_query(user_text)
        if q is None:
            return []
        sql = (
            "SELECT f.rowid FROM community_fts f JOIN community c ON c.id = f.rowid "
            "WHERE community_fts MATCH :q AND (c.archived_at IS NOT NULL) = :arch "
            "ORDER BY bm25(community_fts, 10.0, 1.0, 2.0)"
        )
        with self.db.read() as s:
            return [r[0] for r in s.execute(text(sql), {"q": q, "arch": archived})]

    def search(self, user_text: str, limit: int = 20) -> list[SearchHit]:
        """The `crm search` view: people first, then communities, then interactions."""
        q = fts_query(user_text)
        if q is None:
            return []
        hits: list[SearchHit] = []
        with self.db.read() as s:
            rows = s.execute(
                text(
                    "SELECT p.id, p.display_name, p.organisation FROM person_fts f "
                    "JOIN person p ON p.id = f.rowid WHERE person_fts MATCH :q "
                    "AND p.archived_at IS NULL "
                    "ORDER BY bm25(person_fts, 10.0, 5.0, 3.0, 3.0, 2.0, 1.0, 1.0) LIMIT :n"
                ),
                {"q": q, "n": limit},
            )
            hits += [SearchHit("person", r[0], r[1], r[2]) for r in rows]
            rows = s.execute(
                text(
                    "SELECT c.id, c.name, c.kind FROM community_fts f "
                    "JOIN community c ON c.id = f.rowid WHERE community_fts MATCH :q "
                    "AND c.archived_at IS NULL ORDER BY rank LIMIT :n"
                ),
                {"q": q, "n": limit},
            )
            hits += [SearchHit("community", r[0], r[1], r[2]) for r in rows]
            rows = s.execute(
                text(
                    "SELECT i.id, i.summary, i.kind || ' on ' || date(i.occurred_at) "
                    "FROM interaction_fts f JOIN interaction i ON i.id = f.rowid "
                    "WHERE interaction_fts MATCH :q ORDER BY rank LIMIT :n"
                ),
                {"q": fts_query(user_text, short_column=None), "n": limit},
            )
            hits += [SearchHit("interaction", r[0], r[1], r[2]) for r in rows]
        return hits
