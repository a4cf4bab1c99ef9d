"""The Django admin, held to the rules every other way in follows.

Privilege is given only through roles granted in scope, with a second administrator's approval
for privileged ones (``core.services.grant_role``); superusers are made on the server with
``createsuperuser``. So the admin may not set superuser or staff status, groups or permissions;
authenticators are each user's own (the two-factor page), never added for someone else; and
every change to an account made here is written to the audit trail.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from secretariat.core.audit import record_audit_event

User = get_user_model()
PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")

admin.site.unregister(Group)
admin.site.unregister(TOTPDevice)
admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *PRIVILEGE_FIELDS, "last_login", "date_joined")

    # The admin logs every addition and change (the account form and the password form alike)
    # through these two hooks; each also goes to the audit trail, in the same transaction.
    def log_addition(self, request, obj, message):
        record_audit_event(actor=request.user, target=obj, action="security.account_created_in_admin",
                           changes={"change": message})
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        record_audit_event(actor=request.user, target=obj, action="security.account_changed_in_admin",
                           changes={"change": message})
        return super().log_change(request, obj, message)
