"""The matcher: turns prefilter hits into confirmed secrets by running detectors only on candidate windows.

A window is the line holding a keyword hit (capped around the hit on very long lines, extended by
``lines_after`` for multi-line secrets). Windows of one detector are merged, its regex runs on them, and each
match must pass the entropy, placeholder, validator and inline ``bastion:allow`` checks. A generic detector's
match yields to any specific detector's match on the same secret.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bastion.scanners.secrets.detector import Detector
from bastion.scanners.secrets.entropy import shannon_entropy
from bastion.scanners.secrets.placeholder import is_benign_key, is_documented, is_placeholder, is_reference
from bastion.scanners.secrets.prefilter import Prefilter, make_prefilter
from bastion.scanners.secrets.validators import validate

__all__ = ["Match", "Matcher", "mask"]

_BEFORE = 512
_AFTER = 2048
_EXTRA_LINE = 128
_ALLOW = re.compile(rb"bastion:allow[\s:=]+([a-z0-9][a-z0-9,\- \t]*)")


def mask(secret: bytes) -> str:
    """The masked preview: at most the first four characters (fewer for short secrets), then ``…``."""
    shown = min(4, len(secret) // 4)
    return secret[:shown].decode("utf-8", "replace") + "…"


@dataclass(frozen=True, slots=True)
class Match:
    """A confirmed secret in one buffer. Holds the hash and a masked preview, never the secret."""

    detector_id: str
    start: int
    """Byte offset of the secret in the buffer."""
    end: int
    line: int
    """1-based line of the secret's first byte in the buffer."""
    column: int
    """1-based byte column."""
    sha256: str
    """Hex SHA-256 of the secret's bytes."""
    preview: str


class Matcher:
    """Detectors plus their prefilter: ``scan(data)`` finds the secrets in one buffer."""

    def __init__(self, detectors: Sequence[Detector], engine: str = "auto") -> None:
        self.detectors = tuple(detectors)
        self.engine = engine
        keywords: dict[bytes, list[int]] = {}
        for index, detector in enumerate(self.detectors):
            for keyword in detector.keywords:
                keywords.setdefault(keyword.encode("ascii"), []).append(index)
        self.prefilter: Prefilter = make_prefilter(list(keywords), engine)
        self._detectors_of = [tuple(ids) for ids in keywords.values()]
        self._keyword_lengths = [len(k) for k in keywords]
        self._specific_of = [tuple(i for i in ids if not self.detectors[i].generic) for ids in self._detectors_of]
        self._lines_after = [d.lines_after for d in self.detectors]

    def multiline_keywords(self) -> frozenset[int]:
        """Indices of the keywords whose detectors may match across lines (``lines_after``)."""
        return frozenset(k for k, ids in enumerate(self._detectors_of) if any(self._lines_after[i] for i in ids))

    def scan(self, data: bytes, *, generic: bool = True) -> list[Match]:
        """Every secret in ``data``, ordered by position (``generic=False``: format-specific detectors only)."""
        return self.confirm(data, self.prefilter.hits(data), generic=generic)

    def confirm(self, data: bytes, hits: Sequence[tuple[int, int]], *, generic: bool = True) -> list[Match]:
        """Run the detectors behind ``hits`` (keyword index, offset) on their windows of ``data``."""
        if not hits:
            return []
        windows: dict[int, list[tuple[int, int]]] = {}
        line_spans: dict[int, tuple[int, int]] = {}
        keyword_lengths = self._keyword_lengths
        for keyword_index, offset in hits:
            span = line_spans.get(offset)
            if span is None:
                span = line_spans[offset] = _line_span(data, offset, offset + keyword_lengths[keyword_index])
            for detector_index in self._detectors_of[keyword_index] if generic else self._specific_of[keyword_index]:
                after = self._lines_after[detector_index]
                end = _extend(data, span[1], after) if after else span[1]
                windows.setdefault(detector_index, []).append((span[0], end))
        found: dict[tuple[int, int], tuple[Detector, bytes]] = {}
        claimed: list[tuple[int, int]] = []
        for detector_index in sorted(windows):
            detector = self.detectors[detector_index]
            for start, end in _merged(windows[detector_index]):
                for match in detector.pattern.finditer(data, start, end):
                    self._check(detector, data, match, found, claimed)
        return _located(data, found)

    def _check(
        self,
        detector: Detector,
        data: bytes,
        match: re.Match[bytes],
        found: dict[tuple[int, int], tuple[Detector, bytes]],
        claimed: list[tuple[int, int]],
    ) -> None:
        group = detector.secret_group
        secret = match.group(group)
        if not secret:
            return
        key = (match.start(group), match.end(group))
        if key in found:
            return
        if not detector.generic:
            # A specific format claims its text even when a check below rejects it (a decoy, an allowed
            # secret): a generic detector must not report the same text again.
            claimed.append(key)
        if detector.entropy and shannon_entropy(secret) < detector.entropy:
            return
        if detector.placeholder_check and is_placeholder(secret):
            return
        if detector.generic and (
            _overlaps(key, claimed) or is_reference(secret) or is_benign_key(_name_of(data, match))
        ):
            return
        if not validate(detector.validator, secret) or _allowed(data, key[0], detector.id):
            return
        if is_documented(_sha256(secret)):
            return
        found[key] = (detector, secret)


