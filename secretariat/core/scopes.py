"""Scope kinds: where a role or a delegation applies.

The core registers ``global``, ``entity``, ``org_unit`` (the unit and its subtree) and
``duty_station``. Later modules register their own kinds (a fund, say) with
``register_scope_kind`` and declare in their models' ``scope_paths`` how each record reaches
the scope object — the core never changes for it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from secretariat.core.models.access import GLOBAL_SCOPE

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class ScopeKind:
    code: str
    label: Promise
    model: type[Model] | None
    # Builds the filter selecting records under the scope object, given the ORM prefix that
    # leads from the filtered model to the scope model ("" when they are the same model).
    condition: Callable[[Model, str], Q]


_registry: dict[str, ScopeKind] = {}


def register_scope_kind(kind: ScopeKind) -> None:
    _registry[kind.code] = kind


def scope_kind(code: str) -> ScopeKind:
    return _registry[code]


def scope_kinds() -> list[ScopeKind]:
    return list(_registry.values())


def path_prefix(path: str) -> str:
    return f"{path}__" if path else ""


def same_object(scope_object: Model, path: str) -> Q:
    return Q(**{f"{path_prefix(path)}pk": scope_object.pk})


def org_subtree(scope_object: Model, path: str) -> Q:
    return Q(**{f"{path_prefix(path)}path__startswith": scope_object.path})


@dataclass(frozen=True)
class Scope:
    kind: str
    object_id: int | None = None

    @classmethod
    def of(cls, scope_object: Model | None) -> "Scope":
        """The scope whose scope object is ``scope_object`` (None means global)."""
        if scope_object is None:
            return cls(GLOBAL_SCOPE)
        for kind in _registry.values():
            if kind.model is type(scope_object):
                return cls(kind.code, scope_object.pk)
        raise ValueError(f"{type(scope_object).__name__} is not a scope object")

    @property
    def is_global(self) -> bool:
        return self.kind == GLOBAL_SCOPE

    def scope_object(self) -> Model | None:
        kind = scope_kind(self.kind)
        return None if kind.model is None else kind.model._default_manager.get(pk=self.object_id)

    def records_condition(self, model: type[Model]) -> Q:
        """The filter selecting ``model`` records inside this scope (none if the model can't fall in it)."""
        if self.is_global:
            return Q()
        path = getattr(model, "scope_paths", {}).get(self.kind)
        if path is None:
            return NOTHING
        return scope_kind(self.kind).condition(self.scope_object(), path)

    def contains(self, target: Model | None) -> bool:
        """Whether a record — or another scope's object — falls inside this scope."""
        if self.is_global:
            return True
        if target is None:
            return False
        model = type(target)
        return model._default_manager.filter(self.records_condition(model), pk=target.pk).exists()

    def covers(self, other: "Scope") -> bool:
        """Whether every record in ``other`` is also in this scope."""
        if self.is_global:
            return True
        return not other.is_global and self.contains(other.scope_object())

    def label(self) -> str:
        if self.is_global:
            return str(_("Whole organisation"))
        return f"{scope_kind(self.kind).label}: {self.scope_object()}"


def register_core_scope_kinds() -> None:
    from secretariat.core.models import DutyStation, Entity, OrgUnit

    register_scope_kind(ScopeKind(GLOBAL_SCOPE, _("Whole organisation"), None, lambda obj, path: Q()))
    register_scope_kind(ScopeKind("entity", _("Entity"), Entity, same_object))
    register_scope_kind(ScopeKind("org_unit", _("Org unit and its subtree"), OrgUnit, org_subtree))
    register_scope_kind(ScopeKind("duty_station", _("Duty station"), DutyStation, same_object))
