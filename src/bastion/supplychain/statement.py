"""The in-toto Statement v1: subjects (artifacts by digest), a predicate type and the predicate it binds to them.

See https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md. Statements are parsed strictly: an
unknown top-level field, a subject without a digest or a missing predicate is an error naming the source.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bastion.supplychain.errors import SupplyChainError

__all__ = ["STATEMENT_TYPE", "ResourceDescriptor", "Statement", "parse_statement", "statement_for", "subject_of"]

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"


class ResourceDescriptor(BaseModel):
    """An artifact or material: a name and/or URI with its digests (the v1 ResourceDescriptor)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name: str | None = None
    uri: str | None = None
    digest: dict[str, str] = Field(default_factory=dict)
    """Algorithm → lowercase hex (``sha256``) or another encoding the algorithm defines (``gitCommit``)."""
    content: str | None = None
    download_location: str | None = Field(default=None, alias="downloadLocation")
    media_type: str | None = Field(default=None, alias="mediaType")
    annotations: dict[str, Any] | None = None


class Statement(BaseModel):
    """An in-toto Statement v1."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    type: Literal["https://in-toto.io/Statement/v1"] = Field(default="https://in-toto.io/Statement/v1", alias="_type")
    subject: tuple[ResourceDescriptor, ...] = Field(min_length=1)
    predicate_type: str = Field(alias="predicateType", min_length=1)
    predicate: dict[str, Any]

    def to_bytes(self) -> bytes:
        """Compact JSON with the wire names: the payload to sign."""
        return self.model_dump_json(by_alias=True, exclude_none=True).encode()

    def names_digest(self, algorithm: str, value: str) -> bool:
        """True when one of the subjects has this digest."""
        return any(s.digest.get(algorithm, "").lower() == value.lower() for s in self.subject)


def statement_for(subjects: Sequence[ResourceDescriptor], predicate_type: str, predicate: dict[str, Any]) -> Statement:
    """A statement binding ``predicate`` to ``subjects``."""
    return Statement(subject=tuple(subjects), predicate_type=predicate_type, predicate=predicate)


def subject_of(path: Path, name: str | None = None) -> ResourceDescriptor:
    """The subject for a file: its name and SHA-256."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError as err:
        raise SupplyChainError(f"{path}: cannot read artifact: {err.strerror}") from err
    return ResourceDescriptor(name=name or path.name, digest={"sha256": digest.hexdigest()})


def parse_statement(payload: bytes, source: str) -> Statement:
    """Read a statement from a verified payload; ``SupplyChainError`` naming ``source`` when it is not one."""
    try:
        document = json.loads(payload)
    except ValueError as err:
        raise SupplyChainError(f"{source}: payload is not JSON: {err}") from err
    try:
        statement = Statement.model_validate(document)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "statement"
        raise SupplyChainError(f"{source}: not an in-toto Statement v1: {where}: {first['msg']}") from err
    for index, subject in enumerate(statement.subject):
        if not subject.digest:
            raise SupplyChainError(f"{source}: not an in-toto Statement v1: subject {index} has no digest")
    return statement
