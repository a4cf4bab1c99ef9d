"""Journal entries waiting for the user (read by the work inbox, see core/work_inbox.py): drafts
to submit, and entries to certify, approve or post where the user holds the permission over the
fund (and, to certify or approve, a delegation of that authority). An entry whose earlier duty the
user performed is left out, as segregation of duties would refuse it."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from secretariat.core.access import scoped
from secretariat.core.authority import delegations_held
from secretariat.core.work_inbox import Waiting, register
from secretariat.finance.models import EntryStatus, JournalEntry


def describe_entry(entry) -> str:
    return f"{entry} · {entry.fund.code} · {entry.description}"


def entry_link(entry) -> str:
    return reverse("finance:entry_detail", args=[entry.pk])


def entries(user, permission: str, status: str):
    return scoped(JournalEntry.objects.filter(status=status), actor=user, permission=permission).select_related(
        "fund").order_by("entry_on", "pk")


@register
def journal_entries_waiting(user):
    yield Waiting(_("Draft journal entries to submit"),
                  entries(user, "finance.submit_journalentry", EntryStatus.DRAFT).filter(prepared_by=user),
                  describe_entry, entry_link)
    if delegations_held(user=user, authority="certifying_officer"):
        yield Waiting(_("Journal entries to certify"),
                      entries(user, "finance.certify_journalentry", EntryStatus.SUBMITTED).exclude(prepared_by=user),
                      describe_entry, entry_link)
    if delegations_held(user=user, authority="approving_officer"):
        yield Waiting(_("Journal entries to approve"),
                      entries(user, "finance.approve_journalentry", EntryStatus.CERTIFIED).exclude(
                          Q(prepared_by=user) | Q(certified_by=user)),
                      describe_entry, entry_link)
    yield Waiting(_("Journal entries to post"), entries(user, "finance.post_journalentry", EntryStatus.APPROVED),
                  describe_entry, entry_link)
