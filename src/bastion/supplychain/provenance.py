"""SLSA provenance v1: which builder built an artifact from which repository, commit and lockfiles.

See https://slsa.dev/spec/v1.0/provenance. The materials (``resolvedDependencies``) are the source commit and
every lockfile or manifest the SCA inventory reads, each with its SHA-256.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bastion.supplychain.errors import SupplyChainError
from bastion.supplychain.statement import ResourceDescriptor, subject_of

__all__ = [
    "BUILD_TYPE",
    "BuildSource",
    "ProvenanceFacts",
    "head_commit",
    "provenance_predicate",
    "read_provenance",
    "source_of",
]

BUILD_TYPE = "https://bastion.dev/buildtypes/bastion-attest/v1"


@dataclass(frozen=True, slots=True)
class BuildSource:
    """Where a build came from."""

    repository: str
    """The source repository's URI."""
    commit: str | None
    """The commit built (hex), when known."""
    materials: tuple[ResourceDescriptor, ...]
    """Lockfiles and manifests with their SHA-256."""


@dataclass(frozen=True, slots=True)
class ProvenanceFacts:
    """What ``verify`` reads from a provenance predicate."""

    builder_id: str
    repository: str | None
    commit: str | None


def source_of(root: Path, repository: str | None = None, commit: str | None = None) -> BuildSource:
    """The source of a build in ``root``: the git remote and HEAD unless given, and the lockfiles found."""
    from bastion.scanners.sca import files_under

    repository = repository or _git(root, "remote", "get-url", "origin") or root.resolve().as_uri()
    commit = commit or _git(root, "rev-parse", "HEAD")
    base, files = files_under(root)
    materials = tuple(subject_of(base / name, name) for name in files)
    return BuildSource(repository, commit, materials)


def provenance_predicate(
    source: BuildSource, builder_id: str, started: datetime, finished: datetime | None = None
) -> dict[str, Any]:
    """The SLSA provenance v1 predicate for a build of ``source`` by ``builder_id``."""
    commit = {"gitCommit": source.commit} if source.commit else {}
    code = ResourceDescriptor(uri=f"git+{source.repository}", digest=commit)
    resolved = [code, *source.materials]
    return {
        "buildDefinition": {
            "buildType": BUILD_TYPE,
            "externalParameters": {"repository": source.repository, "commit": source.commit},
            "internalParameters": {},
            "resolvedDependencies": [r.model_dump(by_alias=True, exclude_none=True) for r in resolved],
        },
        "runDetails": {
            "builder": {"id": builder_id},
            "metadata": {"startedOn": _timestamp(started), "finishedOn": _timestamp(finished or started)},
        },
    }


class _Builder(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str = Field(min_length=1)


class _RunDetails(BaseModel):
    model_config = ConfigDict(extra="ignore")
    builder: _Builder


class _BuildDefinition(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    build_type: str = Field(alias="buildType")
    external_parameters: dict[str, Any] = Field(alias="externalParameters")


class _Provenance(BaseModel):
    # Other builders' provenance carries fields of their own build types: read what we need, ignore the rest.
    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    build_definition: _BuildDefinition = Field(alias="buildDefinition")
    run_details: _RunDetails = Field(alias="runDetails")


def read_provenance(predicate: dict[str, Any], source: str) -> ProvenanceFacts:
    """The builder, repository and commit of a provenance predicate; ``SupplyChainError`` when malformed."""
    try:
        parsed = _Provenance.model_validate(predicate)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise SupplyChainError(f"{source}: malformed SLSA provenance: {where}: {first['msg']}") from err
    parameters = parsed.build_definition.external_parameters
    repository = parameters.get("repository")
    if isinstance(repository, dict):  # GitHub Actions' build type nests it: {"workflow": {"repository": ...}}
        repository = repository.get("uri")
    workflow = parameters.get("workflow")
    if repository is None and isinstance(workflow, dict):
        repository = workflow.get("repository")
    commit = parameters.get("commit")
    return ProvenanceFacts(
        builder_id=parsed.run_details.builder.id,
        repository=repository if isinstance(repository, str) else None,
        commit=commit if isinstance(commit, str) else None,
    )


def head_commit(root: Path) -> str | None:
    """The commit checked out in ``root``, or ``None`` outside a git work tree."""
    return _git(root, "rev-parse", "HEAD")


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    output = done.stdout.strip()
    return output if done.returncode == 0 and output else None


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
