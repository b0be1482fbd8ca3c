"""SBOM formats and the CycloneDX specification versions bastion writes."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["CycloneDxVersion", "SbomFormat"]


class SbomFormat(StrEnum):
    """The SBOM document formats."""

    CYCLONEDX = "cyclonedx"
    SPDX = "spdx"


class CycloneDxVersion(StrEnum):
    """CycloneDX JSON specification versions: 1.6 by default, 1.5 for consumers that lag behind."""

    V1_6 = "1.6"
    V1_5 = "1.5"
