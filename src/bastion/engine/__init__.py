"""The engine: walks the workspace once, runs the pipeline's controls, fingerprints their findings.

The names are loaded on first use (PEP 562): the secrets tree scan of a directory that is not a git work tree
uses ``walk_workspace`` alone and must not pay for the runner's imports (pydantic, the config schema, the
scanner registry).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bastion.lazy import lazy_exports

if TYPE_CHECKING:
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

_HOME = {
    "DEFAULT_MAX_FILE_BYTES": "workspace",
    "PlainProgress": "progress",
    "Progress": "progress",
    "QuietProgress": "progress",
    "RichProgress": "progress",
    "Workspace": "workspace",
    "execute_control": "runner",
    "progress_for": "progress",
    "run_pipeline": "runner",
    "scanner_registry": "registry",
    "select_files": "workspace",
    "walk_workspace": "workspace",
}


__getattr__ = lazy_exports(__name__, _HOME)
