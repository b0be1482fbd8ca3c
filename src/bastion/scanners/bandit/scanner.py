"""The bandit scanner: runs bandit's manager over a target's Python files and reports findings and skips."""

from __future__ import annotations

import ast
import logging
import sys
import threading
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from pydantic import BaseModel, ValidationError

from bastion.errors import ScannerError
from bastion.model import Finding
from bastion.scanners.bandit.issue import finding_from_issue
from bastion.scanners.bandit.options import BanditOptions
from bastion.scanners.protocol import ScanTarget
from bastion.scanners.registry import suggest

__all__ = ["PYTHON_SUFFIXES", "BanditScanner"]

PYTHON_SUFFIXES = (".py", ".pyi")
_SYNTAX_SKIP = "syntax error while parsing AST from file"

# bandit keeps the configuration of a run in module globals (BanditTestSet sets attributes on the blacklist
# function and on every plugin that takes config; docs_utils.get_url edits its blacklist table), so two scans
# must not interleave. bandit is pure Python, so under the GIL serialising them costs little.
_BANDIT_LOCK = threading.Lock()


class BanditScanner:
    """``sast`` for Python: bandit through its Python API, one fresh ``BanditManager`` per scan."""

    name = "sast"
    description = "Python static analysis with bandit (injection, weak crypto, unsafe deserialisation...)."
    options_model: type[BaseModel] = BanditOptions

    def applies_to(self, root: Path, files: Sequence[str]) -> bool:
        """True when there is at least one Python file."""
        return any(f.endswith(PYTHON_SUFFIXES) for f in files)

    def scan(self, target: ScanTarget, options: BaseModel) -> Iterable[Finding]:
        """Run bandit over the target's Python files; unparsable files go to ``target.not_analysed``."""
        opts = _options(options)
        root = target.root.absolute()
        by_name = {str(root / rel): rel for rel in target.files if rel.endswith(PYTHON_SUFFIXES)}
        if not by_name:
            return []
        control = target.control or self.name
        findings: list[Finding] = []
        with _BANDIT_LOCK:
            bandit = _bandit()
            _check_test_ids(bandit, opts)
            conf = bandit.config.BanditConfig()
            manager = bandit.manager.BanditManager(
                conf, "file", quiet=True, profile={"include": opts.tests, "exclude": opts.skip}
            )
            manager.discover_files(sorted(by_name))
            manager.run_tests()
            issues = manager.get_issue_list(opts.severity.bandit_name, opts.confidence.bandit_name)
            sources: dict[str, list[str]] = {}
            for issue in issues:
                fname = str(issue.fname)
                lines = sources.get(fname)
                if lines is None:
                    lines = sources[fname] = _read(fname).splitlines()
                number = int(issue.lineno)
                findings.append(
                    finding_from_issue(
                        issue,
                        control=control,
                        path=by_name.get(fname) or _relative(root, fname),
                        line=lines[number - 1] if 0 < number <= len(lines) else "",
                        title=_title(bandit, issue),
                        help_uri=str(bandit.docs_utils.get_url(issue.test_id)),
                    )
                )
            analysed = set(manager.files_list)
            skipped = [(str(name), str(reason)) for name, reason in manager.get_skipped()]
            excluded = [str(name) for name in manager.excluded_files]
        for name, reason in skipped:
            target.not_analysed(by_name.get(name) or _relative(root, name), _explain(name, reason))
        for name in excluded:
            target.not_analysed(by_name.get(name) or _relative(root, name), "excluded by bandit's settings")
        accounted = analysed | {name for name, _ in skipped} | set(excluded)
        for name in sorted(set(by_name) - accounted):
            target.not_analysed(by_name[name], "bandit returned without analysing it")
        findings.sort(key=lambda f: (f.location.path or "", f.location.start_line or 0, f.rule_id))
        return findings


def _options(options: BaseModel) -> BanditOptions:
    if isinstance(options, BanditOptions):
        return options
    try:
        return BanditOptions.model_validate(options.model_dump())
    except ValidationError as err:
        raise ScannerError(f"sast: invalid options: {err.errors()[0]['msg']}") from err


@cache
def _bandit() -> Any:
    """bandit's modules, imported once, with its loggers silenced first (plugins log as they are loaded)."""
    # Everything bandit logs that matters comes back through manager.skipped, which we report; the rest
    # (a progress bar above 50 files at INFO, "nosec encountered...") would land on our stderr.
    log = logging.getLogger("bandit")
    log.addHandler(logging.NullHandler())
    log.setLevel(logging.WARNING)
    log.propagate = False
    try:
        from bandit.core import config, docs_utils, extension_loader, manager
    except ImportError as err:
        raise ScannerError(
            f"sast: bandit cannot be imported ({err})", hint="install it: pip install 'bandit>=1.7.9'"
        ) from err
    return SimpleNamespace(config=config, docs_utils=docs_utils, extension_loader=extension_loader, manager=manager)


def _check_test_ids(bandit: Any, opts: BanditOptions) -> None:
    extensions = bandit.extension_loader.MANAGER
    for key, ids in (("skip", opts.skip), ("tests", opts.tests)):
        for test_id in ids:
            if not extensions.check_id(test_id):
                known = sorted({*extensions.plugins_by_id, *extensions.blacklist_by_id})
                hint = suggest(test_id, known)
                raise ScannerError(f"sast: unknown bandit test id '{test_id}' in '{key}'{hint}")


def _title(bandit: Any, issue: Any) -> str:
    """The test's name; blacklist checks all run as test ``blacklist``, so theirs comes from the blacklist."""
    entry = bandit.extension_loader.MANAGER.blacklist_by_id.get(issue.test_id)
    if issue.test == "blacklist" and entry is not None:
        # docs_utils.get_url rewrites these names with dashes in place.
        return str(entry["name"]).replace("-", "_")
    return str(issue.test)


def _explain(name: str, reason: str) -> str:
    """bandit's skip reason, with the parser's own message for a syntax error."""
    if reason != _SYNTAX_SKIP:
        return f"bandit could not analyse it: {reason}"
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    try:
        ast.parse(_read(name), filename=name)
    except SyntaxError as err:
        where = f" (line {err.lineno})" if err.lineno else ""
        return f"not valid Python {version} syntax, bandit cannot parse it: {err.msg}{where}"
    except ValueError as err:
        return f"not valid Python {version} source, bandit cannot parse it: {err}"
    return f"bandit could not parse it on Python {version}"


def _read(name: str) -> str:
    try:
        return Path(name).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _relative(root: Path, name: str) -> str:
    path = Path(name)
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
