"""The offline OSV vulnerability store: records, import, sync and the SQLite file they live in."""

from __future__ import annotations

from bastion.scanners.sca.osv.advisory import Advisory, AffectedPackage
from bastion.scanners.sca.osv.importer import ImportReport, import_path
from bastion.scanners.sca.osv.store import StoreStatus, VulnStore, default_store_path

__all__ = [
    "Advisory",
    "AffectedPackage",
    "ImportReport",
    "StoreStatus",
    "VulnStore",
    "default_store_path",
    "import_path",
]
