"""Tags: the list with counts, renaming and deleting."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from crm.models import PersonTag, Tag
from crm.services import search
from crm.services.common import ChangeNotifier, ValidationError
from crm.services.database import Database


@dataclass(frozen=True)
class TagInfo:
    id: int
    name: str
    count: int


class TagService:
    def __init__(self, db: Database, notifier: ChangeNotifier) -> None:
        self.db = db
        self.notifier = notifier

    def all(self) -> list[TagInfo]:
        with self.db.read() as s:
            rows = s.execute(
                select(Tag.id, Tag.name, func.count(PersonTag.person_id))
                .outerjoin(PersonTag, PersonTag.tag_id == Tag.id)
                .group_by(Tag.id)
                .order_by(func.lower(Tag.name))
            )
            return [TagInfo(i, n, c) for i, n, c in rows]

    def rename(self, tag_id: int, new_name: str) -> None:
        new_name = new_name.strip()
        if not new_name:
            raise ValidationError({"name": "A tag needs a name."})
        with self.db.session() as s:
            if s.scalar(select(Tag.id).where(Tag.name == new_name, Tag.id != tag_id)):
                raise ValidationError({"name": f"There is already a tag “{new_name}”."})
            tag = s.get(Tag, tag_id)
            if tag is None:
                return
            tag.name = new_name
            people = s.scalars(select(PersonTag.person_id).where(PersonTag.tag_id == tag_id)).all()
            s.flush()
            search.reindex_people(s, people)
        self.notifier.emit("tags", "people")

    def delete(self, tag_id: int) -> None:
        with self.db.session() as s:
            people = s.scalars(select(PersonTag.person_id).where(PersonTag.tag_id == tag_id)).all()
            tag = s.get(Tag, tag_id)
            if tag is None:
                return
            s.delete(tag)
            s.flush()
            search.reindex_people(s, people)
        self.notifier.emit("tags", "people")
