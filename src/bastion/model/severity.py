"""Severity and confidence: the two closed scales every finding is ranked on."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Confidence", "Severity"]

_SEVERITY_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}
_ALIASES = {
    "error": "high",
    "warning": "medium",
    "moderate": "medium",
    "note": "low",
    "none": "info",
    "informational": "info",
    "unknown": "info",
    "negligible": "info",
}


class Severity(StrEnum):
    """How bad a finding is if real, from ``critical`` down to ``info``."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Order for comparison: ``critical`` is 4, ``info`` is 0."""
        return _SEVERITY_RANK[self.value]

    def at_least(self, other: Severity) -> bool:
        """True when this severity is ``other`` or worse."""
        return self.rank >= other.rank

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Read a severity from a tool's vocabulary (``HIGH``, ``error``, ``moderate``, ...)."""
        word = text.strip().lower()
        return cls(_ALIASES.get(word, word))

    @classmethod
    def from_cvss(cls, score: float) -> Severity:
        """Map a CVSS base score to a severity with the CVSS v3 qualitative bands."""
        if score >= 9.0:
            return cls.CRITICAL
        if score >= 7.0:
            return cls.HIGH
        if score >= 4.0:
            return cls.MEDIUM
        if score > 0.0:
            return cls.LOW
        return cls.INFO


class Confidence(StrEnum):
    """How sure the tool is that the finding is real."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @classmethod
    def parse(cls, text: str) -> Confidence:
        """Read a confidence from a tool's vocabulary; unknown words mean ``medium``."""
        word = text.strip().lower()
        return cls(word) if word in {"high", "medium", "low"} else cls.MEDIUM