def _line_span(data: bytes, start: int, end: int) -> tuple[int, int]:
    low = max(0, start - _BEFORE)
    line_start = data.rfind(b"\n", low, start)
    line_start = low if line_start < 0 else line_start + 1
    high = min(len(data), end + _AFTER)
    line_end = data.find(b"\n", end, high)
    return line_start, high if line_end < 0 else line_end


def _extend(data: bytes, end: int, lines: int) -> int:
    limit = min(len(data), end + lines * _EXTRA_LINE + _AFTER)
    for _ in range(lines):
        nxt = data.find(b"\n", end + 1, limit)
        if nxt < 0:
            return limit
        end = nxt
    return end


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort()
    merged = [spans[0]]
    for start, end in spans[1:]:
        last_start, last_end = merged[-1]
        if start <= last_end:
            merged[-1] = (last_start, max(last_end, end))
        else:
            merged.append((start, end))
    return merged


def _overlaps(key: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start < key[1] and key[0] < end for start, end in spans)


def _sha256(secret: bytes) -> str:
    import hashlib  # here, not at the top: loading OpenSSL is a visible share of a pre-commit run

    return hashlib.sha256(secret).hexdigest()


def _name_of(data: bytes, match: re.Match[bytes]) -> str:
    """The whole identifier a generic match's value is assigned to (``key`` group widened to the left)."""
    if "key" not in match.re.groupindex:
        return ""
    start = match.start("key")
    while start > 0 and (data[start - 1 : start].isalnum() or data[start - 1] in b"_.-"):
        start -= 1
    return data[start : match.end("key")].decode("ascii", "replace")


def _allowed(data: bytes, offset: int, detector_id: str) -> bool:
    line_start = data.rfind(b"\n", 0, offset) + 1
    line_end = data.find(b"\n", offset)
    line = data[line_start : line_end if line_end >= 0 else len(data)]
    if b"bastion:allow" not in line:
        return False
    wanted = detector_id.encode("ascii")
    return any(wanted in re.split(rb"[\s,]+", ids.strip()) for ids in _ALLOW.findall(line))


def _located(data: bytes, found: dict[tuple[int, int], tuple[Detector, bytes]]) -> list[Match]:
    matches = []
    line, counted = 1, 0
    for (start, end), (detector, secret) in sorted(found.items(), key=lambda item: item[0]):
        line += data.count(b"\n", counted, start)
        counted = start
        column = start - data.rfind(b"\n", 0, start)
        digest = _sha256(secret)
        matches.append(Match(detector.id, start, end, line, column, digest, mask(secret)))
    return matches
