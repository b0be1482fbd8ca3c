"""The engine: walks the workspace once, runs the pipeline's controls, fingerprints their findings."""

from __future__ import annotations

from bastion.engine.progress import PlainProgress, Progress, QuietProgress, RichProgress, progress_for
from bastion.engine.registry import scanner_registry
from bastion.engine.runner import execute_control, run_pipeline
from bastion.engine.workspace import DEFAULT_MAX_FILE_BYTES, Workspace, select_files, walk_workspace

__all__ = [
    "DEFAULT_MAX_FILE_BYTES",
    "PlainProgress",
    "Progress",
    "QuietProgress",
    "RichProgress",
    "Workspace",
    "execute_control",
    "progress_for",
    "run_pipeline",
    "scanner_registry",
    "select_files",
    "walk_workspace",
]
