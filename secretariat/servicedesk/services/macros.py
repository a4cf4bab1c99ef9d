"""Macros: canned replies in the requester's language, with placeholders filled from the ticket."""

import re

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from secretariat.core.access import require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import DomainError, InvalidInput
from secretariat.servicedesk.models import Macro, Ticket, TicketEntry
from secretariat.servicedesk.selectors import CHANGE_CHANGE_REQUEST
from secretariat.servicedesk.services.common import refuse_if_finished, require_agent
from secretariat.servicedesk.services.tickets import (
    change_ticket_status,
    reply_to_ticket,
)

PLACEHOLDER = re.compile(r"\{(requester|reference|subject|service|agent)\}")


class MacroInactive(DomainError):
    message = _("The macro “%(macro)s” is no longer in use.")
    code = "macro_inactive"


def fill_placeholders(text: str, *, ticket: Ticket, agent) -> str:
    """Only the named placeholders are replaced: braces in the text are otherwise left as written."""
    values = {"requester": ticket.requester.full_name, "reference": ticket.reference, "subject": ticket.subject,
              "service": ticket.service.localized_name, "agent": agent.get_full_name() or agent.get_username()}
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def macro_text(macro: Macro, *, language: str) -> str:
    return macro.body_translations.get(language) or macro.body_translations.get("en", "")


@transaction.atomic
def define_macro(*, actor, code: str, name: str, bodies: dict[str, str], set_status: str = "") -> Macro:
    """Create or update a shared macro; the English text is required.

    Desk managers define them: the permission their role holds and agents do not
    (``change_changerequest``, as for webhooks).
    """
    require_permission(actor=actor, permission=CHANGE_CHANGE_REQUEST, action=_("define macros"))
    if not bodies.get("en", "").strip():
        raise InvalidInput(errors={"bodies": [_("Give at least the English text.")]})
    macro, created = Macro.objects.update_or_create(code=code, defaults={
        "name": name, "body_translations": bodies, "set_status": set_status, "is_active": True})
    record_audit_event(actor=actor, action="servicedesk.macro.defined", target=macro,
                       changes={"created": created, "languages": sorted(bodies), "set_status": set_status})
    return macro


@transaction.atomic
def apply_macro(*, actor, ticket_id: int, macro: Macro, now=None) -> TicketEntry:
    """Answer the requester with the macro in the ticket's language (English otherwise), then set its status."""
    ticket = Ticket.objects.select_related("requester", "service").get(pk=ticket_id)
    require_agent(actor=actor, ticket=ticket, action=_("answer with macros"))
    refuse_if_finished(ticket)
    if not macro.is_active:
        raise MacroInactive(macro=macro.name)
    body = fill_placeholders(macro_text(macro, language=ticket.language), ticket=ticket, agent=actor)
    entry = reply_to_ticket(actor=actor, ticket_id=ticket.pk, body=body, now=now)
    if macro.set_status and macro.set_status != Ticket.objects.values_list("status", flat=True).get(pk=ticket.pk):
        change_ticket_status(actor=actor, ticket_id=ticket.pk, status=macro.set_status, now=now)
    record_audit_event(actor=actor, action="servicedesk.macro.applied", target=ticket,
                       changes={"macro": macro.code, "language": ticket.language})
    return entry
