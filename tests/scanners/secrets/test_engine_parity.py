"""Hyperscan and the pure-Python prefilter give identical findings on the same corpus."""

from __future__ import annotations

import random

import pytest

from bastion.scanners.secrets.detectors import builtin_detectors
from bastion.scanners.secrets.matcher import Matcher
from bastion.scanners.secrets.prefilter import hyperscan_available


def corpus() -> bytes:
    rng = random.Random(7)
    lines: list[str] = []
    for detector in builtin_detectors():
        lines.extend(detector.true_examples)
        lines.extend(detector.false_examples)
        lines.append("".join(rng.choice("abcdefghij =:\"'_-/+") for _ in range(rng.randrange(10, 120))))
    rng.shuffle(lines)
    return ("\n".join(lines) + "\n").encode() + bytes(rng.randrange(256) for _ in range(4000))


@pytest.mark.skipif(not hyperscan_available(), reason="hyperscan is not installed on this platform")
def test_hyperscan_and_python_prefilters_give_identical_findings() -> None:
    data = corpus()
    fast = Matcher(builtin_detectors(), "hyperscan")
    slow = Matcher(builtin_detectors(), "python")
    assert fast.prefilter.hits(data) == slow.prefilter.hits(data)
    found = fast.scan(data)
    assert len(found) > 300
    assert found == slow.scan(data)


def test_overlapping_keywords_are_all_reported_by_the_python_prefilter() -> None:
    matcher = Matcher(builtin_detectors(), "python")
    keywords = matcher.prefilter.keywords
    hits = matcher.prefilter.hits(b"xx SK_LIVE_abc")
    assert (keywords.index(b"sk_live_"), 3) in hits
