"""YAML documents as JSON values that remember lines: every mapping gets ``__line__`` and ``__lines__``.

ruamel.yaml's round-trip loader keeps the position of every mapping, sequence and key. Local tags (CloudFormation's
``!Ref``, ``!Sub``, ``!GetAtt``...) become their long form (``{"Ref": ...}``, ``{"Fn::Sub": ...}``), the shape
CloudFormation itself gives them, so a check reads both spellings alike.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from bastion.scanners.iac.errors import IacSyntaxError

__all__ = ["load_yaml_documents", "plain"]


@functools.cache
def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = True
    return yaml


def load_yaml_documents(text: str, path: str) -> Iterator[Any]:
    """Each YAML document of a file as plain JSON values; ``IacSyntaxError`` with the line of a YAML error."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        documents = list(_yaml().load_all(text))
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = min(mark.line + 1, max(text.count("\n"), 1)) if mark is not None else 1  # not past the last line
        raise IacSyntaxError(path, line, f"YAML syntax error: {err.problem or err.context}") from err
    except YAMLError as err:
        raise IacSyntaxError(path, 1, f"YAML error: {str(err).splitlines()[0]}") from err
    for document in documents:
        if document is not None:
            yield plain(document)


def _tagged(tag: str, value: Any) -> Any:
    name = tag.lstrip("!")
    if name == "Ref":
        return {"Ref": value}
    if name == "GetAtt" and isinstance(value, str):
        return {"Fn::GetAtt": value.split(".", 1)}
    if name == "Condition":
        return {"Condition": value}
    return {f"Fn::{name}": value}


def plain(node: Any) -> Any:
    """A ruamel value as plain JSON: mappings with ``__line__`` / ``__lines__``, tags in their long form."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar

    tag = getattr(getattr(node, "tag", None), "value", None)
    if isinstance(node, TaggedScalar):
        return _tagged(str(node.tag.value), node.value)
    if isinstance(node, CommentedMap):
        lines = {str(k): node.lc.key(k)[0] + 1 for k in node}
        result: dict[str, Any] = {str(k): plain(v) for k, v in node.items()}
        result["__line__"] = node.lc.line + 1
        result["__lines__"] = lines
        return _tagged(tag, result) if tag and tag.startswith("!") else result
    if isinstance(node, CommentedSeq):
        items = [plain(v) for v in node]
        return _tagged(tag, items) if tag and tag.startswith("!") else items
    if isinstance(node, bool | int | float | str) or node is None:
        return _scalar(node)
    return str(node)


def _scalar(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)
