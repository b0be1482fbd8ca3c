"""Vulnerability findings: one per (package, vulnerability), aliases merged, with the upgrade that fixes it.

The fingerprint is ``("sca", lockfile, ecosystem, normalised name, primary id)``: the installed version is left
out, so upgrading to another still-vulnerable version keeps the finding's identity (and its triage), while
fixing it or moving the package to another lockfile does not.
"""

from __future__ import annotations

from collections.abc import Iterator

from bastion.model import Confidence, Finding, Location, Severity, fingerprint_of
from bastion.scanners.sca.ecosystem import Ecosystem
from bastion.scanners.sca.matcher import PackageMatch, Vulnerability

__all__ = ["TOOL", "vulnerability_findings"]

TOOL = "bastion-sca"


def vulnerability_findings(match: PackageMatch, *, control: str, default: Severity) -> Iterator[Finding]:
    """The findings for one vulnerable package."""
    package = match.package
    fix = _display(package.ecosystem, match.fix)
    remediation = f"upgrade {package.name} to >= {fix}" if fix else f"no fixed version of {package.name} is known"
    via = " > ".join(package.path) if len(package.path) > 1 else ""
    for vulnerability in match.vulnerabilities:
        primary = vulnerability.primary_id
        own_fix = _display(package.ecosystem, match.fixes.get(primary))
        message = (
            f"{package.name} {package.version} is affected by {', '.join(vulnerability.advisory_ids)}"
            f"{f' (fixed in {own_fix})' if own_fix else ' (no fix released)'}"
            f"{f'; introduced via {via}' if via else ''}"
        )
        yield Finding(
            control=control,
            tool=TOOL,
            rule_id=primary,
            title=_title(vulnerability),
            severity=vulnerability.severity or default,
            location=Location(path=package.source, start_line=package.line, package=package.purl),
            message=message,
            confidence=Confidence.HIGH,
            cwe=tuple(sorted({c for a in vulnerability.advisories for c in a.cwes})),
            aliases=vulnerability.ids,
            remediation=remediation,
            evidence=f"{package.name}=={package.version}",
            help_uri=vulnerability.advisories[0].help_uri,
            fingerprint=fingerprint_of("sca", package.source, package.ecosystem.value, package.key, primary),
            tags=package.tags,
        )


def _title(vulnerability: Vulnerability) -> str:
    summaries = [a.summary for a in vulnerability.advisories if a.summary and a.summary != a.id]
    return summaries[0] if summaries else vulnerability.primary_id


def _display(ecosystem: Ecosystem, version: str | None) -> str | None:
    if version and ecosystem is Ecosystem.GO and not version.startswith("v"):
        return f"v{version}"
    return version
