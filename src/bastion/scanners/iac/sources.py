"""Which files are infrastructure as code, of which kind, and their input documents.

Terraform files are grouped by directory (a module); a directory called by another as a local module is read
as part of its caller, not on its own. Other kinds are one file each, recognised by name (Dockerfile, workflows,
``.gitlab-ci.yml``, compose files) or, for YAML and JSON, by a cheap sniff of the content (Kubernetes objects,
CloudFormation templates, Terraform plans). A file that does not parse is returned as an ``IacSyntaxError`` and
the others go on.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from bastion.scanners.iac.document import InputDocument
from bastion.scanners.iac.errors import IacSyntaxError
from bastion.scanners.iac.parsers.cloudformation import looks_like_cloudformation, parse_cloudformation
from bastion.scanners.iac.parsers.dockerfile import parse_dockerfile
from bastion.scanners.iac.parsers.manifests import parse_compose, parse_kubernetes
from bastion.scanners.iac.parsers.pipelines import parse_github_workflow, parse_gitlab_ci
from bastion.scanners.iac.parsers.plan import looks_like_plan, parse_plan
from bastion.scanners.iac.parsers.terraform import TerraformModule, load_terraform, module_calls

__all__ = ["FileKind", "Sources", "file_kind", "read_sources"]

_KUBERNETES = re.compile(r"^apiVersion:|\"apiVersion\"\s*:", re.MULTILINE)
_KIND = re.compile(r"^kind:|\"kind\"\s*:", re.MULTILINE)


class FileKind(StrEnum):
    """How a file is read."""

    TERRAFORM = "terraform"
    DOCKERFILE = "dockerfile"
    GITHUB_ACTIONS = "github_actions"
    GITLAB_CI = "gitlab_ci"
    COMPOSE = "compose"
    STRUCTURED = "structured"
    """YAML or JSON: Kubernetes, CloudFormation or a plan, known only from the content."""


def file_kind(path: str) -> FileKind | None:
    """The kind of a file from its path alone, ``None`` when it is not infrastructure as code."""
    name = posixpath.basename(path)
    lower = name.lower()
    if lower.endswith((".tf", ".tfvars")):
        return FileKind.TERRAFORM
    if lower in {"dockerfile", "containerfile"} or lower.startswith("dockerfile.") or lower.endswith(".dockerfile"):
        return FileKind.DOCKERFILE
    if lower.endswith((".yml", ".yaml")):
        if "/.github/workflows/" in f"/{path}":
            return FileKind.GITHUB_ACTIONS
        if lower.endswith("gitlab-ci.yml"):
            return FileKind.GITLAB_CI
        if lower.startswith(("docker-compose", "compose.", "compose-")):
            return FileKind.COMPOSE
        return FileKind.STRUCTURED
    if lower.endswith(".json"):
        return FileKind.STRUCTURED
    return None


_PARSERS: dict[FileKind, Callable[[str, str], InputDocument]] = {
    FileKind.DOCKERFILE: parse_dockerfile,
    FileKind.GITHUB_ACTIONS: parse_github_workflow,
    FileKind.GITLAB_CI: parse_gitlab_ci,
    FileKind.COMPOSE: parse_compose,
}


@dataclass
class Sources:
    """What the files of a scan hold: input documents, and files that could not be parsed."""

    documents: list[InputDocument] = field(default_factory=list)
    errors: list[IacSyntaxError] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    """The text of every file read, for inline suppressions."""


def _structured(text: str, path: str) -> InputDocument | None:
    if path.lower().endswith(".json") and looks_like_plan(text):
        return parse_plan(text, path)
    if looks_like_cloudformation(text):
        return parse_cloudformation(text, path)
    if _KUBERNETES.search(text) and _KIND.search(text):
        return parse_kubernetes(text, path)
    return None


def read_sources(files: Sequence[str], read: Callable[[str], bytes]) -> Sources:
    """Parse every infrastructure-as-code file among ``files``."""
    sources = Sources()

    def text_of(path: str) -> str:
        if path not in sources.texts:
            sources.texts[path] = read(path).decode("utf-8", "replace")
        return sources.texts[path]

    terraform: dict[str, list[str]] = {}
    for path in files:
        kind = file_kind(path)
        if kind is None:
            continue
        if kind is FileKind.TERRAFORM:
            terraform.setdefault(posixpath.dirname(path) or ".", []).append(path)
            continue
        try:
            text = text_of(path)
            document = _structured(text, path) if kind is FileKind.STRUCTURED else _PARSERS[kind](text, path)
        except IacSyntaxError as err:
            sources.errors.append(err)
            continue
        if document is not None and document.elements:
            sources.documents.append(document)
    sources.documents.extend(_terraform(terraform, lambda p: text_of(p).encode("utf-8"), sources.errors))
    return sources


def _terraform(
    directories: dict[str, list[str]], read: Callable[[str], bytes], errors: list[IacSyntaxError]
) -> list[InputDocument]:
    modules: dict[str, TerraformModule] = {}
    for directory, paths in directories.items():
        try:
            modules[directory] = TerraformModule.read(directory, paths, read)
        except IacSyntaxError as err:
            errors.append(err)
    called = {target for module in modules.values() for _, target in module_calls(module)}
    roots = [d for d in sorted(modules) if d not in called]
    return [load_terraform(modules[d], modules) for d in roots if modules[d].blocks]
