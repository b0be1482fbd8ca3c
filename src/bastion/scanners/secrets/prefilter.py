"""The prefilter: finds every occurrence of every detector keyword in raw bytes, case-insensitively.

Two interchangeable implementations return the same hits: Hyperscan (one pass of a compiled literal set, the
default where the ``hyperscan`` package imports) and a pure-Python one (a regex alternation to find candidate
positions, then every keyword starting there). Only the windows around these hits reach the detectors' regexes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

__all__ = ["HyperscanPrefilter", "Prefilter", "PythonPrefilter", "hyperscan_available", "make_prefilter"]

Hit = tuple[int, int]
"""A keyword occurrence: (keyword index, start offset)."""


class Prefilter(Protocol):
    """Finds keyword occurrences in bytes."""

    keywords: tuple[bytes, ...]

    def hits(self, data: bytes) -> list[Hit]:
        """Every (keyword index, start offset) in ``data``, sorted."""
        ...


def hyperscan_available() -> bool:
    """True when the ``hyperscan`` package imports on this platform."""
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        return False
    return True


class HyperscanPrefilter:
    """Keyword search with one Hyperscan literal database (compiled once, on first use)."""

    def __init__(self, keywords: Sequence[bytes]) -> None:
        self.keywords = tuple(keywords)
        self._lengths = [len(k) for k in self.keywords]
        self._db: Any = None

    def _database(self) -> Any:
        if self._db is None:
            import hyperscan

            db = hyperscan.Database()
            db.compile(
                expressions=list(self.keywords),
                ids=list(range(len(self.keywords))),
                elements=len(self.keywords),
                flags=hyperscan.HS_FLAG_CASELESS,
                literal=True,
            )
            self._db = db
        return self._db

    def hits(self, data: bytes) -> list[Hit]:
        """Every keyword occurrence, from one Hyperscan block scan."""
        found: list[Hit] = []
        lengths = self._lengths
        append = found.append

        def on_match(ident: int, _start: int, end: int, _flags: int, _context: object) -> None:
            append((ident, end - lengths[ident]))

        self._database().scan(data, match_event_handler=on_match)
        found.sort(key=_by_offset)
        return found


class PythonPrefilter:
    """Keyword search without Hyperscan: same hits, slower on large inputs."""

    def __init__(self, keywords: Sequence[bytes]) -> None:
        self.keywords = tuple(keywords)
        ordered = sorted(set(self.keywords), key=len, reverse=True)
        self._any = re.compile(b"|".join(re.escape(k) for k in ordered))
        self._by_head: dict[bytes, list[int]] = {}
        for index, keyword in enumerate(self.keywords):
            self._by_head.setdefault(keyword[:1], []).append(index)

    def hits(self, data: bytes) -> list[Hit]:
        """Every keyword occurrence: each regex hit is a position where one or more keywords start."""
        lower = data.lower()
        found: list[Hit] = []
        search = self._any.search
        position = 0
        while (match := search(lower, position)) is not None:
            at = match.start()
            for index in self._by_head[lower[at:at + 1]]:
                if lower.startswith(self.keywords[index], at):
                    found.append((index, at))
            position = at + 1
        found.sort(key=_by_offset)
        return found


def _by_offset(hit: Hit) -> tuple[int, int]:
    return hit[1], hit[0]


def make_prefilter(keywords: Sequence[bytes], engine: str = "auto") -> Prefilter:
    """A prefilter over ``keywords`` (lower-case): ``hyperscan``, ``python``, or ``auto`` (Hyperscan if present)."""
    if engine == "hyperscan" or (engine == "auto" and hyperscan_available()):
        return HyperscanPrefilter(keywords)
    return PythonPrefilter(keywords)
