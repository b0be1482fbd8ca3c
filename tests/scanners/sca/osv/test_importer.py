"""Importing OSV data: real zips, corrupt records skipped and counted, withdrawn kept but never matched."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from bastion.scanners.sca import Ecosystem, match_packages
from bastion.scanners.sca.osv.importer import import_path
from bastion.scanners.sca.osv.store import VulnStore
from bastion.scanners.sca.package import Package

from ..conftest import OSV_SUBSET

RECORD = {
    "id": "TEST-2024-1",
    "modified": "2024-01-01T00:00:00Z",
    "aliases": ["CVE-2024-0001"],
    "summary": "Example flaw",
    "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
    "affected": [
        {
            "package": {"ecosystem": "PyPI", "name": "Example_Pkg"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2"}]}],
        }
    ],
}


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_corrupt_records_are_skipped_and_counted(tmp_path: Path) -> None:
    no_package = {**RECORD, "id": "TEST-2", "affected": [{"ranges": []}]}
    archive = write_zip(
        tmp_path / "PyPI.zip",
        {
            "TEST-2024-1.json": json.dumps(RECORD).encode(),
            "broken.json": b"{not json",
            "TEST-2.json": json.dumps(no_package).encode(),
            "TEST-3.json": json.dumps({**RECORD, "id": "TEST-3", "modified": None}).encode(),
        },
    )
    store = VulnStore(tmp_path / "osv.db", create=True)
    (report,) = import_path(store, archive)
    assert (report.imported, report.skipped) == (1, 3)
    assert any(p.startswith("TEST-2.json: $.affected[0].package") for p in report.problems)
    assert any(p.startswith("broken.json: invalid JSON") for p in report.problems)
    match = match_packages(store, [Package(Ecosystem.PYPI, "example-pkg", "1.1", "r.txt")])
    assert match[0].vulnerabilities[0].ids == ("CVE-2024-0001", "TEST-2024-1")
    assert match[0].vulnerabilities[0].score == 9.8


def test_reimport_replaces_a_record_and_withdrawal_hides_it(tmp_path: Path) -> None:
    store = VulnStore(tmp_path / "osv.db", create=True)
    (tmp_path / "a.json").write_text(json.dumps(RECORD))
    import_path(store, tmp_path / "a.json")
    package = Package(Ecosystem.PYPI, "example-pkg", "1.0", "r.txt")
    assert match_packages(store, [package])
    (tmp_path / "a.json").write_text(json.dumps({**RECORD, "withdrawn": "2024-02-01T00:00:00Z"}))
    import_path(store, tmp_path / "a.json")
    assert match_packages(store, [package]) == []
    status = store.status()
    assert (status.advisories, status.withdrawn, status.by_ecosystem) == (1, 1, {"PyPI": 1})


def test_real_zip_imports_every_record(tmp_path: Path) -> None:
    if not OSV_SUBSET.is_dir():
        pytest.skip(f"the OSV subset is not at {OSV_SUBSET}")
    store = VulnStore(tmp_path / "osv.db", create=True)
    (report,) = import_path(store, OSV_SUBSET / "npm.zip")
    assert (report.imported, report.skipped) == (474, 0)
    assert store.status().updated_at is not None
