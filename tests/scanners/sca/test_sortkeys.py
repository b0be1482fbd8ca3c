"""The fast sort keys order real versions exactly as univers does, pair by pair."""

from __future__ import annotations

import itertools
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from univers.versions import AlpineLinuxVersion, DebianVersion, RubygemsVersion, SemverVersion

from bastion.scanners.sca.sortkeys import apk_key, dpkg_key, gem_key, semver_key
from tests.conftest import skip_unless_present

from .conftest import OSV_SUBSET


def real_versions(zip_name: str, limit: int = 150) -> list[str]:
    skip_unless_present(OSV_SUBSET, "the OSV subset (../shared/osv beside the repository)")
    found: dict[str, None] = {}
    with zipfile.ZipFile(OSV_SUBSET / zip_name) as archive:
        for member in archive.namelist():
            for affected in json.loads(archive.read(member)).get("affected", []):
                for r in affected.get("ranges", []):
                    for event in r["events"]:
                        found.update(dict.fromkeys(v for v in event.values() if v != "0"))
    versions = sorted(found)
    step = max(1, len(versions) // limit)
    return versions[::step]


def sign(a: Any, b: Any) -> int:
    return (a > b) - (a < b)


@pytest.mark.parametrize(
    ("zip_name", "cls", "key"),
    [
        ("npm.zip", SemverVersion, lambda v, text: semver_key(v.value)),
        ("crates.io.zip", SemverVersion, lambda v, text: semver_key(v.value)),
        ("RubyGems.zip", RubygemsVersion, lambda v, text: gem_key(v.value)),
        ("Debian.zip", DebianVersion, lambda v, text: dpkg_key(text)),
        ("Alpine.zip", AlpineLinuxVersion, lambda v, text: apk_key(text)),
    ],
)
def test_sort_key_order_equals_univers_order(zip_name: str, cls: type, key: Callable[[Any, str], Any]) -> None:
    parsed = []
    for text in real_versions(zip_name):
        try:
            parsed.append((cls(text), text))
        except Exception:
            continue
    keys = [(version, key(version, text)) for version, text in parsed]
    mismatches = [(a[0], b[0]) for a, b in itertools.combinations(keys, 2) if sign(a[0], b[0]) != sign(a[1], b[1])]
    assert mismatches == []


@pytest.mark.parametrize(
    ("smaller", "larger"),
    [("1.0~rc1-1", "1.0-1"), ("1.0-1", "1:0.9-1"), ("2.28-10", "2.28-10+deb10u2"), ("1.1.1k-1", "1.1.1n-0+deb11u2")],
)
def test_dpkg_examples(smaller: str, larger: str) -> None:
    assert dpkg_key(smaller) < dpkg_key(larger)
