"""``secretariat setup_organisation FILE --admin NAME --email ADDRESS``: the first run of a fresh
install, without a Python shell. Creates the first administrator (a superuser; the password is read
from SECRETARIAT_ADMIN_PASSWORD or asked for) unless one exists, then the organisation from a CSV
or XLSX file (see core/organisation_import.py for the columns). Running it again adds new rows'
records only if the file holds no code already recorded: a failing row refuses the whole file."""

import getpass
import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import InvalidInput
from secretariat.core.organisation_import import import_organisation, read_rows


class Command(BaseCommand):
    help = "Create the first administrator and the organisation (duty stations, entities, org units) from a file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV (UTF-8) or XLSX: one row per duty station, entity or unit")
        parser.add_argument("--admin", required=True, help="username of the first administrator")
        parser.add_argument("--email", default="", help="e-mail address of the first administrator")

    def handle(self, *args, file: Path, admin: str, email: str, **options):
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        rows = read_rows(file)
        with transaction.atomic():
            administrator = self.first_administrator(admin, email)
            try:
                created = import_organisation(actor=administrator, rows=rows)
            except InvalidInput as error:
                details = "; ".join(f"{where}: {' '.join(map(str, messages))}" for where, messages in error.errors.items())
                raise CommandError(f"Nothing was created. {details}") from None
        self.stdout.write(self.style.SUCCESS(
            f"Created {created['duty_station']} duty stations, {created['entity']} entities and "
            f"{created['org_unit']} org units. Sign in as {administrator.get_username()}."))

    def first_administrator(self, username: str, email: str):
        User = get_user_model()
        existing = User.objects.filter(username=username, is_superuser=True).first()
        if existing is not None:
            return existing
        if User.objects.filter(username=username).exists():
            raise CommandError(f"{username} exists and is not a superuser: choose another name.")
        password = os.environ.get("SECRETARIAT_ADMIN_PASSWORD") or getpass.getpass(f"Password for {username}: ")
        if len(password) < 12:
            raise CommandError("The administrator's password must have at least 12 characters.")
        user = User.objects.create_superuser(username, email, password)
        record_audit_event(actor=user, action="security.first_administrator_created", target=user)
        return user
