"""Sync: download osv.dev's per-ecosystem exports and import them. The only network access in bastion.

Each ecosystem is one zip at ``https://osv-vulnerabilities.storage.googleapis.com/<ecosystem>/all.zip``; it is
streamed to a temporary file (never into the repository), imported, and deleted.
"""

from __future__ import annotations

import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from bastion.scanners.sca.ecosystem import Ecosystem
from bastion.scanners.sca.errors import VulnStoreError
from bastion.scanners.sca.osv.importer import ImportReport, Progress, import_path
from bastion.scanners.sca.osv.store import VulnStore

__all__ = ["DEFAULT_ECOSYSTEMS", "EXPORT_BASE", "export_url", "sync"]

EXPORT_BASE = "https://osv-vulnerabilities.storage.googleapis.com"
DEFAULT_ECOSYSTEMS: tuple[str, ...] = tuple(e.value for e in Ecosystem if e not in (Ecosystem.DEBIAN, Ecosystem.ALPINE))
_TIMEOUT = 60


def export_url(ecosystem: str, base: str = EXPORT_BASE) -> str:
    """The URL of one ecosystem's export (``Debian:12`` and ``crates.io`` are quoted as osv.dev names them)."""
    if not ecosystem or "/" in ecosystem or ".." in ecosystem:
        raise VulnStoreError(f"--ecosystem {ecosystem!r}: not an OSV ecosystem name")
    return f"{base}/{urllib.parse.quote(ecosystem)}/all.zip"


def sync(
    store: VulnStore,
    ecosystems: Sequence[str] = DEFAULT_ECOSYSTEMS,
    *,
    base: str = EXPORT_BASE,
    progress: Progress | None = None,
) -> list[ImportReport]:
    """Download and import each ecosystem's export; a failed download is a ``VulnStoreError`` naming the URL."""
    reports: list[ImportReport] = []
    with tempfile.TemporaryDirectory(prefix="bastion-osv-") as folder:
        for ecosystem in ecosystems:
            url = export_url(ecosystem, base)
            target = Path(folder) / f"{ecosystem.replace(':', '_')}.zip"
            _download(url, target)
            reports += import_path(store, target, progress=progress)
            target.unlink()
    return reports


def _download(url: str, target: Path) -> None:
    if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise VulnStoreError(f"{url}: only https downloads are allowed")
    request = urllib.request.Request(url, headers={"User-Agent": "bastion-osv-sync"})  # noqa: S310 - scheme checked
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT) as response, target.open("wb") as out:  # noqa: S310
            shutil.copyfileobj(response, out, length=1 << 20)
    except urllib.error.HTTPError as err:
        raise VulnStoreError(f"{url}: download failed: HTTP {err.code}") from err
    except (urllib.error.URLError, TimeoutError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise VulnStoreError(f"{url}: download failed: {reason}") from err
