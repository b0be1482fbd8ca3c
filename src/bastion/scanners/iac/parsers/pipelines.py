"""CI configuration as input documents: GitHub Actions workflows and GitLab CI pipelines.

A workflow keeps its YAML shape (``on``, ``permissions``, ``jobs.<id>.steps``) and gains ``triggers``, the event
names whatever the spelling of ``on`` (string, list or mapping). A GitLab pipeline splits its top-level keys
into ``jobs`` (every key that is not a global keyword) and ``globals``.
"""

from __future__ import annotations

from typing import Any

from bastion.scanners.iac.document import DocumentKind, InputDocument
from bastion.scanners.iac.parsers.yamldoc import load_yaml_documents

__all__ = ["parse_github_workflow", "parse_gitlab_ci"]

_GITLAB_GLOBALS = frozenset(
    {
        "default",
        "include",
        "stages",
        "variables",
        "workflow",
        "image",
        "services",
        "cache",
        "before_script",
        "after_script",
        "types",
        "pages_deploy",
        "spec",
    }
)


def _triggers(on: Any) -> list[str]:
    if isinstance(on, str):
        return [on]
    if isinstance(on, list):
        return [str(e) for e in on]
    if isinstance(on, dict):
        return [k for k in on if not k.startswith("__")]
    return []


def parse_github_workflow(text: str, path: str) -> InputDocument:
    """A GitHub Actions workflow file."""
    elements = []
    for document in load_yaml_documents(text, path):
        if isinstance(document, dict):
            on = document.get("on", document.get(True))  # YAML 1.1 readers turn ``on`` into true
            elements.append({**document, "triggers": _triggers(on), "file": path, "line": document["__line__"]})
    return InputDocument(kind=DocumentKind.GITHUB_ACTIONS, files=(path,), elements=tuple(elements))


def parse_gitlab_ci(text: str, path: str) -> InputDocument:
    """A GitLab CI file: its jobs and its global keywords."""
    elements = []
    for document in load_yaml_documents(text, path):
        if not isinstance(document, dict):
            continue
        jobs = {
            k: v
            for k, v in document.items()
            if not k.startswith("__") and k not in _GITLAB_GLOBALS and isinstance(v, dict)
        }
        globals_ = {k: v for k, v in document.items() if k in _GITLAB_GLOBALS}
        elements.append(
            {
                "jobs": jobs,
                "globals": globals_,
                "file": path,
                "line": document["__line__"],
                "__lines__": document["__lines__"],
            }
        )
    return InputDocument(kind=DocumentKind.GITLAB_CI, files=(path,), elements=tuple(elements))
