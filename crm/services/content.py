"""The content calendar: blog posts, newsletters, social posts, videos and docs.

Items move idea → drafting → review → scheduled → published; a guest author is a
person. The table reads ids for a filter and sort, then rows a page at a time; the
by-week calendar reads only the weeks it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import text

from crm.models import AuditEntry, Person
from crm.models.engagement import CONTENT_STATUSES, ContentItem, InitiativeContent
from crm.services.common import (
    ChangeNotifier,
    NotFound,
    ValidationError,
    as_date,
    as_datetime,
    chunks,
)
from crm.services.content_data import (
    ContentDetail,
    ContentInput,
    ContentRow,
    DeletedContent,
    WeekEntry,
    calendar_day,
    check,
)
from crm.services.database import Database

_STATUS_ORDER = "CASE c.status " + " ".join(
    f"WHEN '{s}' THEN {i}" for i, s in enumerate(CONTENT_STATUSES)
)
_SORTS = {
    "title": "c.title COLLATE NOCASE",
    "kind": "c.kind",
    "status": _STATUS_ORDER + " END",
    "channel": "nullif(c.channel, '') COLLATE NOCASE",
    "owner": "nullif(c.owner, '') COLLATE NOCASE",
    "guest_author": "p.display_name COLLATE NOCASE",
    "due_on": "c.due_on",
    "publish_on": "c.publish_on",
}
_ROW_SQL = (
    "SELECT c.id, c.title, c.kind, c.status, c.channel, c.owner, c.guest_author_id, "
    "coalesce(p.display_name, ''), c.due_on, c.publish_on, c.url "
    "FROM content_item c LEFT JOIN person p ON p.id = c.guest_author_id "
)


@dataclass(frozen=True)
class ContentFilter:
    text: str = ""
    status: str | None = None
    kind: str | None = None
    owner: str | None = None  # "" matches items without an owner


def _where(f: ContentFilter) -> tuple[str, dict[str, object]]:
    where, params = ["1 = 1"], {}
    words = f.text.split()
    for i, word in enumerate(words):
        like = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(
            f"(c.title LIKE :w{i} ESCAPE '\\' OR c.channel LIKE :w{i} ESCAPE '\\' "
            f"OR c.owner LIKE :w{i} ESCAPE '\\' OR p.display_name LIKE :w{i} ESCAPE '\\')"
        )
        params[f"w{i}"] = like
    for column, value in (("status", f.status), ("kind", f.kind), ("owner", f.owner)):
        if value is not None:
            where.append(f"c.{column} = :{column}")
            params[column] = value
    return " AND ".join(where), params


def _row(r: Sequence[object]) -> ContentRow:
    return ContentRow(
        int(r[0]),  # type: ignore[call-overload]
        str(r[1]),
        str(r[2]),
        str(r[3]),
        str(r[4]),
        str(r[5]),
        r[6],  # type: ignore[arg-type]
        str(r[7]),
        as_date(r[8]),
        as_date(r[9]),
        str(r[10]),
    )


class ContentService:
    def __init__(self, db: Database, notifier: ChangeNotifier) -> None:
        self.db = db
        self.notifier = notifier

    # ---- reads -----------------------------------------------------------------
    def query_ids(
        self,
        filters: ContentFilter | None = None,
        *,
        sort: str = "due_on",
        descending: bool = False,
    ) -> list[int]:
        where, params = _where(filters or ContentFilter())
        expr = _SORTS[sort]
        d = "DESC" if descending else "ASC"
        sql = (
            "SELECT c.id FROM content_item c LEFT JOIN person p ON p.id = c.guest_author_id "
            f"WHERE {where} ORDER BY ({expr}) IS NULL, {expr} {d}, c.id {d}"
        )
        with self.db.read() as s:
            return [r[0] for r in s.execute(text(sql), params)]

    def rows(self, ids: Sequence[int]) -> list[ContentRow]:
        found: dict[int, ContentRow] = {}
        with self.db.read() as s:
            for part in chunks(list(ids)):
                marks = ",".join(str(int(i)) for i in part)
                for r in s.execute(text(_ROW_SQL + f"WHERE c.id IN ({marks})")):
                    found[r[0]] = _row(r)
        return [found[i] for i in ids if i in found]

    def count(self) -> int:
        with self.db.read() as s:
            return int(s.execute(text("SELECT count(*) FROM content_item")).scalar_one())

    def get(self, item_id: int) -> ContentDetail:
        with self.db.read() as s:
            c = s.get(ContentItem, item_id)
            if c is None:
                raise NotFound(f"No content item with id {item_id}")
            author = s.get(Person, c.guest_author_id) if c.guest_author_id else None
            initiatives = tuple(
                (int(i), str(t))
                for i, t in s.execute(
                    text(
                        "SELECT i.id, i.title FROM initiative_content ic JOIN initiative i "
                        "ON i.id = ic.initiative_id WHERE ic.content_id = :c ORDER BY i.title"
                    ),
                    {"c": item_id},
                )
            )
            return ContentDetail(
                c.id,
                c.title,
                c.kind,
                c.status,
                c.channel,
                c.owner,
                c.guest_author_id,
                author.display_name if author else "",
                c.due_on,
                c.publish_on,
                c.url,
                c.notes,
                c.created_at,
                initiatives,
            )

    def owners(self) -> list[str]:
        """Everyone who owns an item, for the owner filter and the dialog's completer."""
        with self.db.read() as s:
            return [
                r[0]
                for r in s.execute(
                    text(
                        "SELECT DISTINCT owner FROM content_item WHERE owner != '' "
                        "ORDER BY owner COLLATE NOCASE"
                    )
                )
            ]

    def channels(self) -> list[str]:
        with self.db.read() as s:
            return [
                r[0]
                for r in s.execute(
                    text(
                        "SELECT channel FROM content_item WHERE channel != '' "
                        "GROUP BY channel ORDER BY count(*) DESC, channel"
                    )
                )
            ]

    def by_author(self, person_id: int) -> list[ContentRow]:
        """What a person wrote as a guest author, newest first."""
        sql = _ROW_SQL + (
            "WHERE c.guest_author_id = :p "
            "ORDER BY coalesce(c.publish_on, c.due_on) IS NULL, "
            "coalesce(c.publish_on, c.due_on) DESC, c.id DESC"
        )
        with self.db.read() as s:
            return [_row(r) for r in s.execute(text(sql), {"p": person_id})]

    def weeks(
        self,
        first_day: date,
        weeks: int,
        filters: ContentFilter | None = None,
    ) -> list[WeekEntry]:
        """Items that sit on a day from first_day for `weeks` weeks (see calendar_day)."""
        last = first_day + timedelta(days=7 * weeks - 1)
        where, params = _where(filters or ContentFilter())
        params.update(a=first_day.isoformat(), b=last.isoformat())
        sql = (
            "SELECT c.id, c.title, c.kind, c.status, c.owner, coalesce(p.display_name, ''), "
            "c.due_on, c.publish_on FROM content_item c "
            "LEFT JOIN person p ON p.id = c.guest_author_id "
            f"WHERE {where} AND (c.due_on BETWEEN :a AND :b OR c.publish_on BETWEEN :a AND :b)"
        )
        out: list[WeekEntry] = []
        with self.db.read() as s:
            for r in s.execute(text(sql), params):
                day, what = calendar_day(r[3], as_date(r[6]), as_date(r[7]))
                if first_day <= day <= last:
                    out.append(WeekEntry(day, what, r[0], r[1], r[2], r[3], r[4], r[5]))
        order = {st: i for i, st in enumerate(CONTENT_STATUSES)}
        out.sort(key=lambda e: (e.day, order.get(e.status, 9), e.title.lower(), e.id))
        return out

    # ---- writes ----------------------------------------------------------------
    def _validate(self, s, d: ContentInput) -> ContentInput:  # type: ignore[no-untyped-def]
        clean, errors = check(d, date.today())
        if d.guest_author_id is not None:
            author = s.get(Person, d.guest_author_id)
            if author is None:
                errors["guest_author_id"] = "That guest author no longer exists."
            elif author.archived_at is not None:
                errors["guest_author_id"] = f"{author.display_name} is in the Trash."
        if errors:
            raise ValidationError(errors)
        return clean

    @staticmethod
    def _apply(c: ContentItem, d: ContentInput) -> None:
        c.title, c.kind, c.status, c.channel, c.owner = (
            d.title,
            d.kind,
            d.status,
            d.channel,
            d.owner,
        )
        c.guest_author_id, c.due_on, c.publish_on = d.guest_author_id, d.due_on, d.publish_on
        c.url, c.notes = d.url, d.notes

    def create(self, data: ContentInput) -> int:
        with self.db.session() as s:
            clean = self._validate(s, data)
            c = ContentItem(title=clean.title)
            self._apply(c, clean)
            s.add(c)
            s.flush()
            s.add(AuditEntry(action="create", entity="content", entity_id=c.id, detail={}))
            item_id = c.id
        self.notifier.emit("content", ids=[item_id])
        return item_id

    def update(self, item_id: int, data: ContentInput) -> None:
        with self.db.session() as s:
            c = s.get(ContentItem, item_id)
            if c is None:
                raise NotFound(f"No content item with id {item_id}")
            self._apply(c, self._validate(s, data))
        self.notifier.emit("content", ids=[item_id])

    def set_status(self, ids: Sequence[int], status: str) -> None:
        """Move items to a status; all or none (a published item needs a publish date)."""
        with self.db.session() as s:
            for item_id in ids:
                c = s.get(ContentItem, item_id)
                if c is None:
                    raise NotFound(f"No content item with id {item_id}")
                try:
                    clean = self._validate(s, replace(self.get_input(c), status=status))
                except ValidationError as exc:
                    raise ValidationError(
                        {k: f"{c.title}: {v}" for k, v in exc.errors.items()}
                    ) from None
                self._apply(c, clean)
        self.notifier.emit("content", ids=ids)

    @staticmethod
    def get_input(c: ContentItem) -> ContentInput:
        return ContentInput(
            c.title,
            c.kind,
            c.status,
            c.channel,
            c.owner,
            c.guest_author_id,
            c.due_on,
            c.publish_on,
            c.url,
            c.notes,
        )

    def delete(self, item_id: int) -> DeletedContent:
        """Delete an item (and its place in initiatives); returns what undo needs."""
        with self.db.session() as s:
            c = s.get(ContentItem, item_id)
            if c is None:
                raise NotFound(f"No content item with id {item_id}")
            links = tuple(
                int(r[0])
                for r in s.execute(
                    text("SELECT initiative_id FROM initiative_content WHERE content_id = :c"),
                    {"c": item_id},
                )
            )
            gone = DeletedContent(c.id, self.get_input(c), as_datetime(c.created_at), links)  # type: ignore[arg-type]
            s.execute(text("DELETE FROM initiative_content WHERE content_id = :c"), {"c": item_id})
            s.delete(c)
            s.add(
                AuditEntry(
                    action="delete", entity="content", entity_id=item_id, detail={"title": c.title}
                )
            )
        self.notifier.emit("content", "initiatives", ids=[item_id])
        return gone

    def restore(self, gone: DeletedContent) -> None:
        """Undo a delete: the same id, the same fields, back in the same initiatives."""
        with self.db.session() as s:
            if s.get(ContentItem, gone.id) is not None:
                raise ValidationError({"": "That content item is already back."})
            d = gone.data
            author = s.get(Person, d.guest_author_id) if d.guest_author_id else None
            c = ContentItem(id=gone.id, title=d.title, created_at=gone.created_at)
            self._apply(c, d)
            if author is None:
                c.guest_author_id = None  # deleted for good meanwhile
            s.add(c)
            s.flush()
            for iid in gone.initiative_ids:
                if s.execute(text("SELECT 1 FROM initiative WHERE id = :i"), {"i": iid}).first():
                    s.add(InitiativeContent(initiative_id=iid, content_id=gone.id))
            s.add(AuditEntry(action="restore", entity="content", entity_id=gone.id, detail={}))
        self.notifier.emit("content", "initiatives", ids=[gone.id])
