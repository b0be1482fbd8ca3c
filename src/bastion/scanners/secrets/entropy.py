"""Shannon entropy of a candidate secret: random keys score high, words and repeated characters low."""

from __future__ import annotations

import math
from collections import Counter

__all__ = ["shannon_entropy"]


def shannon_entropy(data: bytes) -> float:
    """Bits per byte of ``data`` (0 for empty input); a random base64 string of 40 characters scores about 5."""
    if not data:
        return 0.0
    size = len(data)
    return -sum(n / size * math.log2(n / size) for n in Counter(data).values())
