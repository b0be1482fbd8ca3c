"""``db sync`` without the internet: URL building, refused schemes, and a download from a loopback server."""

from __future__ import annotations

import json
import threading
import zipfile
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bastion.scanners.sca import Ecosystem, VulnStoreError, match_packages
from bastion.scanners.sca.osv.store import VulnStore
from bastion.scanners.sca.osv.sync import DEFAULT_ECOSYSTEMS, export_url, sync
from bastion.scanners.sca.package import Package


def test_export_urls() -> None:
    assert export_url("PyPI") == "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip"
    assert export_url("Debian:12") == "https://osv-vulnerabilities.storage.googleapis.com/Debian%3A12/all.zip"
    assert "crates.io" in DEFAULT_ECOSYSTEMS and "Debian" not in DEFAULT_ECOSYSTEMS
    with pytest.raises(VulnStoreError, match="not an OSV ecosystem name"):
        export_url("../etc")


def test_plain_http_is_refused(tmp_path: Path) -> None:
    store = VulnStore(tmp_path / "osv.db", create=True)
    with pytest.raises(VulnStoreError, match="only https downloads are allowed"):
        sync(store, ["PyPI"], base="http://example.com")


@pytest.fixture
def export_server(tmp_path: Path) -> Iterator[str]:
    folder = tmp_path / "exports" / "PyPI"
    folder.mkdir(parents=True)
    record = {
        "id": "PYSEC-0000-1",
        "modified": "2024-01-01T00:00:00Z",
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "demo"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}],
            }
        ],
    }
    with zipfile.ZipFile(folder / "all.zip", "w") as archive:
        archive.writestr("PYSEC-0000-1.json", json.dumps(record))
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path / "exports"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_sync_downloads_and_imports(tmp_path: Path, export_server: str) -> None:
    store = VulnStore(tmp_path / "osv.db", create=True)
    (report,) = sync(store, ["PyPI"], base=export_server)
    assert (report.imported, report.skipped) == (1, 0)
    assert match_packages(store, [Package(Ecosystem.PYPI, "demo", "1.0", "r.txt")])
    with pytest.raises(VulnStoreError, match=r"npm/all.zip: download failed: HTTP 404"):
        sync(store, ["npm"], base=export_server)
