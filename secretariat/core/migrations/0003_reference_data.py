"""Reference data every installation needs: countries and Member States, ISO 4217 currencies,
grades, built-in roles, delegable authorities and segregation-of-duties rules."""

import pycountry
from babel.numbers import get_currency_precision
from django.db import migrations

from secretariat.core.migration_support import create_roles

from secretariat.core.reference.access_defaults import AUTHORITIES, GRADES, ROLES, SEGREGATION_RULES
from secretariat.core.reference.member_states import MEMBER_STATES


def load(apps, schema_editor):
    Country = apps.get_model("core", "Country")
    Currency = apps.get_model("core", "Currency")
    Grade = apps.get_model("core", "Grade")
    AuthorityKind = apps.get_model("core", "AuthorityKind")
    SegregationRule = apps.get_model("core", "SegregationRule")

    Country.objects.bulk_create(
        Country(alpha2=c.alpha_2, alpha3=c.alpha_3, numeric=c.numeric, is_member_state=c.alpha_2 in MEMBER_STATES)
        for c in pycountry.countries
    )
    Currency.objects.bulk_create(
        Currency(code=c.alpha_3, minor_units=get_currency_precision(c.alpha_3)) for c in pycountry.currencies
    )
    Grade.objects.bulk_create(Grade(code=code, category=category, rank=rank) for code, category, rank in GRADES)

    create_roles(apps, ROLES)
    for code, is_monetary, names in AUTHORITIES:
        AuthorityKind.objects.create(code=code, is_monetary=is_monetary, name=names["en"], name_translations=names)
    for code, first, second, names in SEGREGATION_RULES:
        SegregationRule.objects.create(code=code, first_duty=first, second_duty=second, name=names["en"],
                                       name_translations=names)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only"), ("auth", "0012_alter_user_first_name_max_length"),
                    ("contenttypes", "0002_remove_content_type_name")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
