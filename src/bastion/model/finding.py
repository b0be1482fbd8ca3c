"""The finding: one problem reported by one control at one place, in bastion's common shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NewType

from bastion.model.severity import Confidence, Severity

__all__ = ["Finding", "FindingId", "Location"]

FindingId = NewType("FindingId", str)
"""The short, stable id of a finding: the first 12 hex digits of its fingerprint."""


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding is: a file and lines, and/or a commit or a package."""

    path: str | None = None
    """Path relative to the scanned repository's root, with ``/`` separators."""
    start_line: int | None = None
    """First line (1-based) of the flagged code."""
    end_line: int | None = None
    """Last line (1-based, inclusive) of the flagged code; equals ``start_line`` for one line."""
    start_column: int | None = None
    """Column (1-based) where the flagged code starts, when the tool knows it."""
    commit: str | None = None
    """The commit that introduced the finding, for history scans."""
    package: str | None = None
    """A package URL (purl) for dependency findings."""

    def describe(self) -> str:
        """``path:line`` (or the package URL, or ``-``) for one-line displays."""
        if self.path is not None:
            return f"{self.path}:{self.start_line}" if self.start_line else self.path
        return self.package or self.commit or "-"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found by one control. Frozen: change one with ``dataclasses.replace``."""

    control: str
    """Id of the pipeline control that produced it (``sast``, ``secrets``, ``semgrep``...)."""
    tool: str
    """The tool that found it (``bandit``, ``bastion-secrets``, ``semgrep``...)."""
    rule_id: str
    """The tool's id for the rule (``B602``, ``aws-access-key-id``...)."""
    title: str
    """Short human title of the rule."""
    severity: Severity
    """How bad it is if real."""
    location: Location
    """Where it is."""
    message: str = ""
    """What the tool said about this occurrence."""
    confidence: Confidence = Confidence.MEDIUM
    """How sure the tool is."""
    cwe: tuple[int, ...] = ()
    """CWE numbers (``89`` for SQL injection)."""
    aliases: tuple[str, ...] = ()
    """Advisory ids for the same problem (CVE, GHSA, PYSEC...)."""
    remediation: str = ""
    """How to fix it."""
    evidence: str = ""
    """A masked excerpt; never a secret in full."""
    help_uri: str = ""
    """Where to read more about the rule."""
    fingerprint: str = ""
    """Stable identity across runs (hex SHA-256); filled by the engine when the scanner leaves it empty."""
    tags: tuple[str, ...] = field(default=())
    """Free labels (``test-code``, ``dev-dependency``...)."""

    @property
    def id(self) -> FindingId:
        """The short id users type: 12 hex digits of the fingerprint."""
        return FindingId(self.fingerprint[:12])
