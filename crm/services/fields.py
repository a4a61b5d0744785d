"""Custom fields the user defines on people and communities (text, number, date, choice)."""

from __future__ import annotations

from sqlalchemy import func, select

from crm.models import FIELD_ENTITIES, FIELD_TYPES, Community, FieldDef, FieldValue, Person
from crm.services import people_query, search, validate
from crm.services.common import ChangeNotifier, NotFound, ValidationError
from crm.services.database import Database
from crm.services.people_data import FieldInfo


class FieldService:
    def __init__(self, db: Database, notifier: ChangeNotifier) -> None:
        self.db = db
        self.notifier = notifier

    def definitions(self, entity: str = "person") -> list[FieldInfo]:
        # Plain SQL, shared with the People table's start-up reads (PeopleReads).
        with self.db.read() as s:
            return people_query.field_definitions(s, entity)

    def create(self, entity: str, name: str, type: str, choices: list[str] | None = None) -> int:
        name = name.strip()
        opts = [c.strip() for c in (choices or []) if c.strip()]
        errors: dict[str, str] = {}
        if entity not in FIELD_ENTITIES:
            errors["entity"] = f"Custom fields go on {' or '.join(FIELD_ENTITIES)}."
        if not name:
            errors["name"] = "A field needs a name."
        if type not in FIELD_TYPES:
            errors["type"] = f"Type must be one of {', '.join(FIELD_TYPES)}."
        if type == "choice" and not opts:
            errors["choices"] = "A choice field needs at least one choice."
        with self.db.session() as s:
            if name and s.scalar(
                select(FieldDef.id).where(
                    FieldDef.entity == entity, func.lower(FieldDef.name) == name.lower()
                )
            ):
                errors["name"] = f"There is already a field called “{name}”."
            if errors:
                raise ValidationError(errors)
            pos = (
                s.scalar(select(func.max(FieldDef.position)).where(FieldDef.entity == entity)) or 0
            ) + 1
            f = FieldDef(entity=entity, name=name, type=type, choices=opts, position=pos)
            s.add(f)
            s.flush()
            fid = f.id
        # The same area names as every other notice ("people", not "person").
        self.notifier.emit("fields", "people" if entity == "person" else "communities")
        return fid

    def delete(self, field_id: int) -> None:
        with self.db.session() as s:
            f = s.get(FieldDef, field_id)
            if f is None:
                return
            entity = f.entity
            ids = s.scalars(
                select(FieldValue.entity_id).where(FieldValue.field_id == field_id)
            ).all()
            s.delete(f)
            s.flush()
            if entity == "person":
                search.reindex_people(s, ids)
            else:
                search.reindex_communities(s, ids)
        self.notifier.emit("fields", "people" if entity == "person" else "communities")

    def set_value(self, field_id: int, entity_id: int, raw: str) -> None:
        """Set one value from the detail panel, validated for the field's type."""
        with self.db.session() as s:
            f = s.get(FieldDef, field_id)
            if f is None:
                raise NotFound("That field no longer exists.")
            owner = Person if f.entity == "person" else Community
            if s.get(owner, entity_id) is None:
                # field_value has no foreign key (it serves two tables): check here, or the
                # value would wait for whoever gets this id next.
                raise NotFound(f"No {f.entity} with id {entity_id}")
            value, number, err = validate.field_value(f.type, raw, list(f.choices or []))
            if err:
                raise ValidationError({f"custom:{field_id}": f"{f.name}: {err}"})
            row = s.get(FieldValue, (field_id, entity_id))
            if not value:
                if row is not None:
                    s.delete(row)
            elif row is None:
                s.add(FieldValue(field_id=field_id, entity_id=entity_id, text=value, number=number))
            else:
                row.text, row.number = value, number
            s.flush()
            if f.entity == "person":
                search.reindex_people(s, [entity_id])
            else:
                search.reindex_communities(s, [entity_id])
            area = "people" if f.entity == "person" else "communities"
        self.notifier.emit(area, ids=[entity_id])
