"""The whole of ``bastion run`` as one call: load the pipeline, walk, run, record, decide.

The CLI, the API server and fleet workers all call ``execute_run``; it is the one place that wires the engine,
the store and the gate together.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bastion.config import Pipeline, find_config, load_pipeline
from bastion.engine import Progress, run_pipeline, scanner_registry, walk_workspace
from bastion.model import Decision, RunReport, Stage, TrackedFinding
from bastion.policy import DefaultGate, Gate, GateInput

if TYPE_CHECKING:
    from bastion.store import Store

__all__ = ["RunRequest", "execute_run", "gate_for", "load_repository_pipeline", "notify_after_run"]


@dataclass(frozen=True, slots=True)
class RunRequest:
    """What to run: a repository, optionally its pipeline file, store URL, stages and branch."""

    root: Path
    config: Path | None = None
    database_url: str | None = None
    stages: Sequence[Stage] = ()
    branch: str | None = None


def load_repository_pipeline(root: Path, config: Path | None = None) -> Pipeline:
    """Find and validate the repository's ``bastion.yml`` against the installed scanners."""
    path = find_config(root, config)
    return load_pipeline(path, scanner_registry(), project_default=root.resolve().name)


def execute_run(request: RunRequest, progress: Progress) -> RunReport:
    """Run the pipeline over the repository, record the run in the store, and let the gate decide."""
    from bastion.store import open_store
    from bastion.store.project_rules import ProjectRules, rules_from_repository

    root = request.root
    pipeline = load_repository_pipeline(root, request.config)
    rules = rules_from_repository(root)  # owners: and sla: are checked before anything runs
    workspace = walk_workspace(root, max_file_bytes=pipeline.max_file_bytes, exclude=pipeline.exclude)
    url = request.database_url or os.environ.get("BASTION_DATABASE_URL") or None
    with open_store(url, workspace.root) as store:  # opened first: an unreachable store fails before the scan
        record = run_pipeline(pipeline, workspace, progress, stages=request.stages, branch=request.branch)
        run_id, tracked = store.record_run(record)
        register = ProjectRules(store)
        if register.get(pipeline.project) != rules:  # the service assigns owners and due dates from these
            register.set(pipeline.project, rules, actor="bastion run")
        decision = gate_for(pipeline, workspace.root, store).decide(GateInput(tracked, record.controls))
        store.record_decision(run_id, decision)
        notify_after_run(store, pipeline.project, tracked, decision)
    return RunReport(
        run_id=run_id,
        record=record,
        findings=tuple(tracked),
        decision=decision,
        files_scanned=len(workspace.files),
        skipped_binary=workspace.skipped_binary,
        skipped_oversize=workspace.skipped_oversize,
    )


def gate_for(pipeline: Pipeline, root: Path, store: Store) -> Gate:
    """The pipeline's gate: Rego (the shipped default policy or the user's files) with the exceptions of the
    reviewed file and of the store, or the built-in Python rules when ``policy.engine`` is ``builtin``."""
    from bastion.policy import RegoGate, read_exceptions
    from bastion.store.exceptions import ExceptionRegister

    spec = pipeline.policy
    if spec.engine == "builtin":
        return DefaultGate(spec)
    exceptions = [*read_exceptions(root / spec.exceptions_file), *ExceptionRegister(store).list(pipeline.project)]
    if spec.rego:
        return RegoGate.from_paths([root / path for path in spec.rego], spec=spec, exceptions=exceptions)
    return RegoGate(spec=spec, exceptions=exceptions)


def notify_after_run(store: Store, project: str, tracked: Sequence[TrackedFinding], decision: Decision) -> None:
    """Webhooks after a recorded run (only when the store has subscriptions): the new findings the gate blocked
    on as ``finding.new_blocking``, then the project's sweep for SLA breaches and expiring exceptions. A failure
    here is logged, never the run's failure; deliveries are awaited for at most 10 seconds."""
    import logging

    from bastion.errors import BastionError
    from bastion.importers.webhook import WebhookEvent, store_notifier
    from bastion.model import LifecycleState, Outcome

    blocked = {fid for reason in decision.reasons if reason.outcome is Outcome.BLOCK for fid in reason.finding_ids}
    new = [t.finding for t in tracked if t.state is LifecycleState.NEW and t.finding.id in blocked]
    try:
        with store_notifier(store, close_timeout_s=10.0) as notifier:
            if notifier is None:
                return
            if new:
                notifier.notify_findings(WebhookEvent.NEW_BLOCKING.value, project, new)
            notifier.sweep_quietly(project)
    except BastionError as err:
        logging.getLogger(__name__).warning("webhooks after the run: %s", err)
