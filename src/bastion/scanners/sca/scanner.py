"""The ``sca`` control: software composition analysis of a repository's lockfiles against the OSV store."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from pydantic import BaseModel

from bastion.model import Finding
from bastion.scanners.protocol import ScanTarget
from bastion.scanners.sca.audit import ScaOptions, audit, open_store
from bastion.scanners.sca.osv.store import default_store_path
from bastion.scanners.sca.parsers import parser_for

__all__ = ["ScaScanner"]

_log = logging.getLogger("bastion.sca")


class ScaScanner:
    """Finds vulnerable and disallowed dependencies in lockfiles, manifests and installed environments."""

    name = "sca"
    description = "Known vulnerabilities (offline OSV store) and licences of every locked dependency."
    options_model: type[BaseModel] = ScaOptions

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = dict(os.environ if environ is None else environ)

    def applies_to(self, root: Path, files: Sequence[str]) -> bool:
        """True when any file is a lockfile or manifest bastion reads."""
        return any(parser_for(path) is not None for path in files)

    def store_path(self, options: ScaOptions) -> Path:
        """The store this scan reads: the option, else the environment's default."""
        return Path(options.osv_db).expanduser() if options.osv_db else default_store_path(self._environ)

    def scan(self, target: ScanTarget, options: BaseModel) -> Iterable[Finding]:
        """Audit the target's lockfiles; unreadable ones are reported through ``target.not_analysed``."""
        assert isinstance(options, ScaOptions)
        files = [path for path in target.files if parser_for(path) is not None]
        store = open_store(self.store_path(options))
        try:
            report = audit(target.root, files, store, options, control=target.control or self.name)
        finally:
            store.close()
        for error in report.inventory.errors:
            target.not_analysed(error.path, str(error))
        for warning in report.warnings[len(report.inventory.errors) :]:
            _log.warning(warning)
        return report.findings
