"""Software composition analysis: lockfile inventory, the offline OSV store, matching, licences."""

from __future__ import annotations

from bastion.scanners.sca.audit import AuditReport, ScaOptions, audit, open_store
from bastion.scanners.sca.ecosystem import Ecosystem, normalise_name
from bastion.scanners.sca.errors import LockfileError, ScaError, VulnStoreError
from bastion.scanners.sca.inventory import Inventory, files_under, read_inventory
from bastion.scanners.sca.licence_policy import LicencePolicy, LicenceVerdict, judge_licence
from bastion.scanners.sca.licences import normalise_licence
from bastion.scanners.sca.matcher import PackageMatch, Vulnerability, match_packages
from bastion.scanners.sca.package import Package, Scope
from bastion.scanners.sca.scanner import ScaScanner

__all__ = [
    "AuditReport",
    "Ecosystem",
    "Inventory",
    "LicencePolicy",
    "LicenceVerdict",
    "LockfileError",
    "Package",
    "PackageMatch",
    "ScaError",
    "ScaOptions",
    "ScaScanner",
    "Scope",
    "VulnStoreError",
    "Vulnerability",
    "audit",
    "files_under",
    "judge_licence",
    "match_packages",
    "normalise_licence",
    "normalise_name",
    "open_store",
    "read_inventory",
]
