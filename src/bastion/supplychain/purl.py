"""Package URLs back to packages: what an SBOM lists, in the shape the SCA matcher looks up."""

from __future__ import annotations

from bastion.scanners.sca import Ecosystem, Package

__all__ = ["package_of"]

_ECOSYSTEMS = {ecosystem.purl_type: ecosystem for ecosystem in Ecosystem}


def package_of(purl: str, source: str) -> Package | None:
    """The package a versioned purl names; ``None`` for a type bastion has no advisories for, or no version."""
    from packageurl import PackageURL

    try:
        parsed = PackageURL.from_string(purl)
    except ValueError:
        return None
    ecosystem = _ECOSYSTEMS.get(parsed.type)
    if ecosystem is None or not parsed.version:
        return None
    name = parsed.name
    if parsed.namespace and ecosystem not in (Ecosystem.DEBIAN, Ecosystem.ALPINE):
        separator = ":" if ecosystem is Ecosystem.MAVEN else "/"
        name = f"{parsed.namespace}{separator}{parsed.name}"
    return Package(ecosystem=ecosystem, name=name, version=parsed.version, source=source)
