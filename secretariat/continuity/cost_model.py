"""Estimated annual cost of protecting one system, from the factors of A/65/491 §3.

The factors (location of the recovery site, replication method, RTO, RPO, link cost, compute
and storage, replication software compatibility, licences, reconfiguration and current support)
combine as documented in docs/continuity.md. The weights below are the Organization's planning
assumptions, kept in one table so that finance can revise them.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# Share of the production compute and storage that must stand ready at the recovery site.
RTO_STANDBY_SHARE = {"0-4h": Decimal("1.00"), "4-24h": Decimal("0.60"), "24-72h": Decimal("0.30"),
                     "72h+": Decimal("0.10")}
# Distance adds cost (transport, remote hands).
LOCATION_FACTOR = {"same_campus": Decimal("1.00"), "metropolitan": Decimal("1.10"), "remote": Decimal("1.25")}
# Extra storage kept for replication or backup copies, by method.
REPLICATION_STORAGE_SHARE = {"none": Decimal("0.25"), "asynchronous": Decimal("1.00"), "synchronous": Decimal("1.20")}
INCOMPATIBLE_SOFTWARE_LICENCE_SURCHARGE = Decimal("0.50")
RECONFIGURATION_AMORTISATION_YEARS = Decimal("3")
CENT = Decimal("0.01")


def rpo_factor(rpo_hours: Decimal) -> Decimal:
    """Tighter RPO, more frequent copies: zero loss costs the most."""
    if rpo_hours == 0:
        return Decimal("1.00")
    if rpo_hours <= 4:
        return Decimal("0.60")
    if rpo_hours <= 24:
        return Decimal("0.30")
    return Decimal("0.15")


@dataclass(frozen=True)
class ProtectionFactors:
    rto_band: str
    rpo_hours: Decimal
    replication_method: str
    recovery_site_distance: str
    link_cost_amount: Decimal
    compute_amount: Decimal
    storage_amount: Decimal
    licence_amount: Decimal
    reconfiguration_amount: Decimal
    current_support_amount: Decimal
    is_replication_software_compatible: bool


def annual_protection_cost(factors: ProtectionFactors) -> Decimal:
    """Estimated annual cost of protection, rounded to cents (same currency as the inputs)."""
    location = LOCATION_FACTOR[factors.recovery_site_distance]
    standby = (factors.compute_amount + factors.storage_amount) * RTO_STANDBY_SHARE[factors.rto_band] * location
    replica_storage = factors.storage_amount * REPLICATION_STORAGE_SHARE[factors.replication_method] * rpo_factor(
        factors.rpo_hours
    )
    link = factors.link_cost_amount if factors.replication_method != "none" else Decimal("0")
    licences = factors.licence_amount * (
        1 if factors.is_replication_software_compatible else 1 + INCOMPATIBLE_SOFTWARE_LICENCE_SURCHARGE
    )
    reconfiguration = factors.reconfiguration_amount / RECONFIGURATION_AMORTISATION_YEARS
    total = standby + replica_storage + link + licences + reconfiguration + factors.current_support_amount
    return total.quantize(CENT, rounding=ROUND_HALF_UP)
