"""The work inbox as the pages show it: each group of waiting work with its total and first
records, worked out once per request (the menu shows the total, the home page the records)."""

from dataclasses import dataclass

from secretariat.core.work_inbox import waiting_for


@dataclass(frozen=True)
class InboxGroup:
    label: str
    total: int
    items: list[tuple[str, str]]  # (text, URL)


def inbox_of(request, limit: int = 5) -> list[InboxGroup]:
    cached = getattr(request, "_inbox", None)
    if cached is None or cached[0] < limit:
        groups = []
        for waiting in waiting_for(request.user):
            total = waiting.count()
            if total:
                groups.append(InboxGroup(str(waiting.label), total, waiting.first(limit)))
        cached = request._inbox = (limit, groups)
    return cached[1]


def inbox_total(request) -> int:
    return sum(group.total for group in inbox_of(request))
