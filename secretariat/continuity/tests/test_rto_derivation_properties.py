"""Required RTO derivation and inconsistency flags on random dependency graphs (Hypothesis)."""


from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from secretariat.continuity.exceptions import DependencyCycle
from secretariat.continuity.models import RTO_BAND_ORDER
from secretariat.continuity.rto_derivation import (
    NO_RECOVERY_SITE,
    UNREPLICATED_CRITICAL,
    ApplicationFacts,
    inconsistency_flags,
    required_rto_bands,
)
from secretariat.continuity.selectors import application_continuity
from secretariat.continuity.services import add_dependency
from secretariat.continuity.tests.factories import ApplicationFactory, BusinessProcessFactory, DataCentreFactory
from secretariat.core.models import Role
from secretariat.core.tests.factories import OrgUnitFactory, UserFactory, grant

bands = st.sampled_from(RTO_BAND_ORDER)
MTD_FOR_BAND = {"0-4h": 4, "4-24h": 24, "24-72h": 72, "72h+": 100}


def reachable_from(start, edges):
    seen, stack = set(), [start]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        stack.extend(required for dependent, required in edges if dependent == node)
    return seen


def brute_force_bands(edges, process_bands):
    result = {}
    for pk, band in process_bands.items():
        for node in reachable_from(("process", pk), edges):
            if node not in result or RTO_BAND_ORDER.index(band) < RTO_BAND_ORDER.index(result[node]):
                result[node] = band
    return result


@st.composite
def graphs(draw):
    process_bands = {pk: draw(bands) for pk in range(draw(st.integers(0, 5)))}
    nodes = ([("process", pk) for pk in process_bands] + [("application", pk) for pk in range(draw(st.integers(1, 6)))]
             + [("infrastructure", pk) for pk in range(draw(st.integers(0, 3)))])
    edges = draw(st.lists(st.tuples(st.sampled_from(nodes), st.sampled_from(nodes)), max_size=20))
    return [(a, b) for a, b in edges if a != b], process_bands


@settings(max_examples=50, deadline=None)
@given(graph=graphs())
def test_required_band_is_the_tightest_band_of_every_process_depending_on_the_node(graph):
    edges, process_bands = graph
    assert required_rto_bands(edges=edges, process_bands=process_bands) == brute_force_bands(edges, process_bands)


@settings(max_examples=50, deadline=None)
@given(band=st.one_of(st.none(), bands), method=st.sampled_from(["none", "asynchronous", "synchronous"]),
       has_recovery_site=st.booleans(), rpo=st.sampled_from([0.0, 0.5, 24.0]))
def test_flags_name_exactly_the_inconsistencies(band, method, has_recovery_site, rpo):
    flags = inconsistency_flags(required_band=band, facts=ApplicationFacts(method, has_recovery_site, rpo))
    assert (UNREPLICATED_CRITICAL in flags) == (band == "0-4h" and method == "none")
    assert (NO_RECOVERY_SITE in flags) == (band in {"0-4h", "4-24h"} and not has_recovery_site)


class DerivedRtoThroughTheRegistry(TestCase):
    """Edges added through the service: cycles refused, and the selector derives what brute force does."""

    @settings(max_examples=25, deadline=None)
    @given(data=st.data())
    def test_registry_stays_acyclic_and_derives_required_bands(self, data):
        assert Role.objects.filter(code="ict_continuity_officer").exists()
        officer = UserFactory(username="ict")
        grant(officer, "ict_continuity_officer")
        unit = OrgUnitFactory()
        site = DataCentreFactory()
        processes = [BusinessProcessFactory(org_unit=unit, rto_band=band, maximum_tolerable_downtime_hours=MTD_FOR_BAND[band])
                     for band in data.draw(st.lists(bands, max_size=4))]
        applications = [ApplicationFactory(owner_unit=unit, data_centre=site, replication_method=method)
                        for method in data.draw(st.lists(st.sampled_from(["none", "synchronous"]), min_size=1,
                                                         max_size=5))]
        nodes = [("process", p.pk) for p in processes] + [("application", a.pk) for a in applications]
        edges = []
        for dependent, required in data.draw(st.lists(st.tuples(st.sampled_from(nodes), st.sampled_from(nodes)),
                                                      max_size=12)):
            if required[0] == "process" and dependent[0] != "process":
                continue
            if dependent == required or (dependent, required) in edges:
                continue
            closes_cycle = dependent in reachable_from(required, edges)
            try:
                add_dependency(actor=officer, dependent_kind=dependent[0], dependent_id=dependent[1],
                               required_kind=required[0], required_id=required[1])
            except DependencyCycle:
                assert closes_cycle
            else:
                assert not closes_cycle
                edges.append((dependent, required))

        expected = brute_force_bands(edges, {p.pk: p.rto_band for p in processes})
        for row in application_continuity(actor=officer):
            band = expected.get(("application", row.application.pk))
            assert row.required_band == band
            assert (UNREPLICATED_CRITICAL in row.flags) == (band == "0-4h" and row.application.replication_method == "none")
            assert NO_RECOVERY_SITE in row.flags if band in {"0-4h", "4-24h"} else NO_RECOVERY_SITE not in row.flags
