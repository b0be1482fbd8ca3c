"""The built-in detector catalogue: one data module per provider family, specific formats before generic ones.

Each module defines ``DETECTORS``, a tuple of ``Detector`` values written from the providers' published token
formats. Order matters only for overlaps: when two detectors match the same secret, the earlier one reports it,
and generic detectors (last) yield to every specific one.
"""

from __future__ import annotations

from functools import cache

from bastion.scanners.secrets.detector import Detector

__all__ = ["FAMILIES", "builtin_detectors"]

FAMILIES = ("cloud", "hosting", "vcs", "devtools", "ai", "payments", "comms", "saas", "platforms", "keys", "generic")
"""The family modules, in catalogue order."""


@cache
def builtin_detectors() -> tuple[Detector, ...]:
    """Every built-in detector, in catalogue order."""
    import importlib

    found: list[Detector] = []
    for family in FAMILIES:
        module = importlib.import_module(f"bastion.scanners.secrets.detectors.{family}")
        found.extend(module.DETECTORS)
    return tuple(found)
