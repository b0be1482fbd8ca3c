"""The trivy importer: the JSON report of ``trivy fs|repo|image --format json`` (schema version 2).

Each entry of ``Results`` (a ``Target``: a lockfile, a config file, a file with secrets, an image's OS) gives:

- ``Vulnerabilities``: one finding per package and advisory: ``VulnerabilityID`` as rule, ``VendorIDs`` as
  aliases, the package URL (``PkgIdentifier.PURL``, else built from ``Type``, name and version), ``CweIDs``;
- ``Misconfigurations`` with ``Status`` ``FAIL``: ``ID`` (``DS-0002``) as rule, ``CauseMetadata`` lines;
- ``Secrets``: trivy masks the secret itself (``*****``), so these carry no hash; the rule and lines remain.

For an image (``ArtifactType`` ``container_image``) paths are inside the image and keep their leading ``/``;
findings are tagged ``image:<ArtifactName>``.
"""

from __future__ import annotations

from bastion.importers.report import ToolReport, load_json, validate
from bastion.model import Confidence, Finding, Location, Severity, fingerprint_of

__all__ = ["TrivyImporter"]

_PURL_TYPES = {
    "pip": "pypi",
    "pipenv": "pypi",
    "poetry": "pypi",
    "uv": "pypi",
    "npm": "npm",
    "yarn": "npm",
    "pnpm": "npm",
    "gomod": "golang",
    "gobinary": "golang",
    "cargo": "cargo",
    "composer": "composer",
    "bundler": "gem",
    "gemspec": "gem",
    "jar": "maven",
    "pom": "maven",
    "gradle": "maven",
    "nuget": "nuget",
    "alpine": "apk",
    "debian": "deb",
    "ubuntu": "deb",
    "redhat": "rpm",
}


class _Identifier(ToolReport):
    PURL: str | None = None


class _Vulnerability(ToolReport):
    VulnerabilityID: str
    PkgName: str
    PkgIdentifier: _Identifier | None = None
    InstalledVersion: str = ""
    FixedVersion: str = ""
    Severity: str = "UNKNOWN"
    Title: str = ""
    Description: str = ""
    CweIDs: list[str] | None = None
    PrimaryURL: str = ""
    VendorIDs: list[str] | None = None


class _Cause(ToolReport):
    StartLine: int | None = None
    EndLine: int | None = None


class _Misconfiguration(ToolReport):
    ID: str
    Title: str = ""
    Message: str = ""
    Resolution: str = ""
    Severity: str = "UNKNOWN"
    PrimaryURL: str = ""
    Status: str = "FAIL"
    CauseMetadata: _Cause | None = None


class _Secret(ToolReport):
    RuleID: str
    Title: str = ""
    Severity: str = "UNKNOWN"
    StartLine: int | None = None
    EndLine: int | None = None


class _Result(ToolReport):
    Target: str
    Class: str = ""
    Type: str = ""
    Vulnerabilities: list[_Vulnerability] | None = None
    Misconfigurations: list[_Misconfiguration] | None = None
    Secrets: list[_Secret] | None = None


class _Report(ToolReport):
    SchemaVersion: int
    ArtifactName: str = ""
    ArtifactType: str = ""
    Results: list[_Result] | None = None


class TrivyImporter:
    """Imports trivy JSON reports (filesystem, repository and image); registered as the ``trivy`` importer."""

    name = "trivy"

    def parse(self, data: bytes, *, source: str, control: str) -> list[Finding]:
        """Every vulnerability, failed misconfiguration and secret; ``ImporterError`` naming the JSON path."""
        report = validate(_Report, load_json(data, source), source)
        image = report.ArtifactType == "container_image"
        tags = (f"image:{report.ArtifactName}",) if image else ()
        findings: list[Finding] = []
        for result in report.Results or []:
            path = result.Target if image else result.Target.replace("\\", "/").lstrip("/")
            on_file = result.Class not in {"os-pkgs"}
            for vulnerability in result.Vulnerabilities or []:
                findings.append(_vulnerability(vulnerability, result, path if on_file else None, tags, control))
            for check in result.Misconfigurations or []:
                if check.Status == "FAIL":
                    findings.append(_misconfiguration(check, path, tags, control))
            for secret in result.Secrets or []:
                findings.append(_secret(secret, path, tags, control))
        return findings


def _severity(word: str) -> Severity:
    return Severity.parse(word) if word.upper() != "UNKNOWN" else Severity.MEDIUM


def _purl(vulnerability: _Vulnerability, result: _Result) -> str:
    if vulnerability.PkgIdentifier and vulnerability.PkgIdentifier.PURL:
        return vulnerability.PkgIdentifier.PURL
    kind = _PURL_TYPES.get(result.Type, result.Type or "generic")
    return f"pkg:{kind}/{vulnerability.PkgName}@{vulnerability.InstalledVersion}"


def _vulnerability(
    vulnerability: _Vulnerability, result: _Result, path: str | None, tags: tuple[str, ...], control: str
) -> Finding:
    purl = _purl(vulnerability, result)
    fixed = vulnerability.FixedVersion
    name, version = vulnerability.PkgName, vulnerability.InstalledVersion
    return Finding(
        control=control,
        tool="trivy",
        rule_id=vulnerability.VulnerabilityID,
        title=vulnerability.Title or vulnerability.VulnerabilityID,
        severity=_severity(vulnerability.Severity),
        location=Location(path=path, package=purl),
        message=f"{name} {version} is affected by {vulnerability.VulnerabilityID}"
        + (f" (fixed in {fixed})" if fixed else " (no fix released)"),
        confidence=Confidence.HIGH,
        cwe=tuple(sorted({int(c.split("-")[-1]) for c in vulnerability.CweIDs or [] if c.split("-")[-1].isdigit()})),
        aliases=tuple(dict.fromkeys(a for a in vulnerability.VendorIDs or [] if a != vulnerability.VulnerabilityID)),
        remediation=f"upgrade {name} to {fixed}" if fixed else "",
        evidence=f"{name}@{version}",
        help_uri=vulnerability.PrimaryURL,
        fingerprint=fingerprint_of("import", "trivy", vulnerability.VulnerabilityID, path, purl),
        tags=tags,
    )


def _misconfiguration(check: _Misconfiguration, path: str, tags: tuple[str, ...], control: str) -> Finding:
    cause = check.CauseMetadata or _Cause()
    start = cause.StartLine or None
    return Finding(
        control=control,
        tool="trivy",
        rule_id=check.ID,
        title=check.Title or check.ID,
        severity=_severity(check.Severity),
        location=Location(path=path, start_line=start, end_line=(cause.EndLine or start) if start else None),
        message=check.Message,
        remediation=check.Resolution,
        help_uri=check.PrimaryURL,
        tags=tags,
    )


def _secret(secret: _Secret, path: str, tags: tuple[str, ...], control: str) -> Finding:
    return Finding(
        control=control,
        tool="trivy",
        rule_id=secret.RuleID,
        title=secret.Title or secret.RuleID,
        severity=_severity(secret.Severity),
        location=Location(path=path, start_line=secret.StartLine, end_line=secret.EndLine or secret.StartLine),
        message=f"{secret.Title or secret.RuleID} (masked by trivy)",
        cwe=(798,),
        tags=("secret", *tags),
    )
