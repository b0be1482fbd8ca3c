"""``go.mod`` (and ``go.sum`` alone): Go modules.

``require`` lines are the build list from Go 1.17 on; ``// indirect`` marks transitive modules. ``replace``
directives that point at another module version are applied (local-path replacements leave the module
unversioned, so it is skipped). A ``go.sum`` without a ``go.mod`` beside it lists every module version whose
code was downloaded.
"""

from __future__ import annotations

import re

from bastion.scanners.sca.ecosystem import Ecosystem
from bastion.scanners.sca.package import Package
from bastion.scanners.sca.parsers.source import LockfileSource

__all__ = ["parse_go_mod", "parse_go_sum"]

_REQUIRE = re.compile(r"^(?P<path>\S+)\s+(?P<version>v\S+)(?P<rest>.*)$")
_REPLACE = re.compile(r"^(?P<old>\S+)(\s+(?P<oldv>v\S+))?\s+=>\s+(?P<new>\S+)(\s+(?P<newv>v\S+))?\s*$")
_DIRECTIVES = {"module", "go", "toolchain", "require", "replace", "exclude", "retract", "godebug", "tool", "ignore"}


def parse_go_mod(source: LockfileSource) -> list[Package]:
    """Every module required by a ``go.mod``, with ``replace`` directives applied."""
    required: list[tuple[str, str, bool, int]] = []
    replaced: dict[tuple[str, str | None], tuple[str, str | None]] = {}
    block: str | None = None
    for number, raw in enumerate(source.text.splitlines(), start=1):
        line = raw.split("//", 1)[0].strip() if "// indirect" not in raw else raw.strip()
        if not line or line.startswith("//"):
            continue
        if block is not None:
            if line == ")":
                block = None
                continue
            _directive(source, block, line, number, required, replaced)
            continue
        word, _, rest = line.partition(" ")
        if word not in _DIRECTIVES:
            raise source.error(number, f"unknown directive {word!r}")
        if rest.strip() == "(":
            block = word
        elif word in ("require", "replace"):
            _directive(source, word, rest.strip(), number, required, replaced)
    packages = []
    for path, version, indirect, number in required:
        target = replaced.get((path, version)) or replaced.get((path, None))
        if target is not None:
            if target[1] is None:
                continue  # replaced by a local directory: not a published version
            path, version = target[0], target[1]
        packages.append(Package(Ecosystem.GO, path, version, source.path, number, direct=not indirect))
    return packages


def _directive(
    source: LockfileSource,
    kind: str,
    line: str,
    number: int,
    required: list[tuple[str, str, bool, int]],
    replaced: dict[tuple[str, str | None], tuple[str, str | None]],
) -> None:
    if kind == "require":
        match = _REQUIRE.match(line)
        if match is None:
            raise source.error(number, f"malformed require: {line[:80]!r}")
        required.append((match["path"].strip('"'), match["version"], "// indirect" in match["rest"], number))
    elif kind == "replace":
        match = _REPLACE.match(line.split("//", 1)[0].strip())
        if match is None:
            raise source.error(number, f"malformed replace: {line[:80]!r}")
        replaced[(match["old"], match["oldv"])] = (match["new"], match["newv"])


def parse_go_sum(source: LockfileSource) -> list[Package]:
    """Every module version whose code a ``go.sum`` records (``/go.mod``-only lines are skipped)."""
    if source.sibling("go.mod") is not None:
        return []  # go.mod is the build list; go.sum also holds versions that were pruned away
    packages: dict[tuple[str, str], Package] = {}
    for number, raw in enumerate(source.text.splitlines(), start=1):
        parts = raw.split()
        if not parts:
            continue
        if len(parts) != 3 or not parts[1].startswith("v"):
            raise source.error(number, f"malformed go.sum line: {raw[:80]!r}")
        if parts[1].endswith("/go.mod"):
            continue
        packages.setdefault((parts[0], parts[1]), Package(Ecosystem.GO, parts[0], parts[1], source.path, number))
    return list(packages.values())
