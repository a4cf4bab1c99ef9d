"""The web shell's own lists, each a table and its filters for the list component (web/lists.py)."""

import django_filters
import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from secretariat.core.formats import format_day
from secretariat.core.models import DutyStation, EntityKind, Grade, OrgUnit, Role
from secretariat.core.scopes import Scope
from secretariat.web.lists import SearchFilterSet
from secretariat.web.widgets import TypeAheadSelect


class PeopleFilter(SearchFilterSet):
    search_fields = ("given_name", "family_name", "index_number", "email")
    org_unit = django_filters.ModelChoiceFilter(label=_("Org unit"), queryset=OrgUnit.objects.order_by("code"),
                                                widget=TypeAheadSelect)
    duty_station = django_filters.ModelChoiceFilter(label=_("Duty station"), queryset=DutyStation.objects.all())
    grade = django_filters.ModelChoiceFilter(label=_("Grade"), queryset=Grade.objects.all())


class PeopleTable(tables.Table):
    name = tables.LinkColumn("web:person_detail", args=[tables.A("pk")], accessor="full_name",
                             order_by=("family_name", "given_name"), verbose_name=_("Name"))
    index_number = tables.Column(verbose_name=_("Index number"))
    grade = tables.Column(order_by=("grade__rank",), verbose_name=_("Grade"))
    org_unit = tables.Column(accessor="org_unit__code", verbose_name=_("Org unit"))
    duty_station = tables.Column(accessor="duty_station__localized_name", order_by=("duty_station__code",),
                                 verbose_name=_("Duty station"))
    nationality = tables.Column(accessor="nationality__name", order_by=("nationality__alpha3",),
                                verbose_name=_("Nationality"))

    class Meta:
        attrs = {"class": "table table-sm table-striped"}
        empty_text = _("Nobody you may see matches.")
        order_by = ("family_name",)


class DutyStationFilter(SearchFilterSet):
    search_fields = ("code", "name", "city")


class DutyStationTable(tables.Table):
    code = tables.Column(verbose_name=_("Code"))
    name = tables.LinkColumn("web:duty_station_detail", args=[tables.A("code")], accessor="localized_name",
                             order_by=("name",), verbose_name=_("Name"))
    country = tables.Column(accessor="country__name", order_by=("country__alpha3",), verbose_name=_("Country"))
    time_zone = tables.Column(verbose_name=_("Time zone"))

    class Meta:
        attrs = {"class": "table table-sm table-striped"}
        empty_text = _("No duty station matches.")


class EntityFilter(SearchFilterSet):
    search_fields = ("code", "name")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EntityKind.choices)


class EntityTable(tables.Table):
    code = tables.Column(verbose_name=_("Code"))
    name = tables.LinkColumn("web:entity_detail", args=[tables.A("code")], accessor="localized_name",
                             order_by=("name",), verbose_name=_("Name"))
    kind = tables.Column(verbose_name=_("Kind"))
    headquarters = tables.Column(accessor="headquarters__localized_name", order_by=("headquarters__code",),
                                 verbose_name=_("Headquarters"))

    class Meta:
        attrs = {"class": "table table-sm table-striped"}
        empty_text = _("No entity matches.")


class RoleAssignmentFilter(SearchFilterSet):
    search_fields = ("user__username", "user__first_name", "user__last_name")
    role = django_filters.ModelChoiceFilter(label=_("Role"), queryset=Role.objects.all())
    scope_kind = django_filters.ChoiceFilter(label=_("Scope kind"), choices=[
        ("global", _("Whole organisation")), ("entity", _("Entity")), ("org_unit", _("Org unit")),
        ("duty_station", _("Duty station"))])


class RoleAssignmentTable(tables.Table):
    user = tables.Column(accessor="user__username", verbose_name=_("User"))
    role = tables.Column(accessor="role__localized_name", order_by=("role__code",), verbose_name=_("Role"))
    scope = tables.Column(empty_values=(), orderable=False, verbose_name=_("Scope"))
    valid_from = tables.Column(verbose_name=_("Valid from"))
    valid_until = tables.Column(verbose_name=_("Valid until"))
    granted_by = tables.Column(accessor="granted_by__username", verbose_name=_("Granted by"))
    actions = tables.TemplateColumn(template_name="web/includes/revoke_role.html", orderable=False,
                                    verbose_name=_("Actions"))
    not_exported = ("actions",)

    class Meta:
        attrs = {"class": "table table-sm table-striped"}
        empty_text = _("No role assignment you may see matches.")
        order_by = ("user",)

    def render_valid_from(self, value) -> str:
        return format_day(value)

    def render_valid_until(self, value) -> str:
        return format_day(value)

    def render_scope(self, record) -> str:
        return Scope(record.scope_kind, record.scope_id).label()

    def value_scope(self, record) -> str:
        return self.render_scope(record)
