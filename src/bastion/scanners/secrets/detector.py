"""The detector: one credential format as data (pattern, prefilter keywords, thresholds and examples).

Detectors are declared in ``bastion.scanners.secrets.detectors``, one module per provider family, as calls to
``Detector(...)``. The test suite runs every detector's ``true_examples`` (each must produce exactly one finding
of that detector) and ``false_examples`` (none may produce a finding of it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

__all__ = ["Detector", "SeverityName"]

SeverityName = Literal["critical", "high", "medium", "low"]
"""The wire value of ``bastion.model.Severity`` for a detector (kept as text so hooks need not import model)."""


@dataclass(frozen=True)
class Detector:
    """A credential format: how to find it cheaply (keywords) and how to confirm it (regex and checks)."""

    id: str
    """Stable kebab-case id used in findings, ``bastion:allow`` comments and enable/disable lists."""
    description: str
    """What the secret is, for people: ``GitHub personal access token (classic)``."""
    severity: SeverityName
    """How bad a leak is."""
    regex: str
    """Pattern over bytes; the named group ``secret`` (else group 1, else the whole match) is the secret."""
    keywords: tuple[str, ...]
    """Lower-case literals, at least one of which occurs in every match: the prefilter looks only for these."""
    true_examples: tuple[str, ...]
    """Lines that contain exactly one secret of this kind."""
    false_examples: tuple[str, ...]
    """Lines that look close but must not be reported by this detector."""
    entropy: float = 0.0
    """Minimum Shannon entropy (bits per character) of the secret; 0 turns the check off."""
    validator: str | None = None
    """Name of a structural check in ``validators`` (checksums, decodable headers)."""
    ignore_case: bool = False
    """Compile ``regex`` case-insensitively."""
    lines_after: int = 0
    """Extra lines after the keyword's line that a match may span (private key blocks)."""
    placeholder_check: bool = True
    """Drop secrets that look like placeholders (``EXAMPLE``, ``xxxx``, ``${VAR}``...)."""
    generic: bool = False
    """A keyword-and-assignment detector: more context checks, and it yields to specific detectors."""

    @cached_property
    def pattern(self) -> re.Pattern[bytes]:
        """The compiled regex, built on first use so a scan compiles only the detectors its input needs."""
        return re.compile(self.regex.encode("ascii"), re.IGNORECASE if self.ignore_case else 0)

    @cached_property
    def secret_group(self) -> int | str:
        """The group holding the secret."""
        if "secret" in self.pattern.groupindex:
            return "secret"
        return 1 if self.pattern.groups else 0
