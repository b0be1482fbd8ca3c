"""The package: one pinned dependency found in a manifest, lockfile or installed environment."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote

from bastion.scanners.sca.digests import Digest
from bastion.scanners.sca.ecosystem import Ecosystem, normalise_name

__all__ = ["Package", "Scope"]


class Scope(StrEnum):
    """Whether a package ships with the product or is only used to develop, build or test it."""

    RUNTIME = "runtime"
    DEV = "dev"
    OPTIONAL = "optional"


@dataclass(frozen=True, slots=True)
class Package:
    """A pinned package and where it came from."""

    ecosystem: Ecosystem
    """The ecosystem whose version rules apply."""
    name: str
    """The name as written (``Jinja2``, ``@babel/core``, ``org.apache.commons:commons-text``)."""
    version: str
    """The exact version pinned or installed, as written (Go keeps its ``v``)."""
    source: str
    """The manifest or lockfile it was read from, relative to the scanned root."""
    line: int | None = None
    """The line (1-based) of its entry in ``source``, when known."""
    scope: Scope = Scope.RUNTIME
    """Runtime, development or optional."""
    direct: bool | None = None
    """True for a direct dependency, False for a transitive one, None when the format does not say."""
    path: tuple[str, ...] = ()
    """Names from a direct dependency down to this package (ending with it), for transitive packages."""
    licence: str | None = None
    """SPDX expression of its declared licence, when the data records one."""
    distro: str | None = None
    """The OSV ecosystem suffix for distribution packages (``11`` for ``Debian:11``)."""
    digests: tuple[Digest, ...] = ()
    """Digests of its distribution files that the lockfile records (for SBOM hashes)."""

    @property
    def key(self) -> str:
        """The normalised name used for store look-ups."""
        return normalise_name(self.ecosystem, self.name)

    @property
    def osv_ecosystem(self) -> str:
        """The OSV ecosystem string, with the distribution release when there is one."""
        return f"{self.ecosystem.value}:{self.distro}" if self.distro else self.ecosystem.value

    @property
    def purl(self) -> str:
        """The package URL with its version (``pkg:pypi/jinja2@2.10``)."""
        return f"{self.purl_without_version}@{quote(self.version, safe='+')}"

    @property
    def purl_without_version(self) -> str:
        """The package URL without a version: the package's identity across upgrades."""
        kind = self.ecosystem.purl_type
        name = self.name
        if self.ecosystem is Ecosystem.PYPI:
            name = normalise_name(Ecosystem.PYPI, name)
        elif self.ecosystem is Ecosystem.MAVEN and ":" in name:
            group, artifact = name.split(":", 1)
            return f"pkg:maven/{quote(group)}/{quote(artifact)}"
        elif self.ecosystem is Ecosystem.DEBIAN:
            return f"pkg:deb/debian/{quote(name)}"
        elif self.ecosystem is Ecosystem.ALPINE:
            return f"pkg:apk/alpine/{quote(name)}"
        if name.startswith("@") and "/" in name:  # npm scope is a purl namespace, its @ percent-encoded
            scope, rest = name.split("/", 1)
            return f"pkg:{kind}/%40{quote(scope[1:])}/{quote(rest)}"
        return f"pkg:{kind}/" + "/".join(quote(part) for part in name.split("/"))

    @property
    def tags(self) -> tuple[str, ...]:
        """Labels for findings: ``dev-dependency``, ``transitive``..."""
        tags: list[str] = []
        if self.scope is Scope.DEV:
            tags.append("dev-dependency")
        elif self.scope is Scope.OPTIONAL:
            tags.append("optional-dependency")
        if self.direct is False:
            tags.append("transitive")
        elif self.direct:
            tags.append("direct")
        return tuple(tags)
