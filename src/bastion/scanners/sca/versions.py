"""Versions: each ecosystem's own ordering, from ``packaging`` (PEP 440) and ``univers`` (everything else).

PyPI uses PEP 440 (epochs, pre-, post-, dev- and local versions); npm and crates.io SemVer; Go SemVer with its
``v`` prefix, ``+incompatible`` and pseudo-versions; Maven, RubyGems, Composer, NuGet, Debian and Alpine their
own orderings. A version an ecosystem cannot parse is ``None``: it can only match an advisory's explicit list.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Protocol

from packaging.version import InvalidVersion, Version
from univers import versions as univers_versions

from bastion.scanners.sca.ecosystem import Ecosystem
from bastion.scanners.sca.sortkeys import apk_key, dpkg_key, gem_key, semver_key

__all__ = ["Comparable", "parse_version", "same_version"]


class Comparable(Protocol):
    """A parsed version: totally ordered within its ecosystem."""

    def __lt__(self, other: Any, /) -> bool: ...
    def __le__(self, other: Any, /) -> bool: ...
    def __gt__(self, other: Any, /) -> bool: ...
    def __ge__(self, other: Any, /) -> bool: ...


_UNIVERS: dict[Ecosystem, type[univers_versions.Version]] = {
    Ecosystem.NPM: univers_versions.SemverVersion,
    Ecosystem.CRATES_IO: univers_versions.SemverVersion,
    Ecosystem.GO: univers_versions.SemverVersion,
    Ecosystem.MAVEN: univers_versions.MavenVersion,
    Ecosystem.RUBYGEMS: univers_versions.RubygemsVersion,
    Ecosystem.PACKAGIST: univers_versions.ComposerVersion,
    Ecosystem.NUGET: univers_versions.NugetVersion,
    Ecosystem.DEBIAN: univers_versions.DebianVersion,
    Ecosystem.ALPINE: univers_versions.AlpineLinuxVersion,
}


@lru_cache(maxsize=1 << 18)
def parse_version(ecosystem: Ecosystem, text: str) -> Comparable | None:
    """``text`` parsed with ``ecosystem``'s rules; ``None`` when it is not a valid version there."""
    text = _canonical(ecosystem, text)
    if ecosystem is Ecosystem.PYPI:
        try:
            return Version(text)
        except InvalidVersion:
            return None
    try:
        parsed: Any = _UNIVERS[ecosystem](text)
    except Exception:  # univers raises InvalidVersion, ValueError or TypeError depending on the scheme
        return None
    if ecosystem in (Ecosystem.NPM, Ecosystem.CRATES_IO, Ecosystem.GO, Ecosystem.PACKAGIST):
        return semver_key(parsed.value)
    if ecosystem is Ecosystem.RUBYGEMS:
        return gem_key(parsed.value)
    if ecosystem is Ecosystem.DEBIAN:
        return dpkg_key(text)
    if ecosystem is Ecosystem.ALPINE:
        key = apk_key(text)
        if key is not None:
            return key
        return parsed  # type: ignore[no-any-return]
    return parsed  # type: ignore[no-any-return]


def _canonical(ecosystem: Ecosystem, text: str) -> str:
    text = text.strip()
    if ecosystem is Ecosystem.GO:
        # OSV writes Go versions without the "v"; "+incompatible" marks a v2+ module without /v2 and orders
        # like the plain version.
        return text.removeprefix("v").removesuffix("+incompatible")
    if ecosystem in (Ecosystem.PACKAGIST, Ecosystem.NPM):
        return text.removeprefix("v")
    return text


def same_version(ecosystem: Ecosystem, left: str, right: str) -> bool:
    """True when two spellings name the same version (``1.0`` and ``1.0.0`` under PEP 440)."""
    if _canonical(ecosystem, left) == _canonical(ecosystem, right):
        return True
    a, b = parse_version(ecosystem, left), parse_version(ecosystem, right)
    return a is not None and b is not None and a == b
