"""Create the organisation of a fresh install from one CSV or XLSX sheet: duty stations (with their
public holidays), entities and organisational units, in that order, in one transaction.

One row per record, a ``kind`` column saying which (``duty_station``, ``entity``, ``org_unit``):

    kind,code,name,country,city,time_zone,work_days,entity_kind,headquarters,entity,parent,level,duty_station
    duty_station,NYC,New York,US,New York,America/New_York,1-5,,,,,,
    entity,UNHQ,United Nations Headquarters,,,,,secretariat,NYC,,,,
    org_unit,DMSPC,Department of Management,,,,,,,UNHQ,,department,NYC

Each row is checked as the services check it (``full_clean``, ``create_org_unit``); any error
refuses the whole file and names its row, so a half-built organisation never exists.
"""

import csv
import io
from pathlib import Path

import holidays as holiday_calendars
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.core import services
from secretariat.core.access import require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import InvalidInput
from secretariat.core.models import Country, DutyStation, Entity, OrgUnit, PublicHoliday

KINDS = ("duty_station", "entity", "org_unit")


def read_rows(path: Path) -> list[dict[str, str]]:
    """The sheet's rows as dicts of stripped text (CSV in UTF-8, or the first sheet of an XLSX)."""
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            values = [["" if cell is None else str(cell).strip() for cell in row]
                      for row in workbook.active.iter_rows(values_only=True)]
        finally:
            workbook.close()  # a read-only workbook keeps its file open until closed
        header, body = values[0], values[1:]
    else:
        reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")))
        header, *body = [[cell.strip() for cell in row] for row in reader]
    return [dict(zip(header, row)) for row in body if any(row)]


def work_days(text: str) -> list[int]:
    """"1-5" or "1,2,3,4,5" (ISO weekdays, 1 = Monday); Monday to Friday when empty."""
    if not text:
        return [1, 2, 3, 4, 5]
    if "-" in text:
        first, last = (int(part) for part in text.split("-", 1))
        return list(range(first, last + 1))
    return [int(part) for part in text.replace(";", ",").split(",") if part.strip()]


def create_duty_station(row: dict, years: list[int]) -> DutyStation:
    country = Country.objects.filter(alpha2=row.get("country", "").upper()).first()
    if country is None:
        raise InvalidInput(errors={"country": [_("Unknown country code “%(code)s”.") % {"code": row.get("country")}]})
    station = DutyStation(code=row["code"], name=row["name"], country=country, city=row.get("city") or row["name"],
                          time_zone=row.get("time_zone") or "UTC", work_days=work_days(row.get("work_days", "")))
    station.full_clean()
    station.save()
    # The calendar: the country's public holidays for last year, this year and next (the
    # holidays package); holidays particular to the duty station are added on its page later.
    calendar = holiday_calendars.country_holidays(country.alpha2, years=years)
    PublicHoliday.objects.bulk_create(PublicHoliday(duty_station=station, holiday_on=day, name=label[:200])
                                      for day, label in sorted(calendar.items()))
    return station


def create_entity(row: dict) -> Entity:
    entity = Entity(code=row["code"], name=row["name"], kind=row.get("entity_kind") or "secretariat",
                    headquarters=DutyStation.objects.filter(code=row.get("headquarters")).first())
    entity.full_clean()
    entity.save()
    return entity


def create_unit(actor, row: dict) -> OrgUnit:
    entity = Entity.objects.filter(code=row.get("entity")).first()
    parent = OrgUnit.objects.filter(code=row["parent"]).first() if row.get("parent") else None
    station = DutyStation.objects.filter(code=row.get("duty_station")).first()
    if entity is None or station is None or (row.get("parent") and parent is None):
        raise InvalidInput(errors={"entity": [_("The entity, parent unit or duty station is not in the file above "
                                                "this row, nor already recorded.")]})
    return services.create_org_unit(actor=actor, entity=entity, code=row["code"], name=row["name"],
                                    level=row.get("level") or "unit", duty_station=station, parent=parent)


@transaction.atomic
def import_organisation(*, actor, rows: list[dict[str, str]]) -> dict[str, int]:
    """Create every row's record; returns how many of each kind were created."""
    require_permission(actor=actor, permission="core.add_orgunit", action=_("create the organisation"))
    year = timezone.localdate().year
    created = dict.fromkeys(KINDS, 0)
    numbered = list(enumerate(rows, start=2))  # row 1 is the header
    for kind in KINDS:  # stations first, then the entities headquartered there, then their units
        for number, row in parents_first([(n, r) for n, r in numbered if r.get("kind") == kind]):
            try:
                if kind == "duty_station":
                    create_duty_station(row, [year - 1, year, year + 1])
                elif kind == "entity":
                    create_entity(row)
                else:
                    create_unit(actor, row)
            except (ValidationError, InvalidInput, KeyError, ValueError) as error:
                raise InvalidInput(errors={f"row {number}": [row_error(error)]}) from None
            created[kind] += 1
    unknown = sorted({row.get("kind", "") for row in rows} - set(KINDS))
    if unknown:
        raise InvalidInput(errors={"kind": [_("Unknown kinds: %(kinds)s.") % {"kinds": ", ".join(unknown)}]})
    record_audit_event(actor=actor, action="organisation.imported", changes=created)
    return created


def parents_first(numbered_rows):
    """Org units in an order where each parent named in the file comes before its children
    (other kinds have no parent column and keep the file's order)."""
    pending, placed, ordered = list(numbered_rows), set(), []
    codes = {row.get("code") for _number, row in numbered_rows}
    while pending:
        ready = [(n, r) for n, r in pending if not r.get("parent") or r["parent"] in placed or r["parent"] not in codes]
        if not ready:  # a cycle: let the first row fail on its missing parent
            ready = pending[:1]
        ordered += ready
        placed |= {row.get("code") for _number, row in ready}
        pending = [item for item in pending if item not in ready]
    return ordered


def row_error(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    if isinstance(error, InvalidInput):
        return "; ".join(f"{field}: {' '.join(str(m) for m in messages)}" for field, messages in error.errors.items())
    if isinstance(error, KeyError):
        return _("missing column %(column)s") % {"column": error.args[0]}
    return str(error)
