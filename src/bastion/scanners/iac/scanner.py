"""The ``iac`` control: infrastructure-as-code and CI configuration checked by Rego policies.

Files are parsed to input documents (``sources``), the documents of each kind merged and evaluated in one
query against the compiled bundle of built-in and user checks (``bundle``), and every violation becomes a
``Finding`` at ``file:line``. Files that do not parse are reported through ``ScanTarget.not_analysed``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bastion.model import Finding, Location, Severity
from bastion.scanners.iac.bundle import CheckBundle, check_bundle
from bastion.scanners.iac.document import InputDocument, merge_documents
from bastion.scanners.iac.sources import file_kind, read_sources
from bastion.scanners.iac.suppression import Suppression, find_suppression, suppressions_in
from bastion.scanners.protocol import ScanTarget

__all__ = ["IacOptions", "IacScanner", "findings_of"]


class IacOptions(BaseModel):
    """``with:`` options of the ``iac`` control."""

    model_config = ConfigDict(extra="forbid")

    policies: list[str] = Field(default_factory=list)
    """Rego files or directories (relative to the repository) loaded beside the built-in checks."""
    skip: list[str] = Field(default_factory=list)
    """Check ids not to report."""
    builtin: bool = True
    """Load the built-in checks (false: only the user's policies)."""


class IacScanner:
    """Terraform, CloudFormation, Kubernetes, Dockerfile, Compose, GitHub Actions and GitLab CI misconfigurations."""

    name = "iac"
    description = "Misconfigurations in Terraform, Kubernetes, Dockerfiles, Compose and CI workflows (Rego checks)."
    options_model: type[BaseModel] = IacOptions

    def applies_to(self, root: Path, files: Sequence[str]) -> bool:
        """True when a file could be infrastructure as code (YAML and JSON are only sniffed when scanned)."""
        return any(file_kind(path) is not None and not path.endswith(".json") for path in files)

    def scan(self, target: ScanTarget, options: BaseModel) -> Iterable[Finding]:
        """Parse, evaluate, and turn every violation into a finding."""
        assert isinstance(options, IacOptions)
        policies = tuple(sorted((target.root / p).resolve() for p in options.policies))
        bundle = check_bundle(policies, builtin=options.builtin)
        sources = read_sources(target.files, lambda path: target.path_of(path).read_bytes())
        for error in sources.errors:
            target.not_analysed(error.path, str(error))
        suppressions = {path: suppressions_in(path, text) for path, text in sources.texts.items()}
        skip = {s.upper() for s in options.skip}
        findings = findings_of(bundle, merge_documents(sources.documents), target.control or self.name, suppressions)
        return [f for f in findings if f.rule_id.upper() not in skip]


def findings_of(
    bundle: CheckBundle,
    documents: Sequence[InputDocument],
    control: str,
    suppressions: dict[str, list[Suppression]] | None = None,
) -> list[Finding]:
    """The findings of every violation in the documents, one per check and place."""
    seen: set[tuple[str, str, int]] = set()
    findings = []
    for document in documents:
        for package, value in bundle.evaluate(document):
            violation = _violation(package, value, document)
            key = (violation["id"], violation["file"], violation["line"])  # count/for_each instances: one finding
            if key in seen:
                continue
            seen.add(key)
            findings.append(_finding(bundle, violation, document, control, suppressions or {}))
    findings.sort(key=lambda f: (f.location.path or "", f.location.start_line or 0, f.rule_id))
    return findings


def _violation(package: str, value: Any, document: InputDocument) -> dict[str, Any]:
    """A check's output in one shape: ``lib.hit`` objects, Conftest-style strings, or partial objects."""
    default_file = document.files[0] if document.files else ""
    if not isinstance(value, dict):
        value = {"msg": str(value)}
    line = value.get("line")
    return {
        "id": str(value.get("id") or package),
        "msg": str(value.get("msg", "")),
        "file": str(value.get("file") or default_file),
        "line": line if isinstance(line, int) else 1,
        "resource": str(value.get("resource", "")),
        "element_line": int(value.get("element_line") or (line if isinstance(line, int) else 1)),
        "element_end": int(value.get("element_end") or (line if isinstance(line, int) else 1)),
    }


def _finding(
    bundle: CheckBundle,
    violation: dict[str, Any],
    document: InputDocument,
    control: str,
    suppressions: dict[str, list[Suppression]],
) -> Finding:
    meta = bundle.metadata.get(violation["id"], {})
    references = [str(r) for r in meta.get("references", []) if isinstance(r, str)]
    tags: tuple[str, ...] = ("iac", document.kind.value)
    message = violation["msg"] or str(meta.get("title", violation["id"]))
    suppression = find_suppression(
        suppressions,
        violation["id"],
        violation["file"],
        violation["line"],
        violation["element_line"],
        violation["element_end"],
    )
    if suppression is not None:
        tags += ("suppressed",)
        message += f" (suppressed by bastion:allow at {suppression.describe()})"
    try:
        severity = Severity.parse(str(meta.get("severity", "medium")))
    except ValueError:
        severity = Severity.MEDIUM
    return Finding(
        control=control,
        tool="bastion-iac",
        rule_id=violation["id"],
        title=str(meta.get("title", violation["id"])),
        severity=severity,
        location=Location(path=violation["file"], start_line=violation["line"], end_line=violation["line"]),
        message=message,
        remediation=str(meta.get("remediation", "")),
        help_uri=next((r for r in references if r.startswith("http")), ""),
        evidence=violation["resource"],
        tags=tags,
    )
