"""Every built-in check fires on its failing sample and stays quiet on its passing one."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bastion.scanners.iac.bundle import check_bundle
from bastion.scanners.iac.sources import read_sources

SAMPLES = Path(__file__).parents[2] / "assets" / "iac" / "samples"


def _cases() -> list[tuple[str, str, str, str]]:
    cases = []
    for path in sorted(SAMPLES.glob("*.yml")):
        table = YAML(typ="safe").load(path.read_text())
        for check_id, sample in table["checks"].items():
            file = sample.get("file", table["file"])
            cases += [(check_id, outcome, file, sample[outcome]) for outcome in ("fail", "pass")]
    return cases


CASES = _cases()


def ids_found(file: str, text: str) -> set[str]:
    """The ids of the checks that fire on one file."""
    sources = read_sources([file], lambda _: text.encode())
    assert not sources.errors, sources.errors
    assert sources.documents, f"{file} was not recognised"
    bundle = check_bundle()
    return {v["id"] for document in sources.documents for _, v in bundle.evaluate(document) if isinstance(v, dict)}


@pytest.mark.parametrize(("check_id", "outcome", "file", "text"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_check_fires_on_failing_sample_only(check_id: str, outcome: str, file: str, text: str) -> None:
    found = ids_found(file, text)
    if outcome == "fail":
        assert check_id in found
    else:
        assert check_id not in found


def test_every_check_has_samples_and_metadata() -> None:
    bundle = check_bundle()
    sampled = {c[0] for c in CASES}
    assert set(bundle.metadata) == sampled
    for check_id, meta in bundle.metadata.items():
        assert meta["severity"] in {"critical", "high", "medium", "low", "info"}, check_id
        assert meta["title"] and meta["rationale"] and meta["remediation"] and meta["references"], check_id
