"""Required RTO of every node in the dependency graph, and the inconsistencies it reveals.

Pure functions over plain values, so the rules can be tested on random graphs. A node needs
to be back as fast as the most demanding business process that depends on it, directly or
through other nodes: its required band is the tightest band among those processes.
"""

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from secretariat.continuity.models import CRITICAL_RTO_BANDS, RTO_BAND_ORDER

Node = tuple[str, int]  # (kind, id)


def tightest(bands: Iterable[str]) -> str | None:
    ordered = sorted(bands, key=RTO_BAND_ORDER.index)
    return ordered[0] if ordered else None


def required_rto_bands(*, edges: Iterable[tuple[Node, Node]], process_bands: Mapping[int, str]) -> dict[Node, str]:
    """Map every node reachable from a process (including the process) to its required band.

    ``edges`` are (dependent, required) pairs. Nodes no process depends on are absent.
    Runs a breadth-first walk per band, tightest first, so each node is settled once.
    """
    needs = defaultdict(list)
    for dependent, required in edges:
        needs[dependent].append(required)
    result: dict[Node, str] = {}
    for band in RTO_BAND_ORDER:
        queue = deque(("process", pk) for pk, own in process_bands.items() if own == band)
        while queue:
            node = queue.popleft()
            if node in result:
                continue
            result[node] = band
            queue.extend(n for n in needs[node] if n not in result)
    return result


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
    rpo_hours: float


def inconsistency_flags(*, required_band: str | None, facts: ApplicationFacts) -> list[str]:
    """What is wrong with how an application is protected, given the RTO it must meet.

    - needed within 4 hours but not replicated: it cannot be restarted in time elsewhere;
    - critical (0–24 h) but its data centre has no recovery site to fail over to;
    - an RPO of zero hours without synchronous replication.
    """
    flags = []
    if required_band == RTO_BAND_ORDER[0] and facts.replication_method == "none":
        flags.append(UNREPLICATED_CRITICAL)
    if required_band in CRITICAL_RTO_BANDS and not facts.data_centre_has_recovery_site:
        flags.append(NO_RECOVERY_SITE)
    if facts.rpo_hours == 0 and facts.replication_method != "synchronous":
        flags.append(BIA_RPO_NOT_MET)
    return flags
