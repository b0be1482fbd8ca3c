"""Renderers of a scan outcome: text for people, JSON for tools, SARIF 2.1.0 for code-scanning UIs.

Every format carries the SHA-256 and the masked preview of each secret, never the secret.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, assert_never

from bastion.scanners.secrets.detector import Detector
from bastion.scanners.secrets.outcome import ScanOutcome

__all__ = ["OutputFormat", "render"]

_SARIF_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
_SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}


class OutputFormat(StrEnum):
    """The report formats of ``bastion secrets scan``."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"


def render(outcome: ScanOutcome, detectors: Mapping[str, Detector], fmt: OutputFormat) -> str:
    """The outcome in ``fmt``."""
    if fmt is OutputFormat.TEXT:
        return _text(outcome, detectors)
    if fmt is OutputFormat.JSON:
        return json.dumps(_document(outcome, detectors), indent=2, ensure_ascii=False) + "\n"
    if fmt is OutputFormat.SARIF:
        return json.dumps(_sarif(outcome, detectors), indent=2, ensure_ascii=False) + "\n"
    assert_never(fmt)


def _text(outcome: ScanOutcome, detectors: Mapping[str, Detector]) -> str:
    lines = []
    for hit in outcome.hits:
        detector = detectors[hit.detector_id]
        where = f"{hit.path}:{hit.line}:{hit.column}"
        line = f"{where}  {detector.severity:<8}  {hit.detector_id}  {hit.preview}  sha256:{hit.sha256[:16]}"
        if hit.commit is not None:
            state = "still in HEAD" if hit.in_head else "not in HEAD"
            line += f"\n    introduced in {hit.commit[:12]} by {hit.author} on {hit.date} ({state})"
        lines.append(line)
    for skipped in outcome.skipped:
        lines.append(f"{skipped.path}: not analysed: {skipped.reason}")
    return "\n".join(lines) + ("\n" if lines else "")


def _document(outcome: ScanOutcome, detectors: Mapping[str, Detector]) -> dict[str, Any]:
    findings = []
    for hit in outcome.hits:
        detector = detectors[hit.detector_id]
        entry: dict[str, Any] = {
            "detector": hit.detector_id,
            "description": detector.description,
            "severity": detector.severity,
            "path": hit.path,
            "line": hit.line,
            "column": hit.column,
            "sha256": hit.sha256,
            "preview": hit.preview,
        }
        if hit.commit is not None:
            entry |= {"commit": hit.commit, "author": hit.author, "date": hit.date, "still_in_head": hit.in_head}
        findings.append(entry)
    return {
        "tool": "bastion-secrets",
        "mode": str(outcome.mode),
        "summary": {
            "secrets": len(outcome.hits),
            "files_scanned": outcome.files_scanned,
            "bytes_scanned": outcome.bytes_scanned,
            "binary_files": outcome.binary_files,
            "commits_scanned": outcome.commits_scanned,
            "commits_total": outcome.commits_total,
            "suppressed_by_baseline": outcome.suppressed_by_baseline,
            "unlisted_unreadable": outcome.unlisted_unreadable,
            "partial": outcome.partial,
        },
        "findings": findings,
        "not_analysed": [{"path": s.path, "reason": s.reason} for s in outcome.skipped],
    }


def _sarif(outcome: ScanOutcome, detectors: Mapping[str, Detector]) -> dict[str, Any]:
    used = sorted({hit.detector_id for hit in outcome.hits})
    rules = [
        {
            "id": d,
            "shortDescription": {"text": detectors[d].description},
            "properties": {
                "security-severity": _SECURITY_SEVERITY[detectors[d].severity],
                "tags": ["security", "secret", "CWE-798"],
            },
        }
        for d in used
    ]
    results = []
    for hit in outcome.hits:
        detector = detectors[hit.detector_id]
        location: dict[str, Any] = {
            "physicalLocation": {
                "artifactLocation": {"uri": hit.path},
                "region": {"startLine": hit.line, "startColumn": hit.column},
            }
        }
        result: dict[str, Any] = {
            "ruleId": hit.detector_id,
            "ruleIndex": used.index(hit.detector_id),
            "level": _SARIF_LEVEL[detector.severity],
            "message": {"text": f"{detector.description} ({hit.preview}, sha256 {hit.sha256})"},
            "locations": [location],
            "partialFingerprints": {"secretSha256/v1": hit.sha256},
        }
        if hit.commit is not None:
            result["properties"] = {
                "commit": hit.commit,
                "author": hit.author,
                "date": hit.date,
                "stillInHead": hit.in_head,
            }
        results.append(result)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "bastion-secrets", "rules": rules}}, "results": results}],
    }
