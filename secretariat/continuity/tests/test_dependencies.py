"""ICT records dependencies between processes, applications, infrastructure and data centres."""

import pytest

from secretariat.continuity.exceptions import DependencyCycle
from secretariat.continuity.models import Dependency
from secretariat.continuity.services import add_dependency, register_infrastructure_component
from secretariat.continuity.tests.factories import ApplicationFactory, BusinessProcessFactory
from secretariat.core.exceptions import InvalidInput


@pytest.fixture
def graph(registry):
    process = BusinessProcessFactory(org_unit=registry.department, name="Payroll", rto_band="0-4h",
                                     maximum_tolerable_downtime_hours=4)
    erp = ApplicationFactory(name="ERP", owner_unit=registry.department, data_centre=registry.primary_site)
    identity = ApplicationFactory(name="Identity", owner_unit=registry.department, data_centre=registry.primary_site)
    return process, erp, identity


def link(registry, dependent, required):
    return add_dependency(actor=registry.ict_officer, dependent_kind=dependent[0], dependent_id=dependent[1].pk,
                          required_kind=required[0], required_id=required[1].pk)


def test_records_a_chain_down_to_the_data_centre(registry, graph):
    process, erp, identity = graph
    server = register_infrastructure_component(actor=registry.ict_officer, name="db-01", kind="database",
                                               data_centre=registry.primary_site)
    # when
    link(registry, ("process", process), ("application", erp))
    link(registry, ("application", erp), ("application", identity))
    link(registry, ("application", identity), ("infrastructure", server))
    link(registry, ("infrastructure", server), ("data_centre", registry.primary_site))
    # then
    assert Dependency.objects.count() == 4


def test_refuses_a_cycle_and_changes_nothing(registry, graph):
    _process, erp, identity = graph
    link(registry, ("application", erp), ("application", identity))
    # when
    with pytest.raises(DependencyCycle) as refusal:
        link(registry, ("application", identity), ("application", erp))
    # then
    assert str(refusal.value) == "This dependency would create a cycle: Identity → ERP → Identity."
    assert Dependency.objects.count() == 1


def test_refuses_a_node_depending_on_itself(registry, graph):
    _process, erp, _identity = graph
    with pytest.raises(DependencyCycle):
        link(registry, ("application", erp), ("application", erp))
    assert not Dependency.objects.exists()


def test_refuses_an_application_depending_on_a_business_process(registry, graph):
    process, erp, _identity = graph
    with pytest.raises(InvalidInput) as refusal:
        link(registry, ("application", erp), ("process", process))
    assert [str(m) for m in refusal.value.errors["required_kind"]] == [
        "Only a business process can depend on a business process."]


def test_refuses_a_node_that_does_not_exist(registry, graph):
    process, _erp, _identity = graph
    with pytest.raises(InvalidInput) as refusal:
        add_dependency(actor=registry.ict_officer, dependent_kind="process", dependent_id=process.pk,
                       required_kind="application", required_id=999_999)
    assert [str(m) for m in refusal.value.errors["required_id"]] == ["This node does not exist."]


def test_refuses_the_same_dependency_twice(registry, graph):
    process, erp, _identity = graph
    link(registry, ("process", process), ("application", erp))
    with pytest.raises(InvalidInput) as refusal:
        link(registry, ("process", process), ("application", erp))
    assert [str(m) for m in refusal.value.errors["required_id"]] == ["This dependency is already recorded."]
