"""Estimated annual cost of protection per system, and totals per data centre and strategy."""

from decimal import Decimal

from secretariat.continuity.cost_model import ProtectionFactors, annual_protection_cost
from secretariat.continuity.selectors import protection_cost_totals
from secretariat.continuity.services import add_dependency
from secretariat.continuity.tests.factories import ApplicationFactory, BusinessProcessFactory


def factors(**overrides):
    values = dict(rto_band="0-4h", rpo_hours=Decimal("0"), replication_method="synchronous",
                  recovery_site_distance="remote", link_cost_amount=Decimal("10000"),
                  compute_amount=Decimal("40000"), storage_amount=Decimal("20000"), licence_amount=Decimal("5000"),
                  reconfiguration_amount=Decimal("9000"), current_support_amount=Decimal("1000"),
                  is_replication_software_compatible=True)
    return ProtectionFactors(**{**values, **overrides})


def test_a_hot_synchronous_remote_standby():
    # standby 60000 × 1.00 × 1.25 = 75000; replica storage 20000 × 1.20 × 1.00 = 24000; link 10000;
    # licences 5000; reconfiguration 9000 / 3 = 3000; support 1000
    assert annual_protection_cost(factors()) == Decimal("118000.00")


def test_incompatible_replication_software_and_no_replication():
    # standby 60000 × 0.10 × 1.00 = 6000; replica storage 20000 × 0.25 × 0.15 = 750; no link;
    # licences 5000 × 1.5 = 7500; reconfiguration 3000; support 1000
    cost = annual_protection_cost(factors(rto_band="72h+", rpo_hours=Decimal("48"), replication_method="none",
                                          recovery_site_distance="same_campus",
                                          is_replication_software_compatible=False))
    assert cost == Decimal("18250.00")


def test_totals_per_data_centre_and_strategy(registry):
    payroll = BusinessProcessFactory(org_unit=registry.department, rto_band="0-4h", maximum_tolerable_downtime_hours=4,
                                     rpo_hours=Decimal("0"))  # ERP's required RPO derives from it
    erp = ApplicationFactory(name="ERP", owner_unit=registry.department, data_centre=registry.primary_site,
                             replication_method="synchronous",
                             compute_amount=Decimal("40000"), storage_amount=Decimal("20000"))
    ApplicationFactory(name="Intranet", owner_unit=registry.department, data_centre=registry.recovery_site,
                       replication_method="none", compute_amount=Decimal("1000"))
    add_dependency(actor=registry.ict_officer, dependent_kind="process", dependent_id=payroll.pk,
                   required_kind="application", required_id=erp.pk)
    # when
    totals = protection_cost_totals(actor=registry.ict_officer)
    # then: ERP hot standby 60000 × 1.25 + 20000 × 1.2; Intranet 1000 × 0.1 × 1.25
    assert totals.by_data_centre == {"EDC-1": Decimal("99000.00"), "EDC-2": Decimal("125.00")}
    assert totals.by_strategy == {"none": Decimal("125.00"), "synchronous": Decimal("99000.00")}
    assert totals.total == Decimal("99125.00")
