"""SBOMs: the SCA inventory as CycloneDX 1.6/1.5 or SPDX 2.3 JSON, and reading either back."""

from __future__ import annotations

from bastion.supplychain.sbom.components import Component, SbomSubject, collect, collect_inventory
from bastion.supplychain.sbom.cyclonedx import cyclonedx_json, validate_cyclonedx
from bastion.supplychain.sbom.format import CycloneDxVersion, SbomFormat
from bastion.supplychain.sbom.reader import SbomPackage, SbomSummary, read_sbom, sbom_from_text
from bastion.supplychain.sbom.render import render_sbom
from bastion.supplychain.sbom.spdx import spdx_json, validate_spdx

__all__ = [
    "Component",
    "CycloneDxVersion",
    "SbomFormat",
    "SbomPackage",
    "SbomSubject",
    "SbomSummary",
    "collect",
    "collect_inventory",
    "cyclonedx_json",
    "read_sbom",
    "render_sbom",
    "sbom_from_text",
    "spdx_json",
    "validate_cyclonedx",
    "validate_spdx",
]
