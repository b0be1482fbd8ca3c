"""The matcher: packages against the store, advisories grouped by alias, and the upgrade that clears them all.

Advisories for one package that share an id or alias (PYSEC-2023-74 = CVE-2023-32681 = GHSA-j8r2-6x86-q33q)
are one vulnerability. The fix is the smallest ``fixed`` version above the installed one that no matched
advisory still affects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bastion.model import Severity
from bastion.scanners.sca.osv.advisory import Advisory, AffectedPackage
from bastion.scanners.sca.osv.store import VulnStore
from bastion.scanners.sca.package import Package
from bastion.scanners.sca.ranges import fixed_after, is_affected
from bastion.scanners.sca.versions import parse_version

__all__ = ["PackageMatch", "Vulnerability", "match_packages"]

_ID_PREFERENCE = ("CVE-", "GHSA-")


@dataclass(frozen=True, slots=True)
class Vulnerability:
    """One vulnerability: the advisories (and their aliases) that describe it."""

    advisories: tuple[Advisory, ...]
    """The matched advisories, by id."""

    @property
    def ids(self) -> tuple[str, ...]:
        """Every advisory id and alias, sorted."""
        return tuple(sorted({i for a in self.advisories for i in (a.id, *a.aliases)}))

    @property
    def primary_id(self) -> str:
        """The id shown and fingerprinted: the first CVE, else GHSA, else the first advisory id.

        CVE ids are shared by every database, so the identity of a finding survives a new source being added.
        """
        ids = self.ids
        for prefix in _ID_PREFERENCE:
            chosen = [i for i in ids if i.startswith(prefix)]
            if chosen:
                return chosen[0]
        return min(a.id for a in self.advisories)

    @property
    def advisory_ids(self) -> tuple[str, ...]:
        """The ids of the stored advisories themselves."""
        return tuple(sorted(a.id for a in self.advisories))

    @property
    def score(self) -> float | None:
        """The highest CVSS score among the advisories."""
        scores = [a.severity.score for a in self.advisories if a.severity.score is not None]
        return max(scores) if scores else None

    @property
    def severity(self) -> Severity | None:
        """The worst severity among the advisories."""
        found = [a.severity.severity for a in self.advisories if a.severity.severity is not None]
        return max(found, key=lambda s: s.rank) if found else None


@dataclass(frozen=True, slots=True)
class PackageMatch:
    """A vulnerable package: what affects it and the upgrade that fixes all of it."""

    package: Package
    """The package."""
    vulnerabilities: tuple[Vulnerability, ...]
    """The vulnerabilities, sorted by primary id."""
    fix: str | None
    """The smallest version that clears every vulnerability, or ``None`` when there is none."""
    fixes: dict[str, str | None]
    """Per vulnerability (primary id): the smallest version that clears that one."""


def match_packages(store: VulnStore, packages: Iterable[Package]) -> list[PackageMatch]:
    """Every package affected by at least one non-withdrawn advisory."""
    by_ecosystem: dict[str, dict[str, list[Package]]] = {}
    for package in packages:
        by_ecosystem.setdefault(package.osv_ecosystem, {}).setdefault(package.key, []).append(package)
    matches = []
    for ecosystem, by_name in by_ecosystem.items():
        candidates = store.affected(ecosystem, sorted(by_name))
        for name, affected in candidates.items():
            for package in by_name.get(name, ()):
                hit = [a for a in affected if is_affected(package.ecosystem, package.version, a.ranges)]
                if hit:
                    matches.append(_match(package, hit))
    return matches


def _match(package: Package, hits: Sequence[AffectedPackage]) -> PackageMatch:
    keyed = [(v.primary_id, v) for v in (Vulnerability(tuple(sorted(g, key=lambda a: a.id))) for g in _group(hits))]
    keyed.sort(key=lambda pair: pair[0])
    by_advisory: dict[str, list[AffectedPackage]] = {}
    for hit in hits:
        by_advisory.setdefault(hit.advisory.id, []).append(hit)
    fixes = {}
    for primary, vulnerability in keyed:
        own = [h for a in vulnerability.advisories for h in by_advisory[a.id]]
        fixes[primary] = _smallest_fix(package, own)
    overall = _smallest_fix(package, hits) if len(keyed) > 1 else fixes[keyed[0][0]]
    return PackageMatch(package, tuple(v for _, v in keyed), overall, fixes)


def _group(hits: Sequence[AffectedPackage]) -> list[list[Advisory]]:
    """Union advisories that share an id or alias."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    advisories = {h.advisory.id: h.advisory for h in hits}
    for advisory in advisories.values():
        for alias in advisory.aliases:
            parent[root(alias)] = root(advisory.id)
    groups: dict[str, list[Advisory]] = {}
    for advisory in advisories.values():
        groups.setdefault(root(advisory.id), []).append(advisory)
    return list(groups.values())


def _smallest_fix(package: Package, hits: Sequence[AffectedPackage]) -> str | None:
    ecosystem = package.ecosystem
    per_hit = [fixed_after(ecosystem, package.version, h.ranges) for h in hits]
    if not all(per_hit):
        return None  # some advisory has no fix above this version

    def key(version: str) -> _SortKey:
        return _SortKey(parse_version(ecosystem, version))

    if len(per_hit) == 1 and len(per_hit[0]) == 1:
        only = per_hit[0][0]
        return None if is_affected(ecosystem, only, hits[0].ranges) else only
    # Every version between the installed one and an advisory's first fix is still affected by it, so no
    # candidate below the largest of those first fixes can clear them all: start there.
    lowest = max(key(min(fixes, key=key)) for fixes in per_hit)
    candidates = {v for fixes in per_hit for v in fixes if not key(v) < lowest}
    for candidate in sorted(candidates, key=key):
        if not any(is_affected(ecosystem, candidate, h.ranges) for h in hits):
            return candidate
    return None


class _SortKey:
    """Orders parsed versions; ``fixed_after`` only returns parseable ones."""

    __slots__ = ("version",)

    def __init__(self, version: object) -> None:
        self.version = version

    def __lt__(self, other: _SortKey) -> bool:
        return bool(self.version < other.version)  # type: ignore[operator]
