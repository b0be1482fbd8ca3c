"""Fixtures for SCA tests: lockfile assets and a vulnerability store imported once from ``../shared/osv``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bastion.scanners.sca.inventory import files_under, read_inventory
from bastion.scanners.sca.osv.importer import import_path
from bastion.scanners.sca.osv.store import VulnStore
from bastion.scanners.sca.package import Package
from tests.conftest import ASSETS as TEST_ASSETS
from tests.conftest import REPO_ROOT, asset_finder, skip_unless_present

OSV_SUBSET = REPO_ROOT.parent / "shared" / "osv"
ASSETS = TEST_ASSETS / "sca"
# The language ecosystems; Debian and Alpine are half the subset and only the benchmark needs them.
TEST_ZIPS = ("PyPI.zip", "npm.zip", "Go.zip", "crates.io.zip", "RubyGems.zip", "Packagist.zip", "Maven.zip")


@pytest.fixture
def sca_asset() -> Callable[[str], Path]:
    """``sca_asset("python/uv.lock")`` is that file (or folder) under ``tests/assets/sca``."""
    return asset_finder(ASSETS)


@pytest.fixture
def packages_of() -> Callable[[Path], list[Package]]:
    """Parse every lockfile under a folder (or one file) and return the packages; fails on parse errors."""

    def parse(path: Path) -> list[Package]:
        root, files = files_under(path)
        inventory = read_inventory(root, files)
        assert not inventory.errors, [str(e) for e in inventory.errors]
        return list(inventory.packages)

    return parse


@pytest.fixture(scope="session")
def osv_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the real advisories of the language ecosystems, imported once per session."""
    skip_unless_present(OSV_SUBSET, "the OSV subset (../shared/osv beside the repository)")
    path = tmp_path_factory.mktemp("osv") / "osv.db"
    store = VulnStore(path, create=True)
    for name in TEST_ZIPS:
        import_path(store, OSV_SUBSET / name)
    store.close()
    return path


@pytest.fixture
def osv_store(osv_store_path: Path) -> Iterator[VulnStore]:
    """The session's store, opened for one test."""
    store = VulnStore(osv_store_path)
    yield store
    store.close()
