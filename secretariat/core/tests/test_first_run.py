"""A fresh database reaches a usable organisation without a Python shell: one command creates the
first administrator and the organisation from a CSV or XLSX file, all or nothing."""

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from secretariat.core.models import DutyStation, Entity, OrgUnit

pytestmark = pytest.mark.django_db

HEADER = ["kind", "code", "name", "country", "city", "time_zone", "work_days", "entity_kind", "headquarters",
          "entity", "parent", "level", "duty_station"]
ROWS = [  # in no particular order: the command puts stations, entities and parents first
    ["org_unit", "DMSPC-FIN", "Finance Division", "", "", "", "", "", "", "UNHQ", "DMSPC", "division", "NYC"],
    ["org_unit", "DMSPC", "Department of Management", "", "", "", "", "", "", "UNHQ", "", "department", "NYC"],
    ["entity", "UNHQ", "United Nations Headquarters", "", "", "", "", "secretariat", "NYC", "", "", "", ""],
    ["duty_station", "NYC", "New York", "US", "New York", "America/New_York", "1-5", "", "", "", "", "", ""],
]


def write_csv(path, rows):
    path.write_text("\n".join(",".join(row) for row in [HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_the_command_creates_the_administrator_and_the_organisation_from_xlsx(tmp_path, monkeypatch):
    workbook = openpyxl.Workbook()
    for row in [HEADER, *ROWS]:
        workbook.active.append(row)
    workbook.save(tmp_path / "organisation.xlsx")
    monkeypatch.setenv("SECRETARIAT_ADMIN_PASSWORD", "a-long-first-password")
    call_command("setup_organisation", str(tmp_path / "organisation.xlsx"), "--admin", "first.admin")

    station = DutyStation.objects.get(code="NYC")
    assert station.work_days == [1, 2, 3, 4, 5] and station.public_holidays.exists()
    assert Entity.objects.get(code="UNHQ").headquarters == station
    assert OrgUnit.objects.get(code="DMSPC-FIN").parent.code == "DMSPC"
    administrator = get_user_model().objects.get(username="first.admin")
    assert administrator.is_superuser and administrator.check_password("a-long-first-password")


def test_a_bad_row_refuses_the_whole_file_and_names_the_row(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRETARIAT_ADMIN_PASSWORD", "a-long-first-password")
    bad = [*ROWS[:3], ["duty_station", "NYC", "New York", "XX", "", "", "", "", "", "", "", "", ""]]
    with pytest.raises(CommandError, match="row 5"):
        call_command("setup_organisation", str(write_csv(tmp_path / "org.csv", bad)), "--admin", "first.admin")
    assert not DutyStation.objects.exists() and not OrgUnit.objects.exists()
    assert not get_user_model().objects.filter(username="first.admin").exists()
