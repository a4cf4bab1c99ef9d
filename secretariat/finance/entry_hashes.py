"""Content hashes of posted journal entries, recorded in the audit chain when they are posted.

A posted entry is immutable, and the database refuses to change it; what a database superuser
can still do (switch the triggers off) is detected by comparing each entry with the hash its
posting event recorded (``verify_ledger``, ADR 0006). The hash covers what the ledger means:
the entry's identity, period, fund and total, and every line's accounts, analysis and amounts;
not its status, which legitimately becomes "reversed" later.
"""

import hashlib
import json
from collections import defaultdict
from decimal import Decimal

from django.db import models

from secretariat.finance.models import JournalEntry, JournalLine

HASHED_ENTRY_FIELDS = ("id", "number", "journal_id", "fund_id", "period_id", "entry_on", "fiscal_year",
                       "sequence_number", "total_usd", "reverses_id")
HASHED_LINE_FIELDS = ("id", "fund_id", "account_id", "cost_centre_id", "project_id", "grant_id", "description",
                      "obligation", "currency", "debit_amount", "credit_amount", "exchange_rate", "debit_usd",
                      "credit_usd")


def content_hash(entry: dict, lines: list[dict]) -> str:
    """SHA-256 of the entry's and its lines' hashed fields as stored (Decimals and dates as text)."""
    document = {"entry": {name: entry[name] for name in HASHED_ENTRY_FIELDS},
                "lines": [{name: line[name] for name in HASHED_LINE_FIELDS} for line in lines]}
    return hashlib.sha256(json.dumps(document, sort_keys=True, separators=(",", ":"), default=str,
                                     ensure_ascii=False).encode()).hexdigest()


def stored_entries_with_lines(entry_ids) -> list[tuple[dict, list[dict]]]:
    """The entries (pk order) with their lines (pk order), read back as the database stores them."""
    lines = defaultdict(list)
    for line in (JournalLine.objects.filter(entry_id__in=entry_ids).order_by("entry_id", "id")
                 .values("entry_id", *HASHED_LINE_FIELDS)):
        lines[line["entry_id"]].append(line)
    entries = JournalEntry.objects.filter(pk__in=entry_ids).order_by("pk").values("status", *HASHED_ENTRY_FIELDS)
    return [(entry, lines[entry["id"]]) for entry in entries]


def posted_content_hashes(entry_ids: list[int]) -> dict[str, str]:
    """``{number: content hash}`` of entries just posted, for their posting's audit event."""
    return {entry["number"]: content_hash(entry, lines) for entry, lines in stored_entries_with_lines(entry_ids)}


def as_stored(instance: models.Model, names) -> dict:
    """The fields as the database gives them back: decimals at the column's scale."""
    values = {}
    for name in names:
        value, column = getattr(instance, name), instance._meta.get_field(name)
        if isinstance(column, models.DecimalField) and value is not None:
            value = Decimal(value).quantize(Decimal(1).scaleb(-column.decimal_places))
        values[name] = value
    return values


def written_content_hashes(entries: list[JournalEntry], lines: list[list[JournalLine]]) -> dict[str, str]:
    """``{number: content hash}`` of entries just written, from the rows as written (no read back:
    the single-entry posting path saves the round trips); equal to ``posted_content_hashes``."""
    return {entry.number: content_hash(as_stored(entry, HASHED_ENTRY_FIELDS),
                                       [as_stored(line, HASHED_LINE_FIELDS) for line in sorted(entry_lines,
                                                                                               key=lambda ln: ln.pk)])
            for entry, entry_lines in zip(entries, lines, strict=True)}
