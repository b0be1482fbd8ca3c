"""The pip-audit importer: the JSON report of ``pip-audit -f json``.

Each vulnerability of each audited dependency becomes a finding on the package URL ``pkg:pypi/<name>@<version>``:
``id`` (``PYSEC-2018-28``, ``GHSA-...``) as rule, ``aliases``, ``fix_versions`` in the remediation,
``description`` as message. pip-audit reports no severity: these findings are ``medium`` until dedup joins
them to a finding that knows better. Skipped dependencies (``skip_reason``) are not findings.
"""

from __future__ import annotations

from bastion.importers.report import ToolReport, load_json, validate
from bastion.model import Confidence, Finding, Location, Severity, fingerprint_of

__all__ = ["PipAuditImporter"]


class _Vulnerability(ToolReport):
    id: str
    fix_versions: list[str] = []
    aliases: list[str] | None = None
    description: str | None = None


class _Dependency(ToolReport):
    name: str
    version: str | None = None
    vulns: list[_Vulnerability] | None = None
    skip_reason: str | None = None


class _Report(ToolReport):
    dependencies: list[_Dependency]


class PipAuditImporter:
    """Imports pip-audit JSON reports; registered as the ``pip-audit`` importer."""

    name = "pip-audit"

    def parse(self, data: bytes, *, source: str, control: str) -> list[Finding]:
        """One finding per dependency and vulnerability; ``ImporterError`` naming the JSON path."""
        report = validate(_Report, load_json(data, source), source)
        return [
            _finding(dependency, vulnerability, control)
            for dependency in report.dependencies
            if dependency.version is not None
            for vulnerability in dependency.vulns or []
        ]


def _finding(dependency: _Dependency, vulnerability: _Vulnerability, control: str) -> Finding:
    name, version = dependency.name.lower().replace("_", "-"), dependency.version or ""
    purl = f"pkg:pypi/{name}@{version}"
    fixes = ", ".join(vulnerability.fix_versions)
    description = (vulnerability.description or "").strip()
    return Finding(
        control=control,
        tool="pip-audit",
        rule_id=vulnerability.id,
        title=description.split(". ")[0][:200] if description else vulnerability.id,
        severity=Severity.MEDIUM,
        location=Location(package=purl),
        message=f"{name} {version} is affected by {vulnerability.id}" + (f" (fixed in {fixes})" if fixes else ""),
        confidence=Confidence.HIGH,
        aliases=tuple(a for a in vulnerability.aliases or [] if a != vulnerability.id),
        remediation=f"upgrade {name} to {vulnerability.fix_versions[0]}" if vulnerability.fix_versions else "",
        evidence=f"{name}=={version}",
        fingerprint=fingerprint_of("import", "pip-audit", vulnerability.id, purl),
    )
