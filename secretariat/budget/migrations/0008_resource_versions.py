"""Resource tables kept as versions (ADR 0054): every table entered so far becomes version 1,
at the proposal stage, of its section; lines and posts then belong to a version."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def tables_so_far_are_version_one(apps, schema_editor):
    ResourceVersion = apps.get_model("budget", "ResourceVersion")
    ResourceLine = apps.get_model("budget", "ResourceLine")
    PostLine = apps.get_model("budget", "PostLine")
    section_ids = set(ResourceLine.objects.values_list("component__section_id", flat=True)) | set(
        PostLine.objects.values_list("component__section_id", flat=True))
    for section_id in sorted(section_ids):
        version = ResourceVersion.objects.create(section_id=section_id, number=1, stage="proposed")
        ResourceLine.objects.filter(component__section_id=section_id).update(version=version)
        PostLine.objects.filter(component__section_id=section_id).update(version=version)


class Migration(migrations.Migration):
    dependencies = [
        ("budget", "0007_guards_not_liftable"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ResourceVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveSmallIntegerField(verbose_name="version")),
                ("stage", models.CharField(choices=[
                    ("proposed", "Proposed programme budget"), ("revised_estimates", "Revised estimates"),
                    ("recommended", "Recommended by the Advisory Committee"),
                    ("approved", "Approved by the General Assembly"),
                    ("revised_appropriation", "Revised appropriation")], max_length=30, verbose_name="stage")),
                ("reference", models.CharField(blank=True, max_length=100, verbose_name="document or resolution")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="entered at")),
                ("created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                                 related_name="budget_resource_versions",
                                                 to=settings.AUTH_USER_MODEL, verbose_name="entered by")),
                ("section", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                              related_name="resource_versions", to="budget.budgetsection",
                                              verbose_name="section")),
            ],
            options={
                "verbose_name": "resource table version",
                "verbose_name_plural": "resource table versions",
                "ordering": ["section", "number"],
                "constraints": [
                    models.UniqueConstraint(fields=("section", "number"), name="budget_resource_version_unique"),
                    models.UniqueConstraint(condition=models.Q(("stage", "approved")), fields=("section",),
                                            name="budget_resource_version_approved_once"),
                    models.CheckConstraint(condition=models.Q(("stage__in", [
                        "proposed", "revised_estimates", "recommended", "approved", "revised_appropriation"])),
                        name="budget_resource_version_stage_valid"),
                ],
            },
        ),
        migrations.AddField(
            model_name="resourceline", name="version",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="resource_lines", to="budget.resourceversion",
                                    verbose_name="version"),
        ),
        migrations.AddField(
            model_name="postline", name="version",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="post_lines", to="budget.resourceversion", verbose_name="version"),
        ),
        migrations.RunPython(tables_so_far_are_version_one, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="resourceline", name="version",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="resource_lines",
                                    to="budget.resourceversion", verbose_name="version"),
        ),
        migrations.AlterField(
            model_name="postline", name="version",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="post_lines",
                                    to="budget.resourceversion", verbose_name="version"),
        ),
        migrations.RemoveConstraint(model_name="resourceline", name="budget_resource_line_unique"),
        migrations.AddConstraint(
            model_name="resourceline",
            constraint=models.UniqueConstraint(fields=("version", "component", "object_of_expenditure",
                                                       "funding_source"),
                                               name="budget_resource_line_unique_in_version"),
        ),
        migrations.RemoveConstraint(model_name="postline", name="budget_post_line_unique"),
        migrations.AddConstraint(
            model_name="postline",
            constraint=models.UniqueConstraint(fields=("version", "component", "funding_source", "grade"),
                                               name="budget_post_line_unique_in_version"),
        ),
    ]
