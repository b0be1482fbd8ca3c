"""The prefilter: finds every occurrence of every detector keyword in raw bytes, case-insensitively.

Interchangeable implementations return the same hits: Hyperscan (one pass of a compiled literal set; the
compiled database is cached on disk, keyed by the keyword set) and a pure-Python one (``bytes.find`` per keyword
over the lower-cased input: no compile cost, so it is also what ``auto`` uses for small inputs such as a staged
diff). Only the windows around these hits reach the detectors' regexes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

__all__ = [
    "AutoPrefilter",
    "HyperscanPrefilter",
    "Prefilter",
    "PythonPrefilter",
    "hyperscan_available",
    "make_prefilter",
]

Hit = tuple[int, int]
"""A keyword occurrence: (keyword index, start offset)."""
_SMALL = 64 * 1024


class Prefilter(Protocol):
    """Finds keyword occurrences in bytes."""

    keywords: tuple[bytes, ...]

    def hits(self, data: bytes) -> list[Hit]:
        """Every (keyword index, start offset) in ``data``, sorted by offset then keyword."""
        ...


def hyperscan_available() -> bool:
    """True when the ``hyperscan`` package imports on this platform."""
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        return False
    return True


def _cache_file(keywords: Sequence[bytes]) -> Path:
    import hashlib

    import hyperscan

    version = str(getattr(hyperscan, "__version__", ""))
    digest = hashlib.sha256(b"\0".join(keywords) + version.encode()).hexdigest()[:24]
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bastion" / f"secrets-prefilter-{digest}.hsdb"


class HyperscanPrefilter:
    """Keyword search with one Hyperscan literal database (loaded from the cache or compiled on first use)."""

    def __init__(self, keywords: Sequence[bytes]) -> None:
        self.keywords = tuple(keywords)
        self._lengths = [len(k) for k in self.keywords]
        self._db: Any = None

    @property
    def ready(self) -> bool:
        """True once the database is loaded."""
        return self._db is not None

    def _database(self) -> Any:
        if self._db is None:
            import hyperscan

            cache = _cache_file(self.keywords)
            try:
                db = hyperscan.loadb(cache.read_bytes(), hyperscan.HS_MODE_BLOCK)
                db.scratch = hyperscan.Scratch(db)  # a deserialised database comes without one
                self._db = db
            except (OSError, hyperscan.error):
                db = hyperscan.Database()
                db.compile(
                    expressions=list(self.keywords),
                    ids=list(range(len(self.keywords))),
                    elements=len(self.keywords),
                    flags=hyperscan.HS_FLAG_CASELESS,
                    literal=True,
                )
                self._db = db
                _store(cache, hyperscan.dumpb(db))
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


def _store(cache: Path, blob: bytes) -> None:
    """Write the compiled database atomically; a cache that cannot be written only costs the next compile."""
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(blob)
        partial.replace(cache)
    except OSError:
        pass


class PythonPrefilter:
    """Keyword search without Hyperscan: ``bytes.find`` for each keyword over the lower-cased input."""

    def __init__(self, keywords: Sequence[bytes]) -> None:
        self.keywords = tuple(keywords)

    def hits(self, data: bytes) -> list[Hit]:
        """Every keyword occurrence, overlapping ones included."""
        lower = data.lower()
        found: list[Hit] = []
        for index, keyword in enumerate(self.keywords):
            at = lower.find(keyword)
            while at >= 0:
                found.append((index, at))
                at = lower.find(keyword, at + 1)
        found.sort(key=_by_offset)
        return found


class AutoPrefilter:
    """Hyperscan for large inputs where it imports; the pure-Python search otherwise (same hits either way).

    Small inputs (a staged diff) never import Hyperscan at all, which keeps the pre-commit path fast.
    """

    def __init__(self, keywords: Sequence[bytes]) -> None:
        self.keywords = tuple(keywords)
        self._python = PythonPrefilter(keywords)
        self._hyperscan: HyperscanPrefilter | None = None
        self._checked = False

    def hits(self, data: bytes) -> list[Hit]:
        """The same hits either way; only the cost differs."""
        if self._hyperscan is None and len(data) >= _SMALL and not self._checked:
            self._checked = True
            if hyperscan_available():
                self._hyperscan = HyperscanPrefilter(self.keywords)
        if self._hyperscan is None or (len(data) < _SMALL and not self._hyperscan.ready):
            return self._python.hits(data)
        return self._hyperscan.hits(data)


def _by_offset(hit: Hit) -> tuple[int, int]:
    return hit[1], hit[0]


def make_prefilter(keywords: Sequence[bytes], engine: str = "auto") -> Prefilter:
    """A prefilter over ``keywords`` (lower-case): ``hyperscan``, ``python``, or ``auto``."""
    if engine == "hyperscan":
        return HyperscanPrefilter(keywords)
    if engine == "auto":
        return AutoPrefilter(keywords)
    return PythonPrefilter(keywords)
