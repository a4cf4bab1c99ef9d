from django.core.management.commands import makemessages


class Command(makemessages.Command):
    """Django's makemessages without fuzzy matching: a new string starts empty, so the
    translation test flags it, instead of inheriting a wrong guess from a similar one."""

    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
