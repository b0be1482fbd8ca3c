"""The SARIF importer's error reporter: the fields it reads, checked over ``json.loads`` output in a set order.

``bastion.scanners.sarif_log`` decodes a log straight into typed structs, which is fast but stops at the first
problem in the order of the bytes. The pinned error messages name the first problem in the order of the schema's
fields instead, such as ``$.runs[0].results[3].message.text: expected a string, got the number 5``, so when the
fast decode fails the log is decoded again with ``json.loads`` and checked here: ``LOG`` says what is wrong in
those words. It must check exactly what the structs of ``sarif_log`` check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

from bastion.importers.json_input import json_path, kind_of

__all__ = ["LEVELS", "LOG", "problem_text"]

_Loc: TypeAlias = tuple[int | str, ...]
_Problem: TypeAlias = tuple[_Loc, str, object]
"""Where (path below the checked value), what was expected, and the value found (``_MISSING`` if none)."""
_Check: TypeAlias = Callable[[object], _Problem | None]
_Kind: TypeAlias = type | _Check
"""A field's type: ``str`` or ``int`` (checked inline), or a check for objects, arrays, maps and enums."""

_MISSING = object()
_EXPECTED_TYPE = {str: "expected a string", int: "expected an integer"}
LEVELS = ("none", "note", "warning", "error")
"""SARIF's result levels, in increasing order of concern."""


def problem_text(problem: _Problem) -> str:
    """``$.runs[0].tool.driver.name: expected a string, got null``: a problem as the error message says it."""
    loc, expected, value = problem
    got = "" if value is _MISSING else f", got {kind_of(value)}"
    return f"{json_path(loc)}: {expected}{got}"


def _problem_of(kind: _Kind, value: object) -> _Problem | None:
    if isinstance(kind, type):
        # JSON numbers are ``int`` or ``float`` and ``bool`` is no integer here: compare types exactly.
        return None if type(value) is kind else ((), _EXPECTED_TYPE[kind], value)
    return kind(value)


def _object(*fields: tuple[str, _Kind, bool, bool]) -> _Check:
    """A check for an object with these fields (name, type, required, nullable); other properties are ignored."""
    leaves = {name: kind for name, kind, _, _ in fields if isinstance(kind, type)}
    nested = {name: kind for name, kind, _, _ in fields if not isinstance(kind, type)}
    not_null = frozenset(name for name, _, _, nullable in fields if not nullable)
    required = tuple(name for name, _, needed, _ in fields if needed)

    def first_problem(value: dict[str, Any]) -> _Problem | None:
        # The slow way, in the schema's field order: the problem reported is the first one in that order.
        for name, kind, needed, nullable in fields:
            if name not in value:
                if needed:
                    return (name,), "required property is missing", _MISSING
                continue
            item = value[name]
            if item is None and nullable:
                continue
            problem = _problem_of(kind, item)
            if problem is not None:
                return (name, *problem[0]), problem[1], problem[2]
        return None

    def check(value: object) -> _Problem | None:
        if type(value) is not dict:
            return (), "expected an object", value
        # The fast way, over the properties present; on a problem, the slow way finds the one to report.
        for name, item in value.items():
            leaf = leaves.get(name)
            if leaf is not None:
                if type(item) is not leaf and (item is not None or name in not_null):
                    return first_problem(value)
                continue
            inner = nested.get(name)
            if inner is not None and (item is not None or name in not_null) and inner(item) is not None:
                return first_problem(value)
        for name in required:
            if name not in value:
                return first_problem(value)
        return None

    return check


def _array(kind: _Kind) -> _Check:
    def check(value: object) -> _Problem | None:
        if type(value) is not list:
            return (), "expected an array", value
        for index, item in enumerate(value):
            problem = _problem_of(kind, item)
            if problem is not None:
                return (index, *problem[0]), problem[1], problem[2]
        return None

    def check_objects(value: object) -> _Problem | None:
        if type(value) is not list:
            return (), "expected an array", value
        for item in value:  # the common case, one call per item; the index only when there is a problem
            if kind(item) is not None:
                return check(value)
        return None

    return check if isinstance(kind, type) else check_objects


def _map(kind: _Kind) -> _Check:
    def check(value: object) -> _Problem | None:
        if type(value) is not dict:
            return (), "expected an object", value
        for key, item in value.items():
            problem = _problem_of(kind, item)
            if problem is not None:
                return (key, *problem[0]), problem[1], problem[2]
        return None

    return check


def _level(value: object) -> _Problem | None:
    if type(value) is str and value in LEVELS:
        return None
    return (), "input should be 'none', 'note', 'warning' or 'error'", value


def _opt(name: str, kind: _Kind) -> tuple[str, _Kind, bool, bool]:
    return name, kind, False, True


def _req(name: str, kind: _Kind, *, nullable: bool = False) -> tuple[str, _Kind, bool, bool]:
    return name, kind, True, nullable


_MESSAGE = _object(_opt("text", str), _opt("markdown", str), _opt("id", str), _opt("arguments", _array(str)))
_PROPERTIES = _object(_opt("tags", _array(str)))
_RULE = _object(
    _req("id", str),
    _opt("name", str),
    _opt("shortDescription", _MESSAGE),
    _opt("fullDescription", _MESSAGE),
    _opt("help", _MESSAGE),
    _opt("helpUri", str),
    _opt("messageStrings", _map(_MESSAGE)),
    _opt("defaultConfiguration", _object(_opt("level", _level))),
    _opt("properties", _PROPERTIES),
)
_RULE_REFERENCE = _object(
    _opt("id", str), _opt("index", int), _opt("toolComponent", _object(_opt("index", int), _opt("name", str)))
)
_ARTIFACT_LOCATION = _object(_opt("uri", str), _opt("uriBaseId", str), _opt("index", int))
_LOCATION = _object(
    _opt(
        "physicalLocation",
        _object(
            _opt("artifactLocation", _ARTIFACT_LOCATION),
            _opt("region", _object(_opt("startLine", int), _opt("endLine", int), _opt("startColumn", int))),
        ),
    ),
    _opt("logicalLocations", _array(_object(_opt("name", str), _opt("fullyQualifiedName", str), _opt("kind", str)))),
)
_RESULT = _object(
    _opt("ruleId", str),
    _opt("ruleIndex", int),
    _opt("rule", _RULE_REFERENCE),
    _opt("kind", str),
    _opt("level", _level),
    _opt("message", _MESSAGE),
    _opt("locations", _array(_LOCATION)),
    _opt("taxa", _array(_RULE_REFERENCE)),
    _opt("suppressions", _array(_object(_opt("status", str)))),
    _opt("baselineState", str),
    _opt("properties", _PROPERTIES),
)
_TOOL_COMPONENT = _object(_req("name", str), _opt("rules", _array(_RULE)))
_RUN = _object(
    _req("tool", _object(_req("driver", _TOOL_COMPONENT), _opt("extensions", _array(_TOOL_COMPONENT)))),
    _opt("results", _array(_RESULT)),
    _opt("artifacts", _array(_object(_opt("location", _ARTIFACT_LOCATION)))),
    _opt("originalUriBaseIds", _map(_ARTIFACT_LOCATION)),
)
LOG = _object(_req("runs", _array(_RUN), nullable=True))
"""A SARIF log as read by the importer (``version`` is checked first, on its own)."""
