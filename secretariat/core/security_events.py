"""Security events from Django's authentication machinery, written to the audit trail.

Receivers are the only hook Django and django-axes offer for these events.
"""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from secretariat.core.audit import record_audit_event


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    record_audit_event(actor=user, action="security.login", target=user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record_audit_event(actor=user, action="security.logout", target=user)


@receiver(user_login_failed)
def audit_failed_login(sender, credentials, request=None, **kwargs):
    record_audit_event(
        actor=None, actor_label=str(credentials.get("username", ""))[:150], action="security.login_failed"
    )


@receiver(user_locked_out)
def audit_lockout(sender, request, username, ip_address, **kwargs):
    record_audit_event(actor=None, actor_label=str(username or "")[:150], action="security.locked_out")
