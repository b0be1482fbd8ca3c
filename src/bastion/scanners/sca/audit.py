"""The audit: inventory a tree, match it against the store, apply the licence policy, collect warnings.

The ``sca`` scanner and ``bastion sca scan`` both call ``audit``; it never prints, returning its warnings (a
stale store, unreadable lockfiles) for the caller to show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from bastion.errors import ScannerError
from bastion.model import Finding, Severity
from bastion.scanners.sca.errors import VulnStoreError
from bastion.scanners.sca.findings import vulnerability_findings
from bastion.scanners.sca.inventory import Inventory, read_inventory
from bastion.scanners.sca.licence_policy import LicencePolicy, licence_findings
from bastion.scanners.sca.matcher import PackageMatch, match_packages
from bastion.scanners.sca.osv.store import VulnStore
from bastion.scanners.sca.package import Scope

__all__ = ["AuditReport", "ScaOptions", "audit", "open_store"]

_NO_STORE_HINT = "run `bastion db sync` or `bastion db import`"


class ScaOptions(BaseModel):
    """The ``with:`` options of the ``sca`` control."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    osv_db: str | None = None
    """The vulnerability store; default ``$BASTION_OSV_DB`` or ``~/.cache/bastion/osv.db``."""
    max_age_days: float = 7.0
    """Warn when the store was last updated longer ago than this."""
    include_dev: bool = True
    """Report vulnerabilities in development dependencies (tagged ``dev-dependency``)."""
    unknown_severity: Severity = Severity.MEDIUM
    """Severity of an advisory that states none."""
    licences: LicencePolicy | None = None
    """The licence policy; no licence findings without one."""


@dataclass(frozen=True, slots=True)
class AuditReport:
    """Everything one audit found."""

    inventory: Inventory
    """The packages and the files that could not be read."""
    matches: tuple[PackageMatch, ...]
    """The vulnerable packages."""
    findings: tuple[Finding, ...]
    """Vulnerability and licence findings."""
    warnings: tuple[str, ...]
    """Things the user should know that are not findings."""


def open_store(path: Path) -> VulnStore:
    """The store at ``path``; ``ScannerError`` when it is missing or empty, so the control errors."""
    try:
        store = VulnStore(path)
    except VulnStoreError as err:
        raise ScannerError(f"sca: {err.message.split(';')[0]}: {_NO_STORE_HINT}") from err
    if store.is_empty():
        store.close()
        raise ScannerError(f"sca: {path}: the vulnerability store is empty: {_NO_STORE_HINT}")
    return store


def audit(
    root: Path,
    files: Sequence[str],
    store: VulnStore,
    options: ScaOptions,
    *,
    control: str = "sca",
    now: datetime | None = None,
) -> AuditReport:
    """Inventory ``files`` under ``root``, match them and judge their licences."""
    inventory = read_inventory(root, files)
    packages = [p for p in inventory.packages if options.include_dev or p.scope is not Scope.DEV]
    matches = tuple(match_packages(store, packages))
    findings: list[Finding] = []
    for match in matches:
        findings += vulnerability_findings(match, control=control, default=options.unknown_severity)
    if options.licences is not None:
        findings += licence_findings(options.licences, list(inventory.packages), control=control)
    warnings = [str(err) for err in inventory.errors]
    age = store.status().age_days(now or datetime.now(UTC))
    if age is None or age > options.max_age_days:
        shown = "never" if age is None else f"{age:.0f} days ago"
        warnings.append(
            f"{store.path}: vulnerability data last updated {shown} (max_age_days {options.max_age_days:g});"
            " run `bastion db sync`"
        )
    return AuditReport(inventory, matches, tuple(findings), tuple(warnings))
