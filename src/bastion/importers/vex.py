"""OpenVEX documents: triage decisions on dependency vulnerabilities out, exploitability statements in.

Export (``export_document``) writes one OpenVEX v0.2.0 statement per dependency finding (a finding with a
package URL and an advisory id): the VEX status comes from a triage decision when there is one
(``false_positive`` → ``not_affected``, ``mitigated`` → ``not_affected`` with
``inline_mitigations_already_exist``, ``accepted_risk`` and ``confirmed`` → ``affected``, ``fixed`` →
``fixed``), else from the lifecycle (fixed → ``fixed``, open → ``under_investigation``). A statement imported
earlier is exported as it was.

Import (``parse_document``) reads an OpenVEX document; ``store.vex`` applies each statement to the findings
whose package URL (without qualifiers; any version when the product names none) and advisory ids (rule id and
aliases) match, recording the status with its justification.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field

from bastion.errors import ImporterError
from bastion.importers.report import ToolReport, load_json, validate
from bastion.model import Finding, LifecycleState, TrackedFinding

__all__ = [
    "Justification",
    "VexStatement",
    "VexStatus",
    "collect_statements",
    "export_document",
    "parse_document",
    "statement_for",
]

CONTEXT = "https://openvex.dev/ns/v0.2.0"


class VexStatus(StrEnum):
    """OpenVEX statuses."""

    NOT_AFFECTED = "not_affected"
    AFFECTED = "affected"
    FIXED = "fixed"
    UNDER_INVESTIGATION = "under_investigation"


class Justification(StrEnum):
    """OpenVEX justifications for ``not_affected``."""

    COMPONENT_NOT_PRESENT = "component_not_present"
    VULNERABLE_CODE_NOT_PRESENT = "vulnerable_code_not_present"
    VULNERABLE_CODE_NOT_IN_EXECUTE_PATH = "vulnerable_code_not_in_execute_path"
    VULNERABLE_CODE_CANNOT_BE_CONTROLLED_BY_ADVERSARY = "vulnerable_code_cannot_be_controlled_by_adversary"
    INLINE_MITIGATIONS_ALREADY_EXIST = "inline_mitigations_already_exist"


@dataclass(frozen=True, slots=True)
class VexStatement:
    """One statement: a vulnerability's status in a product (a package URL)."""

    vulnerability: str
    products: tuple[str, ...]
    status: VexStatus
    aliases: tuple[str, ...] = ()
    justification: Justification | None = None
    impact_statement: str = ""
    action_statement: str = ""
    timestamp: datetime | None = None

    def as_document(self) -> dict[str, Any]:
        """The statement as OpenVEX JSON."""
        vulnerability: dict[str, Any] = {"name": self.vulnerability}
        if self.aliases:
            vulnerability["aliases"] = list(self.aliases)
        out: dict[str, Any] = {
            "vulnerability": vulnerability,
            "products": [{"@id": product} for product in self.products],
            "status": self.status.value,
        }
        if self.timestamp is not None:
            out["timestamp"] = self.timestamp.isoformat()
        if self.justification is not None:
            out["justification"] = self.justification.value
        if self.impact_statement:
            out["impact_statement"] = self.impact_statement
        if self.status is VexStatus.AFFECTED:
            out["action_statement"] = self.action_statement or "Review and upgrade the package."
        return out


_FROM_TRIAGE = {
    "false_positive": VexStatus.NOT_AFFECTED,
    "mitigated": VexStatus.NOT_AFFECTED,
    "accepted_risk": VexStatus.AFFECTED,
    "confirmed": VexStatus.AFFECTED,
    "fixed": VexStatus.FIXED,
    "open": VexStatus.UNDER_INVESTIGATION,
}


