"""The input document: what a Rego check sees for one kind of file, as JSON, with file and line everywhere.

Every kind's document has one top-level collection (``resources``, ``objects``, ``dockerfiles``, ``workflows``,
``pipelines``, ``projects``), so the documents of many files of one kind concatenate into one document and
evaluate in one query. Terraform and CloudFormation ``resources`` map each resource type to its list of
resources: a check looks up its types instead of scanning every resource (with regopy a scan of a
1,300-resource document costs ~0.5 s per rule, a lookup ~5 ms). Every mapping read from a source file carries
``__line__`` (its first line) and ``__lines__`` (the line of each key); every element carries ``file`` and
``line``.
The shapes are documented in ``docs/policy.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = ["COLLECTION", "DocumentKind", "InputDocument", "Json", "merge_documents"]

Json = Any
"""A JSON-compatible value: dict, list, str, int, float, bool or None."""


class DocumentKind(StrEnum):
    """The kinds of input document; a check's package is ``bastion.checks.<kind with _>``."""

    TERRAFORM = "terraform"
    CLOUDFORMATION = "cloudformation"
    KUBERNETES = "kubernetes"
    DOCKERFILE = "dockerfile"
    COMPOSE = "compose"
    GITHUB_ACTIONS = "github_actions"
    GITLAB_CI = "gitlab_ci"


COLLECTION: dict[DocumentKind, str] = {
    DocumentKind.TERRAFORM: "resources",
    DocumentKind.CLOUDFORMATION: "resources",
    DocumentKind.KUBERNETES: "objects",
    DocumentKind.DOCKERFILE: "dockerfiles",
    DocumentKind.COMPOSE: "projects",
    DocumentKind.GITHUB_ACTIONS: "workflows",
    DocumentKind.GITLAB_CI: "pipelines",
}
"""The top-level list of each kind's document."""


@dataclass(frozen=True, slots=True)
class InputDocument:
    """One kind's input document for one or more files."""

    kind: DocumentKind
    files: tuple[str, ...]
    """The files it was read from (relative posix paths)."""
    elements: tuple[Json, ...] = field(default=())
    """The top-level list: resources, objects, dockerfiles, workflows..."""

    def to_json(self, types: frozenset[str] | None = None) -> dict[str, Json]:
        """The document as Rego's ``input``; ``types`` keeps only resources of those types (``None``: all)."""
        if self.kind not in {DocumentKind.TERRAFORM, DocumentKind.CLOUDFORMATION}:
            return {"kind": self.kind.value, COLLECTION[self.kind]: list(self.elements)}
        by_type: dict[str, list[Json]] = {}
        for element in self.elements:
            if types is None or element["type"] in types:
                by_type.setdefault(element["type"], []).append(element)
        return {"kind": self.kind.value, "resources": by_type}


def merge_documents(documents: list[InputDocument]) -> list[InputDocument]:
    """One document per kind, concatenating the elements of every document of that kind, in order."""
    by_kind: dict[DocumentKind, list[InputDocument]] = {}
    for document in documents:
        by_kind.setdefault(document.kind, []).append(document)
    return [
        InputDocument(
            kind=kind,
            files=tuple(f for d in docs for f in d.files),
            elements=tuple(e for d in docs for e in d.elements),
        )
        for kind, docs in by_kind.items()
    ]
