"""A tool's report as untrusted JSON: decoding, and the words of errors (JSON paths, kinds of values).

Kept apart from ``report.py``'s pydantic models: the SARIF importer reads big logs without pydantic, and
``bastion import`` should not pay for importing it.
"""

from __future__ import annotations

import json
from typing import Any

from bastion.errors import ImporterError

__all__ = ["json_path", "kind_of", "load_json"]


def load_json(data: bytes, source: str) -> Any:
    """The decoded JSON document; ``ImporterError`` naming ``source`` when it is not UTF-8 JSON."""
    try:
        return json.loads(data)
    except json.JSONDecodeError as err:
        problem = err.msg.removesuffix(" at")
        raise ImporterError(f"{source}: invalid JSON at line {err.lineno} column {err.colno}: {problem}") from err
    except UnicodeDecodeError as err:
        raise ImporterError(f"{source}: not UTF-8 text: bad byte at offset {err.start}") from err
    except RecursionError as err:
        raise ImporterError(f"{source}: invalid JSON: nested too deeply") from err
    except ValueError as err:  # Python refuses to convert an integer of more than 4,300 digits
        raise ImporterError(f"{source}: invalid JSON: a number is too long") from err


def json_path(loc: tuple[int | str, ...]) -> str:
    """``$.runs[0].results`` for ``("runs", 0, "results")``."""
    path = "$"
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if part.isidentifier() else f"[{json.dumps(part)}]"
    return path


def kind_of(value: object) -> str:
    """A short description of a JSON value for error messages (``the string "x"``, ``an array``...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {json.dumps(value)[:40]}"
    return "an array" if isinstance(value, list) else "an object"
