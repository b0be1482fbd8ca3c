"""Findings as the store tracks them across runs, and the complete report of one run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bastion.model.decision import Decision
from bastion.model.finding import Finding
from bastion.model.run import ControlMode, ControlResult, LifecycleState, RunId

__all__ = ["RunRecord", "RunReport", "TrackedFinding"]


@dataclass(frozen=True, slots=True)
class TrackedFinding:
    """A finding with its lifecycle state in one run and when it was first and last seen."""

    finding: Finding
    state: LifecycleState
    first_seen: datetime
    last_seen: datetime
    mode: ControlMode = ControlMode.MANDATORY
    """The mode of the control that reported it, in this run."""
    carried: bool = False
    """True when not observed in this run because its control errored or skipped the file: still open."""

    @property
    def is_open(self) -> bool:
        """True unless the finding was fixed in this run."""
        return self.state is not LifecycleState.FIXED


@dataclass(frozen=True, slots=True)
class RunRecord:
    """What the engine hands the store: one execution of the pipeline over one repository."""

    project: str
    branch: str
    commit: str | None
    started_at: datetime
    finished_at: datetime
    controls: tuple[ControlResult, ...]
    root: str = ""


@dataclass(frozen=True, slots=True)
class RunReport:
    """Everything reports render: the run, each control's result, the tracked findings and the decision."""

    run_id: RunId | None
    record: RunRecord
    findings: tuple[TrackedFinding, ...]
    """Open findings of the run (new, existing, reopened) and those it fixed."""
    decision: Decision
    files_scanned: int = 0
    skipped_binary: int = 0
    skipped_oversize: int = 0

    @property
    def open_findings(self) -> tuple[TrackedFinding, ...]:
        """The findings still open after this run."""
        return tuple(t for t in self.findings if t.is_open)
