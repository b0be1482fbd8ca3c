"""A run of the pipeline: stages, control modes and statuses, and what each control produced."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import NewType

from bastion.model.finding import Finding

__all__ = [
    "ControlMode",
    "ControlResult",
    "ControlStatus",
    "LifecycleState",
    "RunId",
    "Stage",
    "UnanalysedFile",
]

RunId = NewType("RunId", int)
"""The store's id of a run."""


class Stage(StrEnum):
    """The delivery stages, in the order they run."""

    PLAN = "plan"
    CODE = "code"
    BUILD = "build"
    TEST = "test"
    RELEASE = "release"
    DEPLOY = "deploy"
    OPERATE = "operate"

    @property
    def order(self) -> int:
        """Position in the pipeline, ``plan`` first."""
        return list(Stage).index(self)


class ControlMode(StrEnum):
    """Whether a control can block a run (``mandatory``) or only informs (``advisory``)."""

    MANDATORY = "mandatory"
    ADVISORY = "advisory"


class ControlStatus(StrEnum):
    """How a control's execution ended. Only ``succeeded`` means every selected file was analysed."""

    SUCCEEDED = "succeeded"
    PARTIAL = "partial"
    """It ran, but some files could not be analysed (listed in ``unanalysed``)."""
    ERRORED = "errored"
    """It crashed, timed out, or its tool is missing: its silence proves nothing."""
    SKIPPED = "skipped"
    """It did not apply (no file it could look at)."""


class LifecycleState(StrEnum):
    """A finding's state in a run, against the previous run of the same project and branch."""

    NEW = "new"
    EXISTING = "existing"
    REOPENED = "reopened"
    FIXED = "fixed"


@dataclass(frozen=True, slots=True)
class UnanalysedFile:
    """A file a scanner was given but could not analyse, and why."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class ControlResult:
    """What one control did in one run."""

    control: str
    """The control's id in ``bastion.yml``."""
    stage: Stage
    uses: str
    """The scanner name, or ``run`` for a command control."""
    mode: ControlMode
    status: ControlStatus
    started_at: datetime
    duration_s: float
    findings: tuple[Finding, ...] = ()
    reason: str = ""
    """Why it errored, was partial, or was skipped."""
    files_scanned: int = 0
    unanalysed: tuple[UnanalysedFile, ...] = field(default=())

    @property
    def could_run(self) -> bool:
        """False when the control errored: its findings (or their absence) say nothing."""
        return self.status is not ControlStatus.ERRORED
