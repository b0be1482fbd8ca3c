"""Store fixtures: a factory of runs (the database fixtures are in the root conftest)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bastion.model import (
    ControlMode,
    ControlResult,
    ControlStatus,
    Finding,
    Location,
    RunRecord,
    Severity,
    Stage,
    UnanalysedFile,
    fingerprint_of,
)
from bastion.store import Store, open_store


@pytest.fixture
def store(store_url: str, tmp_path: Path) -> Iterator[Store]:
    """An open, migrated store on each backend."""
    with open_store(store_url, tmp_path) as opened:
        yield opened


@dataclass
class RunFactory:
    """Builds findings, control results and run records; each record starts an hour after the previous one."""

    clock: datetime = field(default_factory=lambda: datetime(2026, 1, 5, 9, 0, tzinfo=UTC))

    def finding(
        self,
        name: str,
        *,
        path: str = "app.py",
        control: str = "sast",
        severity: Severity = Severity.HIGH,
        fingerprint: str | None = None,
        line: int = 1,
    ) -> Finding:
        """A finding identified by ``name``, path and control, unless ``fingerprint`` says otherwise."""
        return Finding(
            control=control,
            tool="bandit",
            rule_id=name,
            title=f"rule {name}",
            severity=severity,
            location=Location(path=path, start_line=line, end_line=line),
            message=f"{name} at {path}",
            cwe=(78,),
            aliases=("CVE-2026-0001",),
            tags=("test",),
            fingerprint=fingerprint or fingerprint_of(control, name, path),
        )

    def control(
        self,
        control: str,
        *findings: Finding,
        status: ControlStatus = ControlStatus.SUCCEEDED,
        mode: ControlMode = ControlMode.MANDATORY,
        unanalysed: tuple[str, ...] = (),
    ) -> ControlResult:
        """A control's result with these findings."""
        return ControlResult(
            control=control,
            stage=Stage.CODE,
            uses="bandit",
            mode=mode,
            status=status,
            started_at=self.clock,
            duration_s=1.5,
            findings=findings,
            reason="boom" if status is ControlStatus.ERRORED else "",
            files_scanned=3,
            unanalysed=tuple(UnanalysedFile(path, "syntax error") for path in unanalysed),
        )

    def record(
        self, *controls: ControlResult, project: str = "demo", branch: str = "main", commit: str | None = None
    ) -> RunRecord:
        """A run of these controls, starting one hour after the previous record."""
        self.clock += timedelta(hours=1)
        return RunRecord(
            project=project,
            branch=branch,
            commit=commit,
            started_at=self.clock,
            finished_at=self.clock + timedelta(minutes=2),
            controls=controls,
            root="/src/demo",
        )


@pytest.fixture
def runs() -> RunFactory:
    """A factory of findings, control results and run records."""
    return RunFactory()
