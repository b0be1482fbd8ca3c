"""Cross-tool dedup: the rule that decides when a finding reported by one tool is one already reported by another.

Two findings are the same issue when they come from different tools and share one of these keys:

1. **Vulnerability**: the same package (package URL without qualifiers; PyPI names normalised) and an advisory id
   in common between their rule ids and aliases (``PYSEC-2018-28`` aliases ``CVE-2018-18074``, trivy's rule).
2. **Secret**: the same file and the same secret SHA-256 (importers and bastion's scanner put ``sha256 <hex>``
   in the message).
3. **Location and family**: the same file, a rule family in common (``families.py``: CWE numbers and
   normalised rule ids of each tool), and lines that meet: ranges overlapping once widened by two lines
   (``_SLACK``), by none for secrets (two keys on adjacent lines are two leaks). A finding without lines
   (file level) meets every finding of its family in the file.

Findings of the same tool are never merged here: a tool's own identity for its findings (the fingerprint) is
the authority on whether two of its reports are one. The first finding recorded with a key is the canonical one;
later ones become further sources of it.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Set
from dataclasses import dataclass

from bastion.model import Finding
from bastion.store.families import SECRET_FAMILY, families_of

__all__ = ["DedupIndex", "Keys", "keys_of", "normalise_purl"]

_SLACK = 2
_ADVISORY = re.compile(
    r"^(CVE-\d{4}-\d+|GHSA(-[0-9a-z]{4}){3}|PYSEC-\d{4}-\d+|[A-Z][A-Z0-9]+-\d{4}-[\w-]+)$", re.IGNORECASE
)
_PYPI_SEPARATORS = re.compile(r"[-_.]+")
_SECRET_HASH = re.compile(r"\bsha256 ([0-9a-f]{64})\b")
_WHOLE_FILE = (0, 1 << 31)
_families_of = functools.lru_cache(maxsize=4096)(families_of)
"""``families_of`` once per rule and CWE list: a big report repeats a few rules."""


@dataclass(frozen=True, slots=True)
class Keys:
    """What dedup compares: exact keys, and (file, family) pairs with a line range."""

    exact: frozenset[str]
    near: frozenset[str]
    lines: tuple[int, int]
    slack: int


def normalise_purl(purl: str) -> str:
    """``pkg:pypi/PyYAML@5.3?x=y`` → ``pkg:pypi/pyyaml@5.3``: no qualifiers or subpath, lower-case names."""
    core = purl.split("#", 1)[0].split("?", 1)[0]
    name, _, version = core.partition("@")
    kind = name.removeprefix("pkg:").split("/", 1)[0].lower()
    name = name.lower()
    if kind == "pypi":
        head, _, last = name.rpartition("/")
        name = f"{head}/{_PYPI_SEPARATORS.sub('-', last)}"
    return f"{name}@{version}" if version else name


def keys_of(finding: Finding) -> Keys:
    """The dedup keys of a finding (see the module docstring)."""
    location = finding.location
    exact: set[str] = set()
    if location.package:
        package = normalise_purl(location.package)
        ids = {finding.rule_id, *finding.aliases}
        exact.update(f"vuln|{package}|{i.upper()}" for i in ids if _ADVISORY.match(i))
    path = location.path or ""
    secret = _SECRET_HASH.search(finding.message)
    if secret:
        exact.add(f"secret|{path}|{secret[1]}")
    near: frozenset[str] = frozenset()
    families = _families_of(finding.rule_id, finding.cwe)
    if location.path and not location.package:
        near = frozenset(f"{path}|{family}" for family in families)
    if location.start_line:
        lines = (location.start_line, max(location.end_line or 0, location.start_line))
    else:
        lines = _WHOLE_FILE
    slack = 0 if SECRET_FAMILY in families else _SLACK
    return Keys(frozenset(exact), near, lines, slack)


def _meet(a: tuple[int, int], b: tuple[int, int], slack: int) -> bool:
    return a[0] - slack <= b[1] and b[0] - slack <= a[1]


class DedupIndex:
    """The canonical findings of a project by key; ``match`` finds the one a new report duplicates."""

    def __init__(self) -> None:
        self._exact: dict[str, list[str]] = defaultdict(list)
        self._near: dict[str, list[tuple[tuple[int, int], int, str]]] = defaultdict(list)
        self._tools: dict[str, set[str]] = defaultdict(set)
        self._all_tools: set[str] = set()
        """Every tool indexed: while it is only the finding's own tool (a first import), nothing can match."""

    def add(self, finding: Finding, fingerprint: str, tools: Set[str] = frozenset(), keys: Keys | None = None) -> None:
        """Index ``finding`` as (a source of) the canonical finding ``fingerprint``."""
        known = fingerprint in self._tools
        self._tools[fingerprint].update({finding.tool, *tools})
        self._all_tools.update({finding.tool, *tools})
        if known:
            return
        keys = keys or keys_of(finding)
        for key in keys.exact:
            self._exact[key].append(fingerprint)
        for key in keys.near:
            self._near[key].append((keys.lines, keys.slack, fingerprint))

    def add_tool(self, fingerprint: str, tool: str) -> None:
        """Record that ``tool`` reports the canonical finding ``fingerprint`` too."""
        self._tools[fingerprint].add(tool)
        self._all_tools.add(tool)

    def resolve(self, finding: Finding) -> str:
        """The canonical finding ``finding`` duplicates, or its own fingerprint after indexing it as a new one."""
        keys = keys_of(finding)
        target = self.match(finding, keys)
        if target is None:
            self.add(finding, finding.fingerprint, keys=keys)
            return finding.fingerprint
        self.add_tool(target, finding.tool)
        return target

    def match(self, finding: Finding, keys: Keys | None = None) -> str | None:
        """The canonical finding ``finding`` duplicates, or ``None``; exact keys first, then the nearest lines."""
        if len(self._all_tools) < 2 and (not self._all_tools or finding.tool in self._all_tools):
            return None  # a tool's findings are never merged with each other
        keys = keys or keys_of(finding)
        for key in sorted(keys.exact):
            for fingerprint in self._exact.get(key, ()):
                if finding.tool not in self._tools[fingerprint]:
                    return fingerprint
        best: tuple[int, str] | None = None
        for key in sorted(keys.near):
            for lines, slack, fingerprint in self._near.get(key, ()):
                if finding.tool in self._tools[fingerprint]:
                    continue
                if _meet(lines, keys.lines, min(slack, keys.slack)):
                    distance = abs(lines[0] - keys.lines[0])
                    if best is None or distance < best[0]:
                        best = (distance, fingerprint)
        return best[1] if best else None
