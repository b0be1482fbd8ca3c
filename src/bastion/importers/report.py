"""A tool's report as untrusted input: JSON decoding and schema checks that fail with one line naming the JSON path.

Every importer reads its report through ``load_json`` and ``validate``: a malformed report raises
``ImporterError("<source>: <JSON path>: <problem>")``, such as ``gitleaks.json: $[3].StartLine: expected an
integer, got the string "x"``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from bastion.errors import ImporterError
from bastion.importers.json_input import json_path, kind_of, load_json

__all__ = ["ToolReport", "json_path", "kind_of", "load_json", "validate", "validate_items"]

_M = TypeVar("_M", bound=BaseModel)

_EXPECTED = {
    "list_type": "expected an array",
    "model_type": "expected an object",
    "dict_type": "expected an object",
    "model_attributes_type": "expected an object",
    "string_type": "expected a string",
    "int_type": "expected an integer",
    "int_parsing": "expected an integer",
    "float_type": "expected a number",
    "bool_type": "expected a boolean",
    "missing": "required property is missing",
    "literal_error": "unexpected value",
    "enum": "unexpected value",
}


class ToolReport(BaseModel):
    """Base of the pydantic models of tools' reports: tools add fields freely, so extras are allowed."""

    model_config = ConfigDict(extra="allow", strict=True, frozen=True)


def validate(model: type[_M], raw: Any, source: str, prefix: tuple[int | str, ...] = ()) -> _M:
    """``raw`` checked against ``model``; the first problem raises ``ImporterError`` with its JSON path."""
    try:
        return model.model_validate(raw)
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        problem = _EXPECTED.get(first["type"], first["msg"].lower())
        if first["type"] != "missing":
            problem += f", got {kind_of(first['input'])}"
        raise ImporterError(f"{source}: {json_path((*prefix, *first['loc']))}: {problem}") from None


def validate_items(model: type[_M], raw: Any, source: str, prefix: tuple[int | str, ...] = ()) -> list[_M]:
    """``raw`` checked as an array of ``model``; the first problem raises ``ImporterError`` with its JSON path."""
    if not isinstance(raw, list):
        raise ImporterError(f"{source}: {json_path(prefix)}: expected an array, got {kind_of(raw)}")
    return [validate(model, item, source, (*prefix, index)) for index, item in enumerate(raw)]
