"""The work inbox: everything waiting for a user's action, from one registry every app adds to.

Each app declares what may be waiting in its own ``inbox.py`` module (found at start-up by the
web shell, as the admin finds ``admin.py``): functions of the user, registered here, that return
``Waiting`` groups built from the app's selectors. The same checks the app's services make decide
what is listed, so the inbox never offers an action the service would refuse for lack of a role.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class Waiting:
    """One kind of work waiting for the user: what to do, on which records, and how to show one."""

    label: str  # what the user is asked to do, e.g. "Journal entries to certify"
    records: QuerySet | Sequence
    describe: Callable[[object], str]
    link: Callable[[object], str]

    def count(self) -> int:
        return self.records.count() if isinstance(self.records, QuerySet) else len(self.records)

    def first(self, limit: int) -> list[tuple[str, str]]:
        """The first ``limit`` records as (text, URL)."""
        return [(self.describe(record), self.link(record)) for record in self.records[:limit]]


Provider = Callable[[object], Iterable[Waiting]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider (a decorator for the functions in each app's ``inbox.py``)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def waiting_for(user) -> list[Waiting]:
    """Every kind of work that may be waiting for ``user`` (some possibly with no records)."""
    if user is None or not user.is_authenticated:
        return []
    return [waiting for provider in _providers for waiting in provider(user)]
