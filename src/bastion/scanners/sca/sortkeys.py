"""Sort keys: plain tuples ordered exactly like SemVer, RubyGems and dpkg versions, for fast comparisons.

``univers`` parses and validates every version, but its comparisons rebuild segments on each call (tens of
microseconds); matching compares the same few versions many times. For the three orderings that dominate a scan
the parsed version is turned once into a tuple whose natural order is the ecosystem's, checked against
``univers`` pairwise on every version in the OSV subset (``tests/scanners/sca/test_sortkeys.py``).
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["apk_key", "dpkg_key", "gem_key", "semver_key"]

_PAD = 16


def semver_key(value: Any) -> tuple[Any, ...]:
    """SemVer 2.0 precedence: a release sorts after its pre-releases; numeric identifiers before alphanumeric."""
    pre = tuple(value.prerelease)
    if not pre:
        tail: tuple[Any, ...] = (1,)
    else:
        tail = (0, *((0, int(p)) if p.isdigit() else (1, p) for p in pre))
    return (value.major, value.minor, value.patch, tail)


def gem_key(value: Any) -> tuple[Any, ...]:
    """RubyGems ``Gem::Version#<=>``: segments compared in turn, strings before numbers, missing ones as 0."""
    segments = [(1, s) if isinstance(s, int) else (0, str(s)) for s in value.canonical_segments]
    segments += [(1, 0)] * (_PAD - len(segments))
    return tuple(segments)


def _dpkg_order(char: str) -> int:
    if char == "~":
        return -1
    if char.isalpha():
        return ord(char)
    return ord(char) + 256


def _dpkg_part(text: str) -> tuple[Any, ...]:
    pairs: list[tuple[tuple[int, ...], int]] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and not text[j].isdigit():
            j += 1
        k = j
        while k < len(text) and text[k].isdigit():
            k += 1
        pairs.append(((*(_dpkg_order(c) for c in text[i:j]), 0), int(text[j:k] or 0)))
        i = k
    pairs += [((0,), 0)] * (_PAD - len(pairs))
    return tuple(pairs)


def dpkg_key(text: str) -> tuple[Any, ...]:
    """dpkg's ordering (``epoch:upstream-revision``; ``~`` sorts before everything, even the end)."""
    epoch, _, rest = text.partition(":") if ":" in text else ("0", "", text)
    upstream, _, revision = rest.rpartition("-") if "-" in rest else (rest, "", "0")
    return (int(epoch or 0), _dpkg_part(upstream), _dpkg_part(revision))


_APK = re.compile(
    r"^(?P<numbers>\d+(?:\.\d+)*)(?P<letter>[a-z]?)(?P<suffixes>(?:_[a-z]+\d*)*)(?:-r(?P<revision>\d+))?$"
)
_APK_SUFFIX = {"alpha": 0, "beta": 1, "pre": 2, "rc": 3, "cvs": 5, "svn": 6, "git": 7, "hg": 8, "p": 9}
_APK_NONE = 4


def apk_key(text: str) -> tuple[Any, ...] | None:
    """apk-tools' ordering (``1.1.1d-r3``: numbers, a letter, ``_rc1``-style suffixes, ``-rN``); ``None`` if odd."""
    match = _APK.match(text)
    if match is None:
        return None
    first, *rest = match["numbers"].split(".")
    # After the first, a component with a leading zero compares as a decimal fraction (0.06 < 0.3), as in Gentoo.
    numbers: list[Any] = [(1, int(first))]
    numbers += [(0, n.rstrip("0")) if n.startswith("0") else (1, int(n)) for n in rest]
    numbers += [(-1,)] * (_PAD - len(numbers))
    suffixes = []
    for part in filter(None, match["suffixes"].split("_")):
        name = part.rstrip("0123456789")
        if name not in _APK_SUFFIX:
            return None
        suffixes.append((_APK_SUFFIX[name], int(part[len(name) :] or 0)))
    suffixes += [(_APK_NONE, 0)] * (4 - len(suffixes))
    return (
        tuple(numbers),
        ord(match["letter"]) if match["letter"] else 0,
        tuple(suffixes),
        int(match["revision"] or 0),
    )
