from secretariat.core.models.access import (
    AuthorityKind,
    Delegation,
    Role,
    RoleAssignment,
    SegregationRule,
)
from secretariat.core.models.audit import AuditChainHead, AuditEvent
from secretariat.core.models.idempotency import IdempotencyRecord
from secretariat.core.models.organisation import DutyStation, Entity, EntityKind, OrgUnit, OrgUnitLevel, PublicHoliday
from secretariat.core.models.people import Grade, GradeCategory, Person, PersonKind
from secretariat.core.models.reference import Country, Currency
from secretariat.core.models.saved_views import SavedListView

__all__ = [
    "AuditChainHead",
    "AuditEvent",
    "AuthorityKind",
    "Country",
    "Currency",
    "Delegation",
    "DutyStation",
    "Entity",
    "EntityKind",
    "Grade",
    "IdempotencyRecord",
    "GradeCategory",
    "OrgUnit",
    "OrgUnitLevel",
    "Person",
    "PersonKind",
    "PublicHoliday",
    "Role",
    "RoleAssignment",
    "SavedListView",
    "SegregationRule",
]
