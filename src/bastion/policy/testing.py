"""``bastion policy test``: run Rego unit tests, as ``opa test`` does, and data-driven cases.

Two kinds of test: ``test_`` rules (true passes; false or undefined fails), and ``<policy>.cases.yml`` files
beside a policy, each case an ``input`` and an expectation (``outcome`` of the gate's reasons, or ``count`` of
what ``query`` returns). Cases exist because regopy 1.5 crashes on ``with input as`` in a rule whose target
calls any built-in (``sprintf``, ``concat``, ``in``...), which rules out most OPA-style unit tests; a case sets
the input without ``with``. Everything runs in a child process so a crash becomes a message, not a dead command.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bastion.policy.errors import PolicyError

__all__ = ["PolicyTestResult", "run_policy_tests"]

_PACKAGE = re.compile(r"^package\s+([\w.]+)", re.MULTILINE)
_TEST = re.compile(r"^(test_\w+)\b", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class PolicyTestResult:
    """One test rule's outcome."""

    file: str
    package: str
    name: str
    passed: bool


def _discover(sources: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    found = []
    for name, text in sources:
        package = _PACKAGE.search(text)
        if package is not None:
            found += [(name, package[1], test) for test in dict.fromkeys(_TEST.findall(text))]
    return found


def _evaluate(paths: Sequence[str]) -> list[dict[str, object]]:
    """In the child: compile everything, evaluate each test rule."""
    from regopy import Interpreter

    from bastion.scanners.iac.bundle import rego_error, user_sources

    sources = user_sources([Path(p) for p in paths])
    rego = Interpreter()
    try:
        for source in sources:
            rego.add_module(source.name, source.text)
    except Exception as err:
        raise PolicyError(rego_error(err, sources)) from err
    results: list[dict[str, object]] = []
    for path in paths:
        for cases in sorted(Path(path).rglob("*.cases.yml")) if Path(path).is_dir() else []:
            results += _run_cases(rego, cases)
    for file, package, test in _discover([(s.name, s.text) for s in sources]):
        try:
            output = json.loads(str(rego.query(f"x := data.{package}.{test}")) or "{}")
        except Exception:
            output = {}
        passed = isinstance(output, dict) and output.get("bindings", {}).get("x") is True
        results.append({"file": file, "package": package, "name": test, "passed": passed})
    return results


_RANK = {"pass": 0, "warn": 1, "block": 2}


def _run_cases(rego: Any, path: Path) -> list[dict[str, object]]:
    from ruamel.yaml import YAML

    results: list[dict[str, object]] = []
    for number, case in enumerate((YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}).get("cases", [])):
        name = str(case.get("name", f"case {number + 1}"))
        query = str(case.get("query", "data.bastion.gate.reasons"))
        expect = case.get("expect", {})
        try:
            rego.set_input_term(json.dumps(case.get("input", {})))
            output = json.loads(str(rego.query(f"x := {query}")) or "{}")
            value = output.get("bindings", {}).get("x") if isinstance(output, dict) else None
        except Exception:
            value = None
        passed = isinstance(value, list | dict)
        if not isinstance(value, list | dict):
            value = []
        if passed and "outcome" in expect:
            outcomes = [r.get("outcome", "block") if isinstance(r, dict) else "block" for r in value]
            passed = max(outcomes, key=_RANK.__getitem__, default="pass") == expect["outcome"]
        if passed and "count" in expect:
            passed = len(value) == expect["count"]
        results.append({"file": str(path), "package": query, "name": name, "passed": passed})
    return results


def run_policy_tests(paths: Sequence[Path]) -> list[PolicyTestResult]:
    """Every test rule under the paths; ``PolicyError`` when a policy does not compile or regopy crashes."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise PolicyError(f"{missing[0]}: no such file or directory")
    child = subprocess.run(
        [sys.executable, "-m", "bastion.policy.testing", *(str(p) for p in paths)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if child.returncode != 0:
        lines = [line for line in child.stdout.splitlines() + child.stderr.splitlines() if line.strip()]
        error = next((line[len("error: ") :] for line in lines if line.startswith("error: ")), None)
        raise PolicyError(error or f"the Rego interpreter crashed (exit {child.returncode}) running the tests")
    return [PolicyTestResult(**item) for item in json.loads(child.stdout)]


def _main(argv: Sequence[str]) -> int:
    try:
        print(json.dumps(_evaluate(argv)))
    except PolicyError as err:
        print(f"error: {err}")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
