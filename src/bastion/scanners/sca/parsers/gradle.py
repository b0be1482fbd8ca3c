"""Gradle dependency lockfiles: ``gradle.lockfile`` and ``gradle/dependency-locks/*.lockfile``.

Each line is ``group:artifact:version=configuration,...``; a package used only by test configurations is
development scope. The lockfile records neither the graph nor which dependencies are direct.
"""

from __future__ import annotations

from bastion.scanners.sca.ecosystem import Ecosystem
from bastion.scanners.sca.package import Package, Scope
from bastion.scanners.sca.parsers.source import LockfileSource

__all__ = ["parse_gradle_lockfile"]


def parse_gradle_lockfile(source: LockfileSource) -> list[Package]:
    """Every locked module in a Gradle lockfile."""
    packages = []
    for number, raw in enumerate(source.text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith("empty="):
            continue
        coordinate, _, configurations = line.partition("=")
        parts = coordinate.split(":")
        if len(parts) != 3 or not all(parts):
            raise source.error(number, f"expected group:artifact:version=configurations, found {line[:80]!r}")
        used_by = [c for c in configurations.split(",") if c]
        test_only = bool(used_by) and all(c.lower().startswith("test") or "test" in c.lower() for c in used_by)
        packages.append(
            Package(
                Ecosystem.MAVEN,
                f"{parts[0]}:{parts[1]}",
                parts[2],
                source.path,
                number,
                Scope.DEV if test_only else Scope.RUNTIME,
            )
        )
    return packages
