"""Outside effects of ticket events, sent after commit: replies by mail, webhooks, escalation notices.

A failure here never undoes the business action; it is logged and the action stands.
"""

import hashlib
import hmac
import json
import logging

import requests
from django.core.mail import EmailMessage, get_connection
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from secretariat.servicedesk.mailbox_secrets import MailboxSecretMissing, mailbox_secret

logger = logging.getLogger(__name__)


def ticket_subject(ticket) -> str:
    return f"[{ticket.reference}] {ticket.subject}"


def channel_for(ticket):
    from secretariat.servicedesk.models import MailChannel

    if ticket.desk_id is None:
        return MailChannel.objects.first()
    return MailChannel.objects.filter(desk_id=ticket.desk_id).first() or MailChannel.objects.first()


def smtp_connection(channel):
    """The channel's SMTP connection: STARTTLS or TLS as configured, logged in when it has a user name."""
    from secretariat.servicedesk.models import SmtpSecurity

    username = channel.smtp_username
    return get_connection(
        "django.core.mail.backends.smtp.EmailBackend", host=channel.smtp_host, port=channel.smtp_port,
        username=username, password=mailbox_secret(channel, "smtp_password") if username else "",
        use_tls=channel.smtp_security == SmtpSecurity.STARTTLS, use_ssl=channel.smtp_security == SmtpSecurity.TLS,
        timeout=30, fail_silently=False)


def send_mail_through(channel, *, to: list[str], subject: str, body: str, in_reply_to: str = "") -> None:
    if channel is None:
        connection, sender = get_connection(), "servicedesk@localhost"
    else:
        connection, sender = smtp_connection(channel), channel.address
    headers = {"In-Reply-To": in_reply_to, "References": in_reply_to} if in_reply_to else {}
    EmailMessage(subject=subject, body=body, from_email=sender, to=to, headers=headers,
                 connection=connection).send()


def mail_reply_to_requester(ticket, entry) -> None:
    """After commit, mail a public reply to the requester (and watchers) through the desk's channel."""
    recipients = [ticket.requester.email] + [w.user.email for w in ticket.watchers.select_related("user")
                                             if w.user.email]
    subject, body = ticket_subject(ticket), entry.body

    def send():
        try:
            send_mail_through(channel_for(ticket), to=sorted(set(recipients)), subject=subject, body=body)
        except (OSError, MailboxSecretMissing):  # the action stands; the log says why no mail left
            logger.exception("reply to %s could not be mailed", ticket.reference)

    transaction.on_commit(send)


def mail_survey_invitation(ticket) -> None:
    """After commit, invite the requester, in the ticket's language, to rate how their ticket was resolved."""
    if not ticket.requester.email:
        return
    link = (getattr(settings, "SECRETARIAT_PUBLIC_URL", "").rstrip("/")
            + reverse("servicedesk:ticket_detail", args=[ticket.pk]) + "#survey-heading")
    with translation.override(ticket.language):
        subject = f"{ticket_subject(ticket)} — {gettext('How did we do?')}"
        body = gettext("Your ticket %(reference)s is resolved. Please tell us how we did: %(link)s") % {
            "reference": ticket.reference, "link": link}
    recipients = [ticket.requester.email]

    def send():
        try:
            send_mail_through(channel_for(ticket), to=recipients, subject=subject, body=body)
        except (OSError, MailboxSecretMissing):
            logger.exception("survey invitation for %s could not be mailed", ticket.reference)

    transaction.on_commit(send)


def notify_desk_of_escalation(ticket, rule) -> None:
    agents = [user.email for user in ticket.desk.agents.all() if user.email] if ticket.desk_id else []
    if not agents:
        return
    subject = f"SLA {ticket_subject(ticket)}"
    if rule.target == "response":
        body = f"{ticket.reference}: first response due {ticket.response_due_at:%Y-%m-%d %H:%M} UTC"
    else:
        body = f"{ticket.reference}: resolution due {ticket.resolution_due_at:%Y-%m-%d %H:%M} UTC"

    def send():
        try:
            send_mail_through(channel_for(ticket), to=agents, subject=subject, body=body)
        except (OSError, MailboxSecretMissing):
            logger.exception("escalation notice for %s could not be mailed", ticket.reference)

    transaction.on_commit(send)


def webhook_payload(event: str, ticket) -> dict:
    return {"event": event, "ticket": {
        "reference": ticket.reference, "id": ticket.pk, "status": ticket.status, "priority": ticket.priority,
        "service": ticket.service.code, "desk": ticket.desk.code if ticket.desk_id else None,
        "resolution_due_at": ticket.resolution_due_at.isoformat() if ticket.resolution_due_at else None,
    }}


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


# What a webhook may subscribe to; "*" is every event.
TICKET_EVENTS = ("ticket.raised", "ticket.status_changed", "ticket.resolved", "*")


def ticket_event(event: str, ticket) -> None:
    """After commit, POST the event to every active webhook subscribed to it (HMAC-signed)."""
    from secretariat.servicedesk.models import WebhookSubscription

    hooks = [(hook.url, hook.secret) for hook in WebhookSubscription.objects.filter(is_active=True)
             if event in hook.events or "*" in hook.events]
    if not hooks:
        return
    body = json.dumps(webhook_payload(event, ticket), sort_keys=True).encode()

    def deliver():
        for url, secret in hooks:
            try:
                requests.post(url, data=body, timeout=5, headers={
                    "Content-Type": "application/json", "X-Secretariat-Event": event,
                    "X-Secretariat-Signature": signature(secret, body)})
            except requests.RequestException:
                logger.exception("webhook %s for %s failed", url, ticket.reference)

    transaction.on_commit(deliver)
