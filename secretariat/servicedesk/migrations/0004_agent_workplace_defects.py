"""Issue 15: the chargeback can be reversed and re-posted (ADR 0025), article versions say which is
current and carry their search text, searched with stemming (ADR 0026; SQLite: an FTS5 table
kept in step by triggers), tickets raised through the API have their own channel, a requester's
late reply raises a follow-up, and mailboxes keep no password (ADR 0024: the IMAP password moves
to the SECRETARIAT_MAILBOX_SECRETS setting; a stored one is dropped and must be set there)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FTS = "servicedesk_article_fts"
SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(search_text, content='servicedesk_articleversion',
       content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER {FTS}_insert AFTER INSERT ON servicedesk_articleversion BEGIN
       INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END""",
    f"""CREATE TRIGGER {FTS}_delete AFTER DELETE ON servicedesk_articleversion BEGIN
       INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END""",
    f"""CREATE TRIGGER {FTS}_update AFTER UPDATE OF search_text ON servicedesk_articleversion BEGIN
       INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
       INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END""",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [*(f"DROP TRIGGER IF EXISTS {FTS}_{event}" for event in ("insert", "delete", "update")),
                   f"DROP TABLE IF EXISTS {FTS}"]


def mark_current_versions(apps, schema_editor):
    """Only the latest version per article and language stays current; every version gets its search text."""
    from secretariat.content.search import prepare_text

    ArticleVersion = apps.get_model("servicedesk", "ArticleVersion")
    latest = {}
    for version in ArticleVersion.objects.order_by("article_id", "language", "version"):
        version.search_text = prepare_text(f"{version.title}\n{version.body}")
        version.is_current = False
        latest[(version.article_id, version.language)] = version
        version.save(update_fields=["search_text", "is_current"])
    ArticleVersion.objects.filter(pk__in=[v.pk for v in latest.values()]).update(is_current=True)


def sqlite_index(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement, params=None)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ('finance', '0006_ledger_guards_not_liftable'),
        ('servicedesk', '0003_chargeback_posting'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='chargebackposting',
            options={'ordering': ['-year', '-month', '-posted_at']},
        ),
        migrations.RemoveConstraint(
            model_name='chargebackposting',
            name='servicedesk_chargeback_once_per_month',
        ),
        migrations.RemoveField(
            model_name='mailchannel',
            name='imap_password',
        ),
        migrations.AddField(
            model_name='articleversion',
            name='is_current',
            field=models.BooleanField(default=True, verbose_name='current version'),
        ),
        migrations.AddField(
            model_name='articleversion',
            name='search_text',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AddField(
            model_name='chargebackposting',
            name='reversal_entry',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='servicedesk_chargeback_reversal', to='finance.journalentry'),
        ),
        migrations.AddField(
            model_name='chargebackposting',
            name='reversed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='chargebackposting',
            name='reversed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='mailchannel',
            name='secret_name',
            field=models.SlugField(blank=True, help_text='Entry of the mailbox in the SECRETARIAT_MAILBOX_SECRETS setting.', max_length=60, verbose_name='secret name'),
        ),
        migrations.AddField(
            model_name='mailchannel',
            name='smtp_security',
            field=models.CharField(choices=[('starttls', 'STARTTLS'), ('tls', 'TLS from the start (SMTPS)'), ('none', 'None (local relay only)')], default='starttls', max_length=10, verbose_name='SMTP security'),
        ),
        migrations.AddField(
            model_name='mailchannel',
            name='smtp_username',
            field=models.CharField(blank=True, max_length=200, verbose_name='SMTP user name'),
        ),
        migrations.AlterField(
            model_name='mailchannel',
            name='smtp_port',
            field=models.PositiveIntegerField(default=587),
        ),
        migrations.AlterField(
            model_name='ticket',
            name='channel',
            field=models.CharField(choices=[('portal', 'Self-service portal'), ('email', 'E-mail'), ('agent', 'Agent'), ('api', 'API'), ('import', 'Import')], default='portal', max_length=10, verbose_name='channel'),
        ),
        migrations.AlterField(
            model_name='ticketlink',
            name='kind',
            field=models.CharField(choices=[('related', 'Related'), ('duplicate', 'Duplicate'), ('caused_by', 'Caused by'), ('follow_up', 'Follow-up of')], default='related', max_length=20),
        ),
        migrations.RunPython(mark_current_versions, migrations.RunPython.noop),
        migrations.RunPython(sqlite_index(SQLITE_FORWARD), sqlite_index(SQLITE_BACKWARD)),
        migrations.AddConstraint(
            model_name='articleversion',
            constraint=models.UniqueConstraint(condition=models.Q(('is_current', True)), fields=('article', 'language'), name='servicedesk_article_one_current_version'),
        ),
        migrations.AddConstraint(
            model_name='chargebackposting',
            constraint=models.UniqueConstraint(condition=models.Q(('reversal_entry__isnull', True)), fields=('year', 'month'), name='servicedesk_chargeback_once_per_month'),
        ),
    ]
