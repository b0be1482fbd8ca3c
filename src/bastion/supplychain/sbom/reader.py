"""Reading an SBOM back: the packages (purl, name, version) of a CycloneDX or SPDX JSON document.

``verify`` matches these against the advisory store and the release ledger indexes them; anything that is not
one of the two formats is an "unreadable SBOM" error naming its source, never an empty list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bastion.supplychain.errors import SupplyChainError
from bastion.supplychain.sbom.format import SbomFormat

__all__ = ["SbomPackage", "SbomSummary", "read_sbom", "sbom_from_text"]


@dataclass(frozen=True, slots=True)
class SbomPackage:
    """A package listed in an SBOM."""

    purl: str
    name: str
    version: str


@dataclass(frozen=True, slots=True)
class SbomSummary:
    """An SBOM's format and packages."""

    format: SbomFormat
    spec_version: str
    packages: tuple[SbomPackage, ...]


def sbom_from_text(text: str | bytes, source: str) -> SbomSummary:
    """Read an SBOM from JSON text."""
    try:
        document = json.loads(text)
    except ValueError as err:
        raise SupplyChainError(f"{source}: unreadable SBOM: not JSON: {err}") from err
    return read_sbom(document, source)


def read_sbom(document: Any, source: str) -> SbomSummary:
    """Read an SBOM already parsed from JSON (an attestation predicate, say)."""
    if not isinstance(document, dict):
        raise SupplyChainError(f"{source}: unreadable SBOM: not a JSON object")
    if document.get("bomFormat") == "CycloneDX":
        return SbomSummary(SbomFormat.CYCLONEDX, str(document.get("specVersion", "")), _cyclonedx(document, source))
    if str(document.get("spdxVersion", "")).startswith("SPDX-2."):
        return SbomSummary(SbomFormat.SPDX, str(document["spdxVersion"]), _spdx(document, source))
    raise SupplyChainError(f"{source}: unreadable SBOM: neither CycloneDX (bomFormat) nor SPDX 2 (spdxVersion)")


def _cyclonedx(document: dict[str, Any], source: str) -> tuple[SbomPackage, ...]:
    found: list[SbomPackage] = []
    pending = list(_list(document, "components", source))
    while pending:
        component = pending.pop()
        if not isinstance(component, dict):
            raise SupplyChainError(f"{source}: unreadable SBOM: a component is not an object")
        pending += _list(component, "components", source)
        purl = component.get("purl")
        if isinstance(purl, str) and purl:
            found.append(SbomPackage(purl, str(component.get("name", "")), str(component.get("version", ""))))
    return tuple(sorted(found, key=lambda p: p.purl))


def _spdx(document: dict[str, Any], source: str) -> tuple[SbomPackage, ...]:
    found: list[SbomPackage] = []
    for package in _list(document, "packages", source):
        if not isinstance(package, dict):
            raise SupplyChainError(f"{source}: unreadable SBOM: a package is not an object")
        for reference in _list(package, "externalRefs", source):
            if isinstance(reference, dict) and reference.get("referenceType") == "purl":
                found.append(
                    SbomPackage(
                        str(reference.get("referenceLocator", "")),
                        str(package.get("name", "")),
                        str(package.get("versionInfo", "")),
                    )
                )
    return tuple(sorted(found, key=lambda p: p.purl))


def _list(document: dict[str, Any], key: str, source: str) -> list[Any]:
    value = document.get(key, [])
    if not isinstance(value, list):
        raise SupplyChainError(f"{source}: unreadable SBOM: {key} is not a list")
    return value
