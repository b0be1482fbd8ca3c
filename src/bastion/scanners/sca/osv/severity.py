"""Advisory severity: one score and severity per OSV record, from the best evidence it carries.

In order: a CVSS v3 vector, a CVSS v4 vector, a CVSS v2 vector (record or affected-package level), a numeric
``cvss_v3``/``cvss_v2`` in ``database_specific`` (RubyGems), then a severity word (GHSA's ``MODERATE``...).
"""

from __future__ import annotations

from dataclasses import dataclass

from bastion.model import Severity
from bastion.scanners.sca.cvss import base_score
from bastion.scanners.sca.osv.records import OsvRecord, OsvSeverity

__all__ = ["AdvisorySeverity", "severity_of"]

_PREFERENCE = ("CVSS_V3", "CVSS_V4", "CVSS_V2")


@dataclass(frozen=True, slots=True)
class AdvisorySeverity:
    """What an advisory says about how bad it is."""

    severity: Severity | None
    """The band, or ``None`` when the advisory gives nothing."""
    score: float | None = None
    """The CVSS base score, when there is one."""
    vector: str | None = None
    """The CVSS vector it was computed from."""


def severity_of(record: OsvRecord) -> AdvisorySeverity:
    """The advisory's severity from its vectors, numbers or words."""
    vectors: list[OsvSeverity] = list(record.severity)
    for affected in record.affected:
        vectors += affected.severity
    for kind in _PREFERENCE:
        for item in vectors:
            if item.type == kind:
                score = base_score(item.score)
                if score is not None:
                    return AdvisorySeverity(Severity.from_cvss(score), score, item.score)
    specific = record.database_specific or {}
    for key in ("cvss_v3", "cvss_v2", "cvss"):
        value = specific.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return AdvisorySeverity(Severity.from_cvss(float(value)), float(value))
    word = specific.get("severity")
    if isinstance(word, str):
        try:
            return AdvisorySeverity(Severity.parse(word))
        except ValueError:
            pass
    return AdvisorySeverity(None)
