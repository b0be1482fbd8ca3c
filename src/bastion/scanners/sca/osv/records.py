"""OSV records: the wire shape of one advisory (https://ossf.github.io/osv-schema/), validated with pydantic.

Unknown fields are ignored rather than forbidden: the schema grows (``upstream``, ``schema_version`` 1.7...)
and an advisory written to a newer schema must still import. Missing or mistyped required fields fail.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["OsvAffected", "OsvEvent", "OsvPackage", "OsvRange", "OsvRecord", "OsvSeverity"]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class OsvEvent(_Wire):
    """One event of a range: exactly one of the four keys is set."""

    introduced: str | None = None
    fixed: str | None = None
    last_affected: str | None = None
    limit: str | None = None


class OsvRange(_Wire):
    """A range of affected versions: ``ECOSYSTEM``, ``SEMVER`` or ``GIT``."""

    type: str
    events: list[OsvEvent]


class OsvPackage(_Wire):
    """The affected package's ecosystem and name."""

    ecosystem: str
    name: str
    purl: str | None = None


class OsvSeverity(_Wire):
    """A severity vector (``CVSS_V3``, ``CVSS_V4``, ``CVSS_V2``) or score."""

    type: str
    score: str


class OsvAffected(_Wire):
    """One affected package with its ranges and explicit versions."""

    package: OsvPackage
    ranges: list[OsvRange] = Field(default_factory=list)
    versions: list[str] = Field(default_factory=list)
    severity: list[OsvSeverity] = Field(default_factory=list)
    database_specific: dict[str, Any] | None = None


class OsvReference(_Wire):
    """A link about the advisory."""

    type: str = "WEB"
    url: str


class OsvRecord(_Wire):
    """One OSV advisory."""

    id: str = Field(min_length=1)
    modified: str
    published: str | None = None
    withdrawn: str | None = None
    aliases: list[str] = Field(default_factory=list)
    upstream: list[str] = Field(default_factory=list)
    summary: str | None = None
    details: str | None = None
    severity: list[OsvSeverity] = Field(default_factory=list)
    affected: list[OsvAffected] = Field(default_factory=list)
    references: list[OsvReference] = Field(default_factory=list)
    database_specific: dict[str, Any] | None = None
