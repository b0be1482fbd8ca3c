"""The ``bastion.yml`` schema (version 1), as pydantic models: the boundary where YAML becomes a pipeline.

Unknown keys are errors (``extra="forbid"``) so that a typo never silently disables a control.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bastion.model import ControlMode, LifecycleState, Severity, Stage

__all__ = ["BlockRule", "ControlSpec", "PathsSpec", "PipelineSpec", "PolicySpec", "WarnRule", "parse_duration"]

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, None: 1.0}
DEFAULT_TIMEOUT_S = 600.0


def parse_duration(value: object) -> float:
    """Seconds from ``90``, ``"90s"``, ``"5m"``, ``"1h"``; ``ValueError`` otherwise."""
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 300, '90s' or '5m'")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ValueError(f"'{value}' is not a duration such as 300, '90s' or '5m'")
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if seconds <= 0:
        raise ValueError("a timeout must be positive")
    return seconds


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class PathsSpec(_Strict):
    """Which files a control looks at: gitignore-style globs; no ``include`` means every file."""

    include: list[str] = Field(default_factory=list, description="Globs of files to scan; empty means all.")
    exclude: list[str] = Field(default_factory=list, description="Globs of files never to scan.")


class ControlSpec(_Strict):
    """One control of a stage: a registered scanner (``uses``) or a command whose report is imported (``run``)."""

    id: str | None = Field(
        None, description="Unique id of the control; defaults to `uses`.", pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
    )
    uses: str | None = Field(None, description="A registered scanner (`bastion scanners`).")
    run: str | None = Field(None, description="A command to run; its report is read with `format`.")
    format: str | None = Field(None, description="Importer for the command's report (e.g. `sarif`).")
    output: str | None = Field(None, description="File the command writes its report to; default: stdout.")
    with_: dict[str, Any] = Field(default_factory=dict, alias="with", description="The scanner's options.")
    mode: ControlMode = Field(ControlMode.MANDATORY, description="`mandatory` controls can block a run.")
    paths: PathsSpec | list[str] = Field(default_factory=PathsSpec, description="Files to scan (globs).")
    timeout: float = Field(DEFAULT_TIMEOUT_S, description="Seconds (or '90s', '5m') before it is stopped.")
    env: dict[str, str] = Field(default_factory=dict, description="Extra environment for a `run` command.")

    @field_validator("timeout", mode="before")
    @classmethod
    def _duration(cls, value: object) -> float:
        return parse_duration(value)

    @model_validator(mode="after")
    def _one_kind(self) -> ControlSpec:
        if (self.uses is None) == (self.run is None):
            raise ValueError("a control needs exactly one of 'uses' (a scanner) or 'run' (a command)")
        if self.run is not None and self.format is None:
            raise ValueError("a 'run' control needs 'format' naming the importer of its report (e.g. sarif)")
        if self.uses is not None and (self.format or self.output or self.env):
            raise ValueError("'format', 'output' and 'env' belong to 'run' controls, not 'uses'")
        if self.run is not None and self.with_:
            raise ValueError("'with' options belong to 'uses' controls; pass a 'run' command its flags directly")
        return self

    def control_id(self) -> str:
        """The id given, else the scanner name, else the command's first word."""
        if self.id:
            return self.id
        if self.uses:
            return self.uses
        return (self.run or "run").split()[0].rsplit("/", 1)[-1]

    def path_filter(self) -> PathsSpec:
        """``paths`` in its long form (a bare list means ``include``)."""
        return PathsSpec(include=self.paths) if isinstance(self.paths, list) else self.paths


class BlockRule(_Strict):
    """Findings that block a run: from mandatory controls, this severity or worse, in these states."""

    severity: Severity = Field(Severity.HIGH, description="Block on findings of this severity or worse.")
    states: list[LifecycleState] = Field(
        default_factory=lambda: [LifecycleState.NEW, LifecycleState.REOPENED],
        description="...in these lifecycle states.",
    )


class WarnRule(_Strict):
    """Findings that make a run pass with a warning."""

    severity: Severity = Field(Severity.MEDIUM, description="Warn on open findings of this severity or worse.")


class PolicySpec(_Strict):
    """The gate: its engine, its thresholds, the Rego policies that replace the default, and exceptions."""

    engine: Literal["rego", "builtin"] = Field(
        "rego",
        description="`rego` evaluates the policy in Rego (the shipped default_gate.rego unless `rego` names "
        "files); `builtin` uses the same default rules written in Python.",
    )
    block: BlockRule = Field(default_factory=BlockRule)
    warn: WarnRule = Field(default_factory=WarnRule)
    fail_closed: bool = Field(True, description="A mandatory control that errored blocks the run.")
    rego: list[str] = Field(
        default_factory=list, description="Rego files or directories with your gate policy (replacing the default)."
    )
    exceptions_file: str = Field(".bastion/exceptions.yml", description="The reviewed file of accepted risks.")
    max_exception_days: int = Field(365, gt=0, description="The longest an exception may run.")


class PipelineSpec(_Strict):
    """The whole ``bastion.yml``."""

    version: Literal[1] = Field(description="Schema version of this file; 1.")
    project: str | None = Field(None, description="Project name in the store; default: the directory name.")
    exclude: list[str] = Field(default_factory=list, description="Globs no control ever scans.")
    max_file_bytes: int = Field(5 * 1024 * 1024, gt=0, description="Larger files are skipped and counted.")
    stages: dict[Stage, list[ControlSpec]] = Field(default_factory=dict, description="Controls per stage.")
    policy: PolicySpec = Field(default_factory=PolicySpec)
    owners: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Owner rules (path, control or package → owners), ahead of CODEOWNERS; "
        "see docs/service.md. Validated by the findings service's rules.",
    )
    sla: dict[str, Any] = Field(default_factory=dict, description="Remediation deadlines by risk; see docs/service.md.")
