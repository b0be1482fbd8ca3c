"""The advisory as the matcher sees it: identity, aliases, severity, and one package's affected ranges."""

from __future__ import annotations

from dataclasses import dataclass

from bastion.scanners.sca.osv.severity import AdvisorySeverity
from bastion.scanners.sca.ranges import AffectedRange

__all__ = ["Advisory", "AffectedPackage"]


@dataclass(frozen=True, slots=True)
class Advisory:
    """One stored OSV advisory, without its per-package data."""

    id: str
    """The OSV id (``PYSEC-2023-74``, ``GHSA-...``, ``RUSTSEC-...``)."""
    aliases: tuple[str, ...]
    """Other ids for the same vulnerability (CVE, GHSA...)."""
    summary: str
    """One line about it (the summary, or the first line of the details)."""
    severity: AdvisorySeverity
    """Its severity and CVSS score."""
    cwes: tuple[int, ...] = ()
    """CWE numbers, when the advisory names them."""
    help_uri: str = ""
    """Where to read it."""
    modified: str = ""
    """When it last changed (RFC 3339)."""


@dataclass(frozen=True, slots=True)
class AffectedPackage:
    """What one advisory says about one package."""

    advisory: Advisory
    """The advisory."""
    ecosystem: str
    """The OSV ecosystem string (``PyPI``, ``Debian:11``)."""
    name: str
    """The package name, normalised for its ecosystem."""
    ranges: AffectedRange
    """Its affected ranges and versions."""
