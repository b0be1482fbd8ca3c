"""The SBOM requirement: no vulnerability at or above the policy's severity, unless excepted, in today's store.

The SBOM is the one attested for the artifact; its packages are matched with the SCA matcher against the local
OSV store as it is now, so an advisory published after the build still blocks the deploy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bastion.model import Severity
from bastion.scanners.sca import PackageMatch, Vulnerability
from bastion.supplychain.policy import VulnerabilityException, VulnerabilityPolicy
from bastion.supplychain.purl import package_of
from bastion.supplychain.sbom.reader import SbomSummary

__all__ = ["BlockingVulnerability", "blocking_vulnerabilities"]


@dataclass(frozen=True, slots=True)
class BlockingVulnerability:
    """A vulnerability that blocks the deploy."""

    purl: str
    id: str
    severity: Severity

    def describe(self) -> str:
        """``pkg:...@1.0 CVE-... (critical)``."""
        return f"{self.purl} {self.id} ({self.severity.value})"


def blocking_vulnerabilities(
    sbom: SbomSummary, policy: VulnerabilityPolicy, store_path: Path, today: date, *, source: str
) -> tuple[list[BlockingVulnerability], int]:
    """The blocking vulnerabilities and the number of packages looked up; ``ScannerError`` without a store."""
    from bastion.scanners.sca import match_packages, open_store

    packages = [p for p in (package_of(item.purl, source) for item in sbom.packages) if p is not None]
    store = open_store(store_path)
    try:
        matches = match_packages(store, packages)
    finally:
        store.close()
    blocking = [
        BlockingVulnerability(match.package.purl, vulnerability.primary_id, severity)
        for match in matches
        for vulnerability in match.vulnerabilities
        if (severity := vulnerability.severity or Severity.MEDIUM).at_least(policy.block_severity)
        and not _excepted(match, vulnerability, policy.exceptions, today)
    ]
    return sorted(blocking, key=lambda b: (b.purl, b.id)), len(packages)


def _excepted(
    match: PackageMatch, vulnerability: Vulnerability, exceptions: Sequence[VulnerabilityException], today: date
) -> bool:
    ids = set(vulnerability.ids)
    return any(
        exception.id in ids
        and (exception.package is None or exception.package == match.package.purl_without_version)
        and (exception.expires is None or today <= exception.expires)
        for exception in exceptions
    )
