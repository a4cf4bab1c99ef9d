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
from secretariat.core.models import (
    AuthorityKind,
    Country,
    Currency,
    DutyStation,
    Entity,
    Grade,
    OrgUnit,
    PublicHoliday,
    Role,
    SegregationRule,
)

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


# --- Reference data ------------------------------------------------------------------------------
# The organisation, people and access are changed only through the services, which check and audit
# every change (the pages, the API, ``setup_organisation``): the admin shows them read-only. The
# plain reference lists (countries, currencies, grades) may be kept here, each change audited.


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedReferenceAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False  # records point at them; retire by not using

    def log_addition(self, request, obj, message):
        record_audit_event(actor=request.user, target=obj, action="reference.created_in_admin",
                           changes={"change": message})
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        record_audit_event(actor=request.user, target=obj, action="reference.changed_in_admin",
                           changes={"change": message})
        return super().log_change(request, obj, message)


@admin.register(DutyStation)
class DutyStationAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "country", "city", "time_zone")
    search_fields = ("code", "name", "city")


@admin.register(Entity)
class EntityAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "headquarters")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "level", "entity", "duty_station")
    list_filter = ("level", "entity")
    search_fields = ("code", "name")


@admin.register(PublicHoliday)
class PublicHolidayAdmin(ReadOnlyAdmin):
    list_display = ("duty_station", "holiday_on", "name")
    list_filter = ("duty_station",)


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "is_privileged", "reads_everything")


@admin.register(AuthorityKind, SegregationRule)
class AccessReferenceAdmin(ReadOnlyAdmin):
    pass


@admin.register(Country)
class CountryAdmin(AuditedReferenceAdmin):
    list_display = ("alpha3", "alpha2", "name", "is_member_state")
    list_filter = ("is_member_state",)
    search_fields = ("alpha2", "alpha3")


@admin.register(Currency, Grade)
class PlainReferenceAdmin(AuditedReferenceAdmin):
    pass
