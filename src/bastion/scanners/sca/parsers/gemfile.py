"""``Gemfile.lock`` (and ``gems.locked``): Bundler's lockfile.

``GEM`` specs are the resolved gems, indented four spaces, with their dependencies at six; ``DEPENDENCIES``
lists the direct ones. Gems from ``GIT`` and ``PATH`` sources are not registry packages and are not reported,
but their dependencies are followed, so a registry gem needed only by a local gem gets its path through it.
Platform suffixes (``1.16.3-x86_64-linux``) are dropped from versions. Bundler groups (development, test) live
only in the Gemfile, so scope is not known from the lock.
"""

from __future__ import annotations

import re

from bastion.scanners.sca.digests import Digest, digest_from_hex, unique_digests
from bastion.scanners.sca.ecosystem import Ecosystem
from bastion.scanners.sca.graph import place
from bastion.scanners.sca.package import Package
from bastion.scanners.sca.parsers.source import LockfileSource

__all__ = ["parse_gemfile_lock"]

_SPEC = re.compile(r"^(?P<name>[^\s(!]+)(?: \((?P<version>[^)]*)\))?!?$")
_SOURCES = {"GEM", "GIT", "PATH"}  # sections whose `specs:` list gems; only GEM's come from a gem server
_CHECKSUM = re.compile(r"^(?P<name>[^\s(]+) \((?P<version>[^)]*)\) (?P<digests>\S+)$")
_SECTIONS = {
    "GEM",
    "GIT",
    "PATH",
    "PLATFORMS",
    "DEPENDENCIES",
    "BUNDLED WITH",
    "RUBY VERSION",
    "CHECKSUMS",
    "PLUGIN SOURCE",
}


def parse_gemfile_lock(source: LockfileSource) -> list[Package]:
    """Every gem resolved from a gem server in a ``Gemfile.lock``."""
    section: str | None = None
    specs: list[tuple[str, str, int]] = []  # name, version as written (with any platform), line
    checksums: dict[tuple[str, str], list[Digest | None]] = {}
    edges: dict[str, list[str]] = {}
    direct: list[str] = []
    current: str | None = None
    for number, raw in enumerate(source.text.splitlines(), start=1):
        if not raw.strip():
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        text = raw.strip()
        if indent == 0:
            if text not in _SECTIONS and not text.isupper():
                raise source.error(number, f"unexpected top-level line {text[:60]!r}")
            section, current = text, None
            continue
        match = _SPEC.match(text)
        if section == "DEPENDENCIES" and indent == 2:
            if match is None:
                raise source.error(number, f"malformed dependency {text[:60]!r}")
            direct.append(match["name"])
        elif section in _SOURCES and indent == 4:
            if match is None or not match["version"]:
                raise source.error(number, f"malformed spec {text[:60]!r}")
            current = match["name"]
            if section == "GEM":
                specs.append((current, match["version"], number))
            edges.setdefault(current, [])
        elif section in _SOURCES and indent == 6 and current is not None and match is not None:
            edges[current].append(match["name"])
        elif section == "CHECKSUMS" and indent == 2 and (checksum := _CHECKSUM.match(text)):
            # Bundler 2.5+: `rack (3.0.8) sha256=<hex>`, several comma-separated algorithms possible.
            found = [digest_from_hex(*pair.split("=", 1)) for pair in checksum["digests"].split(",") if "=" in pair]
            checksums[(checksum["name"], checksum["version"])] = found
    placed = place(direct, [], edges)
    return [
        Package(
            Ecosystem.RUBYGEMS,
            name,
            version.split("-", 1)[0],
            source.path,
            line,
            direct=placed[name].direct if name in placed else (False if direct else None),
            path=placed[name].path if name in placed else (),
            digests=unique_digests(checksums.get((name, version), ())),
        )
        for name, version, line in specs
    ]
