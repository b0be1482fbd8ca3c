"""Rendering an SBOM in the format asked for: the one switch over ``SbomFormat``."""

from __future__ import annotations

from typing import assert_never

from bastion.supplychain.sbom.components import SbomSubject
from bastion.supplychain.sbom.cyclonedx import cyclonedx_json
from bastion.supplychain.sbom.format import CycloneDxVersion, SbomFormat
from bastion.supplychain.sbom.spdx import spdx_json

__all__ = ["render_sbom"]


def render_sbom(subject: SbomSubject, fmt: SbomFormat, version: CycloneDxVersion = CycloneDxVersion.V1_6) -> str:
    """The SBOM of ``subject`` as JSON text in ``fmt`` (``version`` applies to CycloneDX only)."""
    if fmt is SbomFormat.CYCLONEDX:
        return cyclonedx_json(subject, version)
    if fmt is SbomFormat.SPDX:
        return spdx_json(subject)
    assert_never(fmt)
