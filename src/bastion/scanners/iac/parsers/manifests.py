"""Container orchestration manifests as input documents: Kubernetes objects and Docker Compose projects.

Kubernetes files may hold many documents (``---``) and ``kind: List`` wrappers, as ``kubectl`` and Kustomize
write them; every object becomes one element of ``objects`` with its ``file`` and ``line``.
"""

from __future__ import annotations

from typing import Any

from bastion.scanners.iac.document import DocumentKind, InputDocument
from bastion.scanners.iac.parsers.yamldoc import load_yaml_documents

__all__ = ["parse_compose", "parse_kubernetes"]


def _objects(document: Any) -> list[dict[str, Any]]:
    if not isinstance(document, dict):
        return []
    if str(document.get("kind", "")).endswith("List") and isinstance(document.get("items"), list):
        return [o for item in document["items"] for o in _objects(item)]
    if "apiVersion" in document and "kind" in document:
        return [document]
    return []


def parse_kubernetes(text: str, path: str) -> InputDocument:
    """Every Kubernetes object in a (multi-document) YAML or JSON file."""
    elements = []
    for document in load_yaml_documents(text, path):
        for obj in _objects(document):
            elements.append({**obj, "file": path, "line": obj["__line__"]})
    return InputDocument(kind=DocumentKind.KUBERNETES, files=(path,), elements=tuple(elements))


def parse_compose(text: str, path: str) -> InputDocument:
    """A Compose file: its services, volumes and networks, as one project."""
    elements = [
        {**document, "file": path, "line": document["__line__"]}
        for document in load_yaml_documents(text, path)
        if isinstance(document, dict)
    ]
    return InputDocument(kind=DocumentKind.COMPOSE, files=(path,), elements=tuple(elements))
