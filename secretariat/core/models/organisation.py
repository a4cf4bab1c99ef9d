"""The organisation: entities, duty stations with their work calendars, and the org-unit tree.

Models that can fall within an access scope declare ``scope_paths``: for each scope kind, the
ORM path from the model to the scope object ("" when the model is the scope object itself).
``core.scopes`` builds record-level filters from it.
"""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from secretariat.core.models.translated import TranslatedNameMixin

ISO_WEEKDAYS = range(1, 8)  # Monday = 1 … Sunday = 7


class EntityKind(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    OFFICE_AWAY = "office_away", _("Office away from Headquarters")
    REGIONAL_COMMISSION = "regional_commission", _("Regional commission")
    PEACEKEEPING_MISSION = "peacekeeping_mission", _("Peacekeeping mission")
    POLITICAL_MISSION = "political_mission", _("Special political mission")
    TRIBUNAL = "tribunal", _("Tribunal")
    LOGISTICS_BASE = "logistics_base", _("Logistics or support base")


class Entity(TranslatedNameMixin):
    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=EntityKind.choices)
    headquarters = models.ForeignKey(
        "DutyStation", on_delete=models.PROTECT, related_name="headquartered_entities", verbose_name=_("headquarters")
    )
    is_active = models.BooleanField(_("active"), default=True)

    scope_paths = {"entity": ""}

    class Meta:
        ordering = ["code"]
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        constraints = [models.CheckConstraint(condition=Q(kind__in=EntityKind.values), name="core_entity_kind_valid")]


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(zone)s is not a known IANA time zone."), params={"zone": value}, code="time_zone")


def validate_work_days(value: list) -> None:
    if not isinstance(value, list) or not value or any(day not in ISO_WEEKDAYS for day in value):
        raise ValidationError(_("Work days must be a non-empty list of ISO weekday numbers (1 = Monday … 7 = Sunday)."))
    if len(set(value)) != len(value):
        raise ValidationError(_("Work days must not repeat."))


class DutyStation(TranslatedNameMixin):
    code = models.CharField(_("code"), max_length=10, unique=True)
    country = models.ForeignKey("Country", on_delete=models.PROTECT, related_name="duty_stations", verbose_name=_("country"))
    city = models.CharField(_("city"), max_length=100)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    work_days = models.JSONField(
        _("work days"), default=list, validators=[validate_work_days], help_text=_("ISO weekday numbers, 1 = Monday.")
    )
    work_starts_at = models.TimeField(_("working day starts"), default="09:00")
    work_ends_at = models.TimeField(_("working day ends"), default="17:30")

    scope_paths = {"duty_station": ""}

    class Meta:
        ordering = ["code"]
        verbose_name = _("duty station")
        verbose_name_plural = _("duty stations")
        constraints = [
            models.CheckConstraint(condition=~Q(time_zone=""), name="core_duty_station_time_zone_required"),
            models.CheckConstraint(
                condition=Q(work_ends_at__gt=models.F("work_starts_at")), name="core_duty_station_day_ordered"
            ),
        ]

    @property
    def weekend_days(self) -> list[int]:
        return [day for day in ISO_WEEKDAYS if day not in self.work_days]


class PublicHoliday(models.Model):
    duty_station = models.ForeignKey(
        DutyStation, on_delete=models.CASCADE, related_name="public_holidays", verbose_name=_("duty station")
    )
    holiday_on = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["holiday_on"]
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        constraints = [
            models.UniqueConstraint(fields=["duty_station", "holiday_on"], name="core_holiday_unique_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.holiday_on:%Y-%m-%d} {self.name}"


class OrgUnitLevel(models.TextChoices):
    DEPARTMENT = "department", _("Department")
    OFFICE = "office", _("Office")
    DIVISION = "division", _("Division")
    SERVICE = "service", _("Service")
    SECTION = "section", _("Section")
    UNIT = "unit", _("Unit")


LEVEL_ORDER = list(OrgUnitLevel.values)


class OrgUnit(TranslatedNameMixin):
    """A node of the org-unit tree.

    ``path`` is a materialised path ("/12/40/97/") kept by the services, so a subtree is one
    indexed prefix match instead of a recursive query.
    """

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="org_units", verbose_name=_("entity"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent unit")
    )
    code = models.CharField(_("code"), max_length=30, unique=True)
    level = models.CharField(_("level"), max_length=20, choices=OrgUnitLevel.choices)
    duty_station = models.ForeignKey(
        DutyStation, on_delete=models.PROTECT, related_name="org_units", verbose_name=_("duty station")
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    scope_paths = {"org_unit": "", "entity": "entity", "duty_station": "duty_station"}

    class Meta:
        ordering = ["path"]
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        constraints = [
            models.CheckConstraint(condition=Q(level__in=OrgUnitLevel.values), name="core_org_unit_level_valid"),
        ]

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2
