"""The run report as input: the parts of bastion's JSON report (``bastion run -f json``) that attestations carry.

The JSON report adds keys within a schema version, so unknown keys are ignored here; the fields read are required.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from bastion.supplychain.errors import SupplyChainError

__all__ = ["ReportDecision", "ReportDocument", "ReportRun", "read_report"]


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ReportRun(_Lenient):
    """The run the report describes."""

    id: int | None = None
    project: str
    branch: str
    commit: str | None = None
    finished_at: str


class ReportReason(_Lenient):
    """One reason of the gate."""

    rule: str
    outcome: str
    message: str


class ReportDecision(_Lenient):
    """The gate's decision."""

    outcome: str
    policy: str = "default"
    reasons: tuple[ReportReason, ...] = ()


class ReportDocument(_Lenient):
    """The JSON report, schema version 1."""

    schema_version: int
    run: ReportRun
    summary: dict[str, Any]
    controls: tuple[dict[str, Any], ...]
    findings: tuple[dict[str, Any], ...]
    decision: ReportDecision


def read_report(path: Path) -> ReportDocument:
    """Read a JSON run report; ``SupplyChainError`` naming the file when it is not one."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise SupplyChainError(f"{path}: cannot read run report: {err.strerror}") from err
    except ValueError as err:
        raise SupplyChainError(f"{path}: run report is not JSON: {err}") from err
    try:
        report = ReportDocument.model_validate(document)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise SupplyChainError(f"{path}: not a bastion JSON run report: {where}: {first['msg']}") from err
    if report.schema_version != 1:
        raise SupplyChainError(f"{path}: unsupported run report schema_version {report.schema_version}")
    return report
