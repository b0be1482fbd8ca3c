"""``.bastion/exceptions.yml``: the reviewed, version-controlled list of exceptions.

pydantic reads it with ``extra="forbid"`` so a misspelt key fails with ``file:line`` (ruamel keeps the lines);
``write_exceptions`` writes it back sorted by id so diffs stay small.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from bastion.policy.errors import PolicyError
from bastion.policy.exception import ExceptionScope, PolicyException

__all__ = ["EXCEPTIONS_FILE", "read_exceptions", "write_exceptions"]

EXCEPTIONS_FILE = Path(".bastion") / "exceptions.yml"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    scope: ExceptionScope
    target: str
    reason: str
    approver: str
    expires: date
    created: datetime


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = 1
    exceptions: list[_Entry] = []


def _line_of(data: Any, loc: Sequence[int | str]) -> int:
    node, line = data, 1
    for key in loc:
        try:
            if hasattr(node, "lc"):
                line = (node.lc.key(key)[0] if isinstance(key, str) else node.lc.item(key)[0]) + 1
            node = node[key]
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    return line


def read_exceptions(path: Path) -> list[PolicyException]:
    """The exceptions in a file (none when it does not exist); ``PolicyError`` naming ``file:line``."""
    if not path.is_file():
        return []
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError

    try:
        data = YAML(typ="rt").load(path.read_text(encoding="utf-8")) or {}
    except MarkedYAMLError as err:
        line = err.problem_mark.line + 1 if err.problem_mark else 1
        raise PolicyError(f"{path}:{line}: {err.problem}") from err
    try:
        parsed = _File.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PolicyError(f"{path}:{_line_of(data, first['loc'])}: {where}: {first['msg']}") from err
    return [
        PolicyException(
            id=e.id,
            scope=e.scope,
            target=e.target,
            reason=e.reason,
            approver=e.approver,
            expires=e.expires,
            created=e.created,
        )
        for e in parsed.exceptions
    ]


def write_exceptions(path: Path, exceptions: Sequence[PolicyException]) -> None:
    """Write the exceptions, sorted by id."""
    from ruamel.yaml import YAML

    entries = [
        {
            "id": e.id,
            "scope": e.scope.value,
            "target": e.target,
            "reason": e.reason,
            "approver": e.approver,
            "expires": e.expires.isoformat(),
            "created": e.created.isoformat(),
        }
        for e in sorted(exceptions, key=lambda e: e.id)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write("# Exceptions to the security policy: reviewed like code, each with an expiry.\n")
        YAML().dump({"version": 1, "exceptions": entries}, out)
