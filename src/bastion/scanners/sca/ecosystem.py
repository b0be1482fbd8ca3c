"""Ecosystems: the package worlds bastion knows, with their OSV names, purl types and name normalisation."""

from __future__ import annotations

import re
from enum import StrEnum

__all__ = ["Ecosystem", "normalise_name"]

_PEP503 = re.compile(r"[-_.]+")


class Ecosystem(StrEnum):
    """A package ecosystem; the value is OSV's ``affected[].package.ecosystem`` string."""

    PYPI = "PyPI"
    NPM = "npm"
    GO = "Go"
    CRATES_IO = "crates.io"
    RUBYGEMS = "RubyGems"
    PACKAGIST = "Packagist"
    MAVEN = "Maven"
    NUGET = "NuGet"
    DEBIAN = "Debian"
    ALPINE = "Alpine"

    @property
    def purl_type(self) -> str:
        """The package-URL type (``pkg:<type>/...``)."""
        return _PURL_TYPES[self]

    @classmethod
    def of_osv(cls, text: str) -> Ecosystem | None:
        """The ecosystem of an OSV ecosystem string (``Debian:11`` is Debian); ``None`` when unknown."""
        base = text.split(":", 1)[0]
        try:
            return cls(base)
        except ValueError:
            return None


_PURL_TYPES = {
    Ecosystem.PYPI: "pypi",
    Ecosystem.NPM: "npm",
    Ecosystem.GO: "golang",
    Ecosystem.CRATES_IO: "cargo",
    Ecosystem.RUBYGEMS: "gem",
    Ecosystem.PACKAGIST: "composer",
    Ecosystem.MAVEN: "maven",
    Ecosystem.NUGET: "nuget",
    Ecosystem.DEBIAN: "deb",
    Ecosystem.ALPINE: "apk",
}


def normalise_name(ecosystem: Ecosystem, name: str) -> str:
    """The name under which a package is stored and looked up.

    PyPI names follow PEP 503 (``Jinja2`` and ``jinja_2`` are the same project); npm, crates.io, RubyGems,
    Packagist and NuGet names are compared case-insensitively by their registries; Go module paths, Maven
    coordinates and distribution package names are kept as written, since case is significant there.
    """
    if ecosystem is Ecosystem.PYPI:
        return _PEP503.sub("-", name.strip()).lower()
    if ecosystem in (Ecosystem.NPM, Ecosystem.CRATES_IO, Ecosystem.RUBYGEMS, Ecosystem.PACKAGIST, Ecosystem.NUGET):
        return name.strip().lower()
    return name.strip()
