"""A secret found by another tool, reduced to what bastion may keep: its SHA-256 and a masked preview.

gitleaks and trufflehog put the raw secret in their reports. Importers pass it through ``masked`` at once and
never keep the text: findings carry the hash in the message (``sha256 <hex>``, as bastion's own secrets
scanner writes it, so cross-tool dedup can match on it) and at most the first four characters as evidence.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

__all__ = ["MaskedSecret", "masked", "secret_hash_in"]

_HASH_IN_MESSAGE = re.compile(r"\bsha256 ([0-9a-f]{64})\b")


@dataclass(frozen=True, slots=True)
class MaskedSecret:
    """The hash and preview of a secret; the secret itself is gone."""

    sha256: str
    """Hex SHA-256 of the secret's UTF-8 bytes."""
    preview: str
    """At most the first four characters (fewer for short secrets), then ``…``."""

    def describe(self, title: str) -> str:
        """The finding message: ``<title> (<preview>, sha256 <hex>)``, the form bastion's scanner uses."""
        return f"{title} ({self.preview}, sha256 {self.sha256})"


def masked(secret: str) -> MaskedSecret:
    """Hash and mask ``secret``; the same rule as bastion's secrets scanner (a quarter, at most four)."""
    raw = secret.encode("utf-8", "surrogatepass")
    shown = min(4, len(secret) // 4)
    return MaskedSecret(sha256=hashlib.sha256(raw).hexdigest(), preview=secret[:shown] + "…")


def secret_hash_in(message: str) -> str | None:
    """The secret's SHA-256 named in a finding's message, when there is one."""
    match = _HASH_IN_MESSAGE.search(message)
    return match[1] if match else None