def statement_for(finding: Finding, *, triage: str | None, reason: str = "", fixed: bool = False) -> VexStatement:
    """The statement for a dependency finding from its triage state (or its lifecycle when untriaged)."""
    status = _FROM_TRIAGE.get(triage or "", VexStatus.FIXED if fixed else VexStatus.UNDER_INVESTIGATION)
    justification: Justification | None = None
    impact = ""
    if status is VexStatus.NOT_AFFECTED:
        if triage == "mitigated":
            justification = Justification.INLINE_MITIGATIONS_ALREADY_EXIST
        elif reason in set(Justification):
            justification = Justification(reason)
        impact = "" if reason in set(Justification) else reason or "triaged as a false positive"
    return VexStatement(
        vulnerability=finding.rule_id,
        products=(finding.location.package or "",),
        status=status,
        aliases=finding.aliases,
        justification=justification,
        impact_statement=impact,
        action_statement=reason if status is VexStatus.AFFECTED else "",
    )


def export_document(statements: Iterable[VexStatement], *, author: str, timestamp: datetime) -> dict[str, Any]:
    """An OpenVEX document; its ``@id`` is derived from its statements, so the same decisions give the same id."""
    body = [s.as_document() for s in statements]
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:32]
    return {
        "@context": CONTEXT,
        "@id": f"https://openvex.dev/docs/bastion/vex-{digest}",
        "author": author,
        "timestamp": timestamp.isoformat(),
        "version": 1,
        "tooling": "bastion",
        "statements": body,
    }


class _Vulnerability(ToolReport):
    name: str
    aliases: list[str] | None = None


class _Product(ToolReport):
    id: str = Field(alias="@id")


class _Statement(ToolReport):
    vulnerability: _Vulnerability
    products: list[_Product] = []
    status: Literal["not_affected", "affected", "fixed", "under_investigation"]
    justification: (
        Literal[
            "component_not_present",
            "vulnerable_code_not_present",
            "vulnerable_code_not_in_execute_path",
            "vulnerable_code_cannot_be_controlled_by_adversary",
            "inline_mitigations_already_exist",
        ]
        | None
    ) = None
    impact_statement: str = ""
    action_statement: str = ""


class _Document(ToolReport):
    context: str = Field(alias="@context")
    statements: list[_Statement]


def parse_document(data: bytes, source: str) -> list[VexStatement]:
    """The statements of an OpenVEX document; ``ImporterError`` naming the file and JSON path."""
    raw = load_json(data, source)
    if isinstance(raw, dict) and "openvex" not in str(raw.get("@context", "")):
        raise ImporterError(f"{source}: $.@context: expected an OpenVEX context ({CONTEXT})")
    document = validate(_Document, raw, source)
    statements = []
    for index, item in enumerate(document.statements):
        if item.status == "not_affected" and not (item.justification or item.impact_statement):
            where = f"$.statements[{index}]"
            raise ImporterError(f"{source}: {where}: not_affected needs a justification or an impact_statement")
        statements.append(
            VexStatement(
                vulnerability=item.vulnerability.name,
                products=tuple(p.id for p in item.products),
                status=VexStatus(item.status),
                aliases=tuple(item.vulnerability.aliases or ()),
                justification=Justification(item.justification) if item.justification else None,
                impact_statement=item.impact_statement,
                action_statement=item.action_statement,
            )
        )
    return statements


def collect_statements(
    findings: Iterable[TrackedFinding],
    imported: Mapping[str, VexStatement] | None = None,
    decisions: Mapping[str, tuple[str, str]] | None = None,
) -> list[VexStatement]:
    """One statement per dependency finding (by fingerprint): imported as it was, else from triage or lifecycle.

    ``decisions`` maps a fingerprint to its triage ``(state, reason)``, from the triage workflow.
    """
    out: dict[str, VexStatement] = {}
    for tracked in findings:
        finding = tracked.finding
        if not finding.location.package or finding.fingerprint in out:
            continue
        if imported and finding.fingerprint in imported:
            out[finding.fingerprint] = imported[finding.fingerprint]
            continue
        state, reason = (decisions or {}).get(finding.fingerprint, (None, ""))
        fixed = tracked.state is LifecycleState.FIXED
        out[finding.fingerprint] = statement_for(finding, triage=state, reason=reason, fixed=fixed)
    return sorted(out.values(), key=lambda s: (s.vulnerability, s.products))
