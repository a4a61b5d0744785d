"""The Rapport schema as SQLAlchemy 2.0 typed models. No Qt, no I/O but the database."""

from crm.models.audit import AuditEntry
from crm.models.base import Base, utcnow
from crm.models.communities import (
    COMMUNITY_KINDS,
    MEMBERSHIP_ROLES,
    PARTNERSHIP_STATUSES,
    Community,
    Membership,
)
from crm.models.fields import FIELD_ENTITIES, FIELD_TYPES, FieldDef, FieldValue
from crm.models.imports import ImportMapping, MergeRecord
from crm.models.interactions import (
    CHANNELS,
    DIRECTIONS,
    INTERACTION_KINDS,
    SENTIMENTS,
    Interaction,
    Participant,
)
from crm.models.people import (
    CONSENT_KINDS,
    RELATIONSHIP_KINDS,
    ROLES,
    Consent,
    Email,
    Handle,
    Person,
    PersonRole,
    PersonTag,
    Phone,
    Relationship,
    Tag,
)

__all__ = [
    "CHANNELS",
    "COMMUNITY_KINDS",
    "CONSENT_KINDS",
    "DIRECTIONS",
    "FIELD_ENTITIES",
    "FIELD_TYPES",
    "INTERACTION_KINDS",
    "MEMBERSHIP_ROLES",
    "PARTNERSHIP_STATUSES",
    "RELATIONSHIP_KINDS",
    "ROLES",
    "SENTIMENTS",
    "AuditEntry",
    "Base",
    "Community",
    "Consent",
    "Email",
    "FieldDef",
    "FieldValue",
    "Handle",
    "ImportMapping",
    "Interaction",
    "Membership",
    "MergeRecord",
    "Participant",
    "Person",
    "PersonRole",
    "PersonTag",
    "Phone",
    "Relationship",
    "Tag",
    "utcnow",
]
