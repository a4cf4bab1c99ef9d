from django import template

from secretariat.core.scopes import Scope

register = template.Library()


@register.filter
def scope_label(grant) -> str:
    """'Entity: United Nations Office at Geneva' for a role assignment or delegation."""
    return Scope(grant.scope_kind, grant.scope_id).label()
