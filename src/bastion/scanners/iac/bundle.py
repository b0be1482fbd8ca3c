"""The check bundle: the built-in Rego checks and a user's own, compiled once per process by regopy.

Checks live in packages ``bastion.checks.<kind>.<name>``; each has a ``deny`` set of violations and a
``metadata`` object (check id → title, severity, rationale, remediation, references). One generated module,
``bastion.run``, gathers every package's ``deny`` for a kind, so a whole input document is checked by a single
query on a prepared bundle: per-check queries cost regopy ~0.4 ms of set-up each, per-file queries ~30 ms.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from bastion.scanners.iac.document import DocumentKind, InputDocument
from bastion.scanners.iac.errors import IacError

__all__ = ["CheckBundle", "RegoSource", "check_bundle", "rego_error", "user_sources"]

_RUN = (
    "package bastion.run\nimport rego.v1\n"
    + "".join(
        f'{kind.value} := [{{"pkg": p, "v": v}} | v := data.bastion.checks.{kind.value}[p].deny[_]]\n'
        for kind in DocumentKind
    )
    + "metadata := {id: m | some k, p; m := data.bastion.checks[k][p].metadata[id]}\n"
)
_ENTRYPOINTS = [f"bastion/run/{kind.value}" for kind in DocumentKind] + ["bastion/run/metadata"]
_TYPE = re.compile(r'"((?:aws|azurerm|google)_[a-z0-9_]+|AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)"')
_ERROR = re.compile(r"\(error \d+:(?P<name>[^|]*)\|(?P<offset>\d+)\|\d+\s+\(errormsg \d+:(?P<msg>[^)\n]*)")


@dataclass(frozen=True, slots=True)
class RegoSource:
    """One Rego module: the name errors are reported under, and its text."""

    name: str
    text: str


def rego_error(err: Exception, sources: Sequence[RegoSource]) -> str:
    """regopy's error tree as ``file:line: message`` (its offsets are turned into lines)."""
    match = _ERROR.search(str(err))
    if match is None:
        return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    text = next((s.text for s in sources if s.name == match["name"]), "")
    line = text.count("\n", 0, int(match["offset"])) + 1
    return f"{match['name']}:{line}: {match['msg'].strip()}"


def builtin_sources() -> list[RegoSource]:
    """The Rego files shipped in ``bastion/scanners/iac/checks``."""
    root = resources.files("bastion.scanners.iac") / "checks"
    # lib.rego first: rego-cpp 1.5 crashes in build() when a module defining a function named like one of
    # bastion.lib's is added before lib.rego.
    return sorted(
        (
            RegoSource(f"checks/{f.name}", f.read_text(encoding="utf-8"))
            for f in root.iterdir()
            if f.name.endswith(".rego")
        ),
        key=lambda s: (s.name != "checks/lib.rego", s.name),
    )


def user_sources(paths: Sequence[Path]) -> list[RegoSource]:
    """Every ``.rego`` file under the given files or directories, tests included."""
    found: list[RegoSource] = []
    for path in paths:
        files = sorted(path.rglob("*.rego")) if path.is_dir() else [path]
        for file in files:
            try:
                found.append(RegoSource(str(file), file.read_text(encoding="utf-8")))
            except OSError as err:
                raise IacError(f"{file}: cannot read policy: {err.strerror}") from err
    return found


class CheckBundle:
    """Compiled checks: evaluate an input document, read every check's metadata."""

    def __init__(self, sources: Sequence[RegoSource]) -> None:
        from regopy import Interpreter

        self.sources = tuple(sources)
        self._rego = Interpreter()
        self._lock = threading.Lock()  # one interpreter holds one input at a time
        try:
            for source in self.sources:
                self._rego.add_module(source.name, source.text)
            self._rego.add_module("bastion/run.rego", _RUN)
            # One plan with an entrypoint per kind: regopy compiles the whole bundle once per build() call.
            self._plan = self._rego.build(None, _ENTRYPOINTS)
        except Exception as err:  # regopy raises RegoError (an Exception subclass) with an error tree
            raise IacError(rego_error(err, self.sources)) from err
        self.metadata = self._metadata()
        self.resource_types = self._resource_types()

    def _resource_types(self) -> frozenset[str] | None:
        """The resource types the checks name, or ``None`` when a user's module may read any type.

        Only these are sent to the interpreter: regopy reads JSON input at about 1 MB/s, and most of a large
        Terraform project is resource types no built-in check looks at.
        """
        if any(not s.name.startswith("checks/") for s in self.sources):
            return None
        return frozenset(t for s in self.sources for t in _TYPE.findall(s.text))

    def _metadata(self) -> dict[str, dict[str, Any]]:
        try:
            output = json.loads(str(self._rego.query_bundle_entrypoint(self._plan, "bastion/run/metadata")))
        except Exception as err:
            raise IacError(rego_error(err, self.sources)) from err
        result = _binding(output)
        return result if isinstance(result, dict) else {}

    def evaluate(self, document: InputDocument) -> list[tuple[str, Any]]:
        """Every violation of the document as (check package, the value ``deny`` produced)."""
        with self._lock:
            try:
                payload = document.to_json(self.resource_types)
                self._rego.set_input_term(json.dumps(payload, separators=(",", ":")))
                output = json.loads(str(self._rego.query_bundle_entrypoint(self._plan, f"bastion/run/{document.kind}")))
            except Exception as err:
                raise IacError(f"{', '.join(document.files[:3])}: {rego_error(err, self.sources)}") from err
        hits = _binding(output) or []
        return [(str(h["pkg"]), h["v"]) for h in hits]


def _binding(output: Any) -> Any:
    if isinstance(output, dict):
        if "bindings" in output:
            return output["bindings"].get("x")
        if output.get("expressions"):
            return output["expressions"][0]
        results = output.get("result") or output.get("results")
        if isinstance(results, list) and results:
            return _binding(results[0])
    return None


@functools.lru_cache(maxsize=8)
def check_bundle(user_files: tuple[Path, ...] = (), *, builtin: bool = True) -> CheckBundle:
    """The process's compiled bundle for a set of user policy paths (compiled on first use)."""
    sources = [*(builtin_sources() if builtin else []), *user_sources(user_files)]
    return CheckBundle(sources)
