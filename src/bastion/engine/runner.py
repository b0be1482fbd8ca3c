"""Runs a pipeline: stages in order, the controls of a stage in parallel, each within its timeout.

A control that raises, times out or lacks its tool is recorded as ``errored`` with the reason; it never counts
as passed. A control that times out is abandoned on a daemon thread (Python cannot kill a thread); command
controls are killed by their own timeout.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bastion.config import Control, Pipeline
from bastion.engine.command import run_command_control
from bastion.engine.fingerprints import Fingerprinter
from bastion.engine.progress import Progress
from bastion.engine.workspace import Workspace
from bastion.errors import BastionError
from bastion.model import ControlResult, ControlStatus, Finding, RunRecord, Stage
from bastion.scanners import ScanTarget, load_scanner

__all__ = ["execute_control", "run_pipeline"]

log = logging.getLogger(__name__)


def run_pipeline(
    pipeline: Pipeline,
    workspace: Workspace,
    progress: Progress,
    *,
    stages: Sequence[Stage] = (),
    branch: str | None = None,
) -> RunRecord:
    """Execute every control of ``pipeline`` (or of the given ``stages``) over ``workspace``."""
    started = datetime.now(UTC)
    results: list[ControlResult] = []
    fingerprinter = Fingerprinter(workspace.root)
    for stage, controls in pipeline.stages():
        if stages and stage not in stages:
            continue
        progress.stage_started(stage, [c.id for c in controls])
        for result in _run_stage(controls, workspace, progress):
            results.append(dataclasses.replace(result, findings=tuple(fingerprinter.complete(result.findings))))
    progress.close()
    return RunRecord(
        project=pipeline.project,
        branch=branch or workspace.branch or "default",
        commit=workspace.commit,
        started_at=started,
        finished_at=datetime.now(UTC),
        controls=tuple(results),
        root=str(workspace.root),
    )


def _run_stage(controls: list[Control], workspace: Workspace, progress: Progress) -> list[ControlResult]:
    slots: dict[str, ControlResult] = {}
    threads: list[tuple[Control, threading.Thread, float, datetime]] = []
    for control in controls:
        progress.control_started(control.id)
        started = datetime.now(UTC)

        def work(control: Control = control) -> None:
            slots[control.id] = execute_control(control, workspace)

        thread = threading.Thread(target=work, name=f"control-{control.id}", daemon=True)
        thread.start()
        threads.append((control, thread, time.monotonic() + control.timeout_s, started))
    results = []
    for control, thread, deadline, started in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
        result = slots.get(control.id)
        if thread.is_alive() or result is None:
            result = _errored(control, started, f"timed out after {control.timeout_s:g}s")
        progress.control_finished(result)
        results.append(result)
    return results


def execute_control(control: Control, workspace: Workspace) -> ControlResult:
    """Run one control to a result; every failure becomes an ``errored`` result with its reason."""
    started = datetime.now(UTC)
    clock = time.perf_counter()
    files = workspace.select(control.include, control.exclude)
    target = ScanTarget(root=workspace.root, files=files, control=control.id, commit=workspace.commit)
    if control.unavailable is not None:
        return _errored(control, started, control.unavailable, clock)
    try:
        if control.uses is not None:
            scanner = load_scanner(control.uses)
            if not scanner.applies_to(workspace.root, files):
                return _result(
                    control,
                    started,
                    clock,
                    ControlStatus.SKIPPED,
                    [],
                    files,
                    reason=f"nothing for {control.uses} to scan",
                    target=target,
                )
            assert control.options is not None
            findings = list(scanner.scan(target, control.options))
        else:
            findings = run_command_control(control, workspace.root)
    except BastionError as err:
        return _errored(control, started, str(err), clock)
    except Exception as err:  # a scanner's bug is a result, not a crash of the run
        log.exception("control %s crashed", control.id)
        return _errored(control, started, f"crashed: {type(err).__name__}: {err}", clock)
    findings = [_normalise(f, control.id, workspace.root) for f in findings]
    status = ControlStatus.PARTIAL if target.unanalysed else ControlStatus.SUCCEEDED
    reason = f"{len(target.unanalysed)} file(s) not analysed" if target.unanalysed else ""
    return _result(control, started, clock, status, findings, files, reason=reason, target=target)


def _normalise(finding: Finding, control: str, root: Path) -> Finding:
    """Stamp the control id and make an absolute path inside the repository relative to it."""
    loc = finding.location
    path = loc.path
    if path is not None:
        path = path.removeprefix("file://")
        candidate = Path(path)
        if candidate.is_absolute() and candidate.is_relative_to(root):
            path = candidate.relative_to(root).as_posix()
        path = path.removeprefix("./")
    return (
        dataclasses.replace(finding, control=control, location=dataclasses.replace(loc, path=path))
        if (path != loc.path or finding.control != control)
        else finding
    )


def _result(
    control: Control,
    started: datetime,
    clock: float,
    status: ControlStatus,
    findings: list[Finding],
    files: list[str],
    *,
    reason: str,
    target: ScanTarget,
) -> ControlResult:
    return ControlResult(
        control=control.id,
        stage=control.stage,
        uses=control.uses or "run",
        mode=control.mode,
        status=status,
        started_at=started,
        duration_s=time.perf_counter() - clock,
        findings=tuple(findings),
        reason=reason,
        files_scanned=len(files) - len(target.unanalysed),
        unanalysed=tuple(target.unanalysed),
    )


def _errored(control: Control, started: datetime, reason: str, clock: float | None = None) -> ControlResult:
    duration = (time.perf_counter() - clock) if clock is not None else (datetime.now(UTC) - started).total_seconds()
    return ControlResult(
        control=control.id,
        stage=control.stage,
        uses=control.uses or "run",
        mode=control.mode,
        status=ControlStatus.ERRORED,
        started_at=started,
        duration_s=duration,
        reason=reason,
    )
