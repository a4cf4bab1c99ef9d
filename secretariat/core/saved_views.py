"""Saved views of list pages: a user names the current search, filters and sort of a list to come
back to it. Each user sees and changes only their own."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import InvalidInput
from secretariat.core.models import SavedListView

# Parameters that say what the page does, not what it shows: never part of a saved view.
NOT_SAVED = {"page", "_export", "csrfmiddlewaretoken"}


def saved_views_of(*, actor, list_name: str):
    return SavedListView.objects.filter(user=actor, list_name=list_name)


@transaction.atomic
def save_list_view(*, actor, list_name: str, name: str, query: str) -> SavedListView:
    """Save (or replace) ``actor``'s view ``name`` of ``list_name``."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInput(errors={"name": [_("Give the view a name.")]})
    view, _created = SavedListView.objects.update_or_create(
        user=actor, list_name=list_name, name=name[:100], defaults={"query": query[:2000]})
    record_audit_event(actor=actor, action="web.list_view.saved", target=view,
                       changes={"list": list_name, "query": view.query})
    return view


@transaction.atomic
def delete_list_view(*, actor, view_id: int) -> None:
    view = SavedListView.objects.filter(user=actor, pk=view_id).first()
    if view is None:
        raise InvalidInput(errors={"view": [_("No such saved view.")]})
    record_audit_event(actor=actor, action="web.list_view.deleted", target=view, changes={"list": view.list_name})
    view.delete()
