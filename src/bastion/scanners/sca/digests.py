"""Package digests as lockfiles record them: npm's Subresource Integrity, pip's ``sha256:<hex>``, Cargo's hex.

A digest is kept as a hash algorithm and a lower-case hex value, whatever the lockfile's spelling, so an SBOM can
write it as a CycloneDX ``hashes`` entry or an SPDX ``checksums`` entry. A value that does not decode to the
algorithm's length is dropped rather than guessed at: an SBOM hash that is wrong is worse than none.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "Digest",
    "digest_from_hex",
    "digest_from_prefixed",
    "digests_from_sri",
    "file_digests",
    "unique_digests",
]

# Algorithm name as lockfiles spell it -> (name used here, digest length in bytes).
_ALGORITHMS = {
    "sha1": ("SHA-1", 20),
    "sha256": ("SHA-256", 32),
    "sha384": ("SHA-384", 48),
    "sha512": ("SHA-512", 64),
}
_HEX = re.compile(r"[0-9a-fA-F]+")


@dataclass(frozen=True, slots=True, order=True)
class Digest:
    """One digest of a package's distribution file."""

    algorithm: str
    """``SHA-1``, ``SHA-256``, ``SHA-384`` or ``SHA-512`` (CycloneDX's spelling)."""
    value: str
    """The digest in lower-case hex."""


def digest_from_hex(algorithm: str, value: object) -> Digest | None:
    """A hex digest (Cargo's ``checksum``, Composer's ``shasum``), or ``None`` when it is not one."""
    known = _ALGORITHMS.get(algorithm.lower().replace("-", ""))
    if known is None or not isinstance(value, str) or len(value) != 2 * known[1] or not _HEX.fullmatch(value):
        return None
    return Digest(known[0], value.lower())


def digest_from_prefixed(value: object) -> Digest | None:
    """``sha256:<hex>`` (pip, Poetry, uv, PDM, Pipfile.lock), or ``None`` when it is not one."""
    if not isinstance(value, str) or ":" not in value:
        return None
    algorithm, _, hex_value = value.partition(":")
    return digest_from_hex(algorithm, hex_value)


def digests_from_sri(value: object) -> list[Digest]:
    """Subresource Integrity (npm, pnpm, Yarn, NuGet's base64): ``sha512-<base64>``, several space-separated."""
    if not isinstance(value, str):
        return []
    found = []
    for token in value.split():
        algorithm, _, encoded = token.partition("-")
        known = _ALGORITHMS.get(algorithm.lower())
        if known is None:
            continue
        try:
            raw = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            continue
        if len(raw) == known[1]:
            found.append(Digest(known[0], raw.hex()))
    return found


def file_digests(files: object) -> tuple[Digest, ...]:
    """The ``hash`` of each ``{file|url, hash}`` table in a list (Poetry, PDM, uv wheels)."""
    if not isinstance(files, list):
        return ()
    return unique_digests(digest_from_prefixed(f.get("hash")) for f in files if isinstance(f, dict))


def unique_digests(digests: Iterable[Digest | None]) -> tuple[Digest, ...]:
    """The digests without repeats or gaps, in a stable order."""
    return tuple(sorted({digest for digest in digests if digest is not None}))
