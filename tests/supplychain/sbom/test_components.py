"""SBOM components from the SCA inventory: one per purl, scopes merged, edges from dependency paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.scanners.sca import Scope
from bastion.supplychain import SupplyChainError
from bastion.supplychain.sbom import collect
from tests.supplychain.conftest import supplychain_asset

SCA_ASSETS = Path(__file__).resolve().parents[2] / "assets" / "sca"


def test_shop_lockfiles_become_components() -> None:
    subject = collect(supplychain_asset("shop"), name="shop", commit="abc")
    assert subject.manifests == ("gradle.lockfile", "requirements.txt")
    by_purl = {c.purl: c for c in subject.components}
    assert len(by_purl) == 7
    assert by_purl["pkg:maven/junit/junit@4.13.2"].scope is Scope.DEV
    assert by_purl["pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"].sources == ("gradle.lockfile",)


def test_a_package_in_two_lockfiles_is_one_component_and_edges_follow_paths(tmp_path: Path) -> None:
    import shutil

    lock = SCA_ASSETS / "npm" / "panel-lock-v3" / "package-lock.json"
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        shutil.copy(lock, tmp_path / name / "package-lock.json")
    subject = collect(tmp_path)
    single = collect(tmp_path / "a")
    assert [c.purl for c in subject.components] == [c.purl for c in single.components]
    assert all(len(c.sources) == 2 for c in subject.components)
    assert any(c.depends_on for c in subject.components)
    known = {c.purl for c in subject.components}
    assert all(child in known for c in subject.components for child in c.depends_on)


def test_a_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SupplyChainError, match=r"nope: no such file or folder"):
        collect(tmp_path / "nope")
