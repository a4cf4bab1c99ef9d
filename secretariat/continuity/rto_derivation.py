"""Required RTO and RPO of every node in the dependency graph, and the inconsistencies they reveal.

Pure functions over plain values, so the rules can be tested on random graphs. A node needs
to be back as fast as the most demanding business process that depends on it, directly or
through other nodes: its required band is the tightest band among those processes. Its
required RPO is derived the same way from the processes' data-loss tolerance (from the BIA).
"""

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from secretariat.continuity.models import CRITICAL_RTO_BANDS, RTO_BAND_ORDER

Node = tuple[str, int]  # (kind, id)
V = TypeVar("V")


def tightest(bands: Iterable[str]) -> str | None:
    ordered = sorted(bands, key=RTO_BAND_ORDER.index)
    return ordered[0] if ordered else None


def propagate_tightest(*, edges: Iterable[tuple[Node, Node]], process_values: Mapping[int, V],
                       key: Callable[[V], object]) -> dict[Node, V]:
    """Map every node reachable from a process (including the process) to the tightest value among them.

    ``edges`` are (dependent, required) pairs; ``key`` orders values from the tightest. Nodes no
    process depends on are absent. Walks breadth-first from each process, tightest first, so
    each node is settled once, by the tightest process that reaches it.
    """
    needs = defaultdict(list)
    for dependent, required in edges:
        needs[dependent].append(required)
    result: dict[Node, V] = {}
    for pk, value in sorted(process_values.items(), key=lambda item: key(item[1])):
        queue = deque([("process", pk)])
        while queue:
            node = queue.popleft()
            if node in result:
                continue
            result[node] = value
            queue.extend(n for n in needs[node] if n not in result)
    return result


def required_rto_bands(*, edges: Iterable[tuple[Node, Node]], process_bands: Mapping[int, str]) -> dict[Node, str]:
    """The required RTO band of every node: the tightest band among the processes that need it."""
    return propagate_tightest(edges=edges, process_values=process_bands, key=RTO_BAND_ORDER.index)


def required_rpo_hours(*, edges: Iterable[tuple[Node, Node]], process_rpos: Mapping[int, Decimal]
                       ) -> dict[Node, Decimal]:
    """The required RPO of every node: the smallest data-loss tolerance among the processes that need it.

    Processes without an RPO (no signed-off BIA yet) require nothing.
    """
    known = {pk: hours for pk, hours in process_rpos.items() if hours is not None}
    return propagate_tightest(edges=edges, process_values=known, key=lambda hours: hours)


def find_path(*, edges: Iterable[tuple[Node, Node]], start: Node, goal: Node) -> list[Node] | None:
    """A dependency path from ``start`` to ``goal``, or None; used to refuse cycles."""
    needs = defaultdict(list)
    for dependent, required in edges:
        needs[dependent].append(required)
    previous: dict[Node, Node | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = [node]
            while previous[path[-1]] is not None:
                path.append(previous[path[-1]])
            return list(reversed(path))
        for following in needs[node]:
            if following not in previous:
                previous[following] = node
                queue.append(following)
    return None


UNREPLICATED_CRITICAL = "unreplicated_critical"
NO_RECOVERY_SITE = "no_recovery_site"
BIA_RPO_NOT_MET = "rpo_tighter_than_replication"


@dataclass(frozen=True)
class ApplicationFacts:
    replication_method: str
    data_centre_has_recovery_site: bool
    rpo_hours: Decimal | None  # required by the processes that depend on it; None: no BIA requires one


def inconsistency_flags(*, required_band: str | None, facts: ApplicationFacts) -> list[str]:
    """What is wrong with how an application is protected, given the RTO it must meet.

    - needed within 4 hours but not replicated: it cannot be restarted in time elsewhere;
    - critical (0–24 h) but its data centre has no recovery site to fail over to;
    - a required RPO of zero hours without synchronous replication.
    """
    flags = []
    if required_band == RTO_BAND_ORDER[0] and facts.replication_method == "none":
        flags.append(UNREPLICATED_CRITICAL)
    if required_band in CRITICAL_RTO_BANDS and not facts.data_centre_has_recovery_site:
        flags.append(NO_RECOVERY_SITE)
    if facts.rpo_hours == 0 and facts.replication_method != "synchronous":
        flags.append(BIA_RPO_NOT_MET)
    return flags
