"""Mailbox credentials, kept out of the database (ADR 0024).

A desk's mail channel names its entry (``MailChannel.secret_name``) in the
``SECRETARIAT_MAILBOX_SECRETS`` setting, a mapping read from the environment like every other
secret: ``{"gva-desk": {"imap_password": "…", "smtp_password": "…"}}``. A database dump or the
admin therefore never shows a mailbox password.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from secretariat.core.exceptions import DomainError


class MailboxSecretMissing(DomainError):
    message = _("The mailbox %(address)s has no %(key)s in the SECRETARIAT_MAILBOX_SECRETS setting.")
    code = "mailbox_secret_missing"


def mailbox_secret(channel, key: str) -> str:
    """The ``key`` ("imap_password", "smtp_password") of the channel's mailbox; refused if not configured."""
    secrets = getattr(settings, "SECRETARIAT_MAILBOX_SECRETS", None) or {}
    value = secrets.get(channel.secret_name, {}).get(key) if channel.secret_name else None
    if not value:
        raise MailboxSecretMissing(address=channel.address, key=key)
    return value
