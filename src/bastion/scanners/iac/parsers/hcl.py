"""HCL expressions and bodies as JSON values, read from tree-sitter-hcl's syntax tree.

Values that can be known statically (literals, collections, templates over known values, references the
``Scope`` resolves) become JSON; anything else (function calls, references to other resources, conditionals on
unknown values) becomes the expression's source text wrapped in ``${...}``, as Terraform prints unknown values.
tree-sitter is used rather than python-hcl2 for speed: python-hcl2's Lark parser takes ~24 s on 1.8 MB of HCL
where tree-sitter takes under 1 s (``docs/benchmarks.md``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bastion.scanners.iac.errors import IacSyntaxError

if TYPE_CHECKING:
    from tree_sitter import Node, Parser

__all__ = ["UNKNOWN", "Resolver", "body_of", "hcl_parser", "parse_hcl", "text_of", "value_of"]

UNKNOWN: Any = object()
"""What a resolver returns for a reference it cannot resolve."""

Resolver = Callable[[list[str | int]], Any]
"""Resolves a reference (``["var", "env"]``) to a value, or ``UNKNOWN``."""

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


@functools.cache
def hcl_parser() -> Parser:
    """One tree-sitter parser for HCL per process."""
    import tree_sitter_hcl
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_hcl.language()))


def parse_hcl(source: bytes, path: str) -> Node:
    """The ``body`` of an HCL file; ``IacSyntaxError`` at the first error's line."""
    root = hcl_parser().parse(source).root_node
    if root.has_error:
        raise IacSyntaxError(path, _first_error_line(root), "HCL syntax error")
    body = next((c for c in root.children if c.type == "body"), None)
    return body if body is not None else root


def _first_error_line(node: Node) -> int:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "ERROR" or current.is_missing:
            return current.start_point[0] + 1
        stack.extend(reversed([c for c in current.children if c.has_error or c.is_missing or c.type == "ERROR"]))
    return node.start_point[0] + 1


def text_of(node: Node) -> str:
    """The node's source text."""
    return (node.text or b"").decode("utf-8", "replace")


def _unknown(node: Node) -> str:
    # White space collapsed and long expressions cut: checks only test for "${" and look for references, and
    # regopy reads its input at about 1 MB/s.
    text = " ".join(text_of(node).split())
    return "${" + (text if len(text) <= 160 else text[:157] + "...") + "}"


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append(_ESCAPES.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def value_of(node: Node, resolve: Resolver) -> Any:
    """The JSON value of an expression node (or one of its parts)."""
    kind = node.type
    if kind == "expression":
        return _expression(node, resolve)
    if kind == "literal_value":
        return _literal(node.children[0], resolve)
    if kind == "collection_value":
        return value_of(node.children[0], resolve)
    if kind == "tuple":
        return [value_of(c, resolve) for c in node.children if c.type == "expression"]
    if kind == "object":
        result: dict[str, Any] = {}
        for elem in node.children:
            if elem.type == "object_elem":
                key_node, val_node = elem.child_by_field_name("key"), elem.child_by_field_name("val")
                if key_node is None or val_node is None:
                    continue
                result[_key(key_node, resolve)] = value_of(val_node, resolve)
        return result
    if kind == "template_expr":
        return _template(node.children[0], resolve)
    if kind == "function_call":
        return _call(node, resolve)
    return _unknown(node)


def _call(node: Node, resolve: Resolver) -> Any:
    """The few pure functions whose result matters to checks, when every argument is known."""
    name = text_of(node.children[0])
    arguments = next((c for c in node.children if c.type == "function_arguments"), None)
    args = [value_of(c, resolve) for c in arguments.children if c.type == "expression"] if arguments else []
    if any(isinstance(a, str) and a.startswith("${") for a in args):
        return _unknown(node)
    if name == "jsonencode" and len(args) == 1:  # unknown parts stay "${...}" strings inside valid JSON
        return json.dumps(args[0])
    if _has_unknown(args):
        return _unknown(node)
    if name in {"tolist", "toset", "tomap", "tostring", "tonumber", "tobool"} and len(args) == 1:
        return args[0]
    if name == "merge" and all(isinstance(a, dict) for a in args):
        return {k: v for a in args for k, v in a.items() if not k.startswith("__")}
    if name == "concat" and all(isinstance(a, list) for a in args):
        return [v for a in args for v in a]
    if name in {"lower", "upper"} and len(args) == 1 and isinstance(args[0], str):
        return args[0].lower() if name == "lower" else args[0].upper()
    return _unknown(node)


def _has_unknown(value: Any) -> bool:
    if isinstance(value, str):
        return value.startswith("${")
    if isinstance(value, dict):
        return any(_has_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_unknown(v) for v in value)
    return False


def _key(node: Node, resolve: Resolver) -> str:
    parts = [c for c in node.children if c.type not in {"(", ")"}]
    if len(parts) == 1 and parts[0].type == "variable_expr":
        return text_of(parts[0])  # a bare word is the key itself, not a reference
    value = value_of(node, resolve)
    return value if isinstance(value, str) else json.dumps(value)


def _literal(node: Node, resolve: Resolver) -> Any:
    kind = node.type
    if kind == "numeric_lit":
        text = text_of(node)
        try:
            return int(text)
        except ValueError:
            return float(text)
    if kind == "bool_lit":
        return text_of(node) == "true"
    if kind == "null_lit":
        return None
    if kind == "string_lit":
        return "".join(_unescape(text_of(c)) for c in node.children if c.type == "template_literal")
    return _unknown(node)


def _template(node: Node, resolve: Resolver) -> Any:
    if node.type == "heredoc_template":
        idents = [c for c in node.children if c.type == "heredoc_identifier"]
        source = node.text or b""
        start = idents[0].end_byte - node.start_byte
        end = idents[-1].start_byte - node.start_byte if len(idents) > 1 else len(source)
        body = source[start:end].decode("utf-8", "replace").partition("\n")[2]
        return body.rsplit("\n", 1)[0] + "\n" if "\n" in body else body
    parts: list[str] = []
    for child in node.children:
        if child.type == "template_literal":
            parts.append(_unescape(text_of(child)))
        elif child.type == "template_interpolation":
            expr = next((c for c in child.children if c.type == "expression"), None)
            value = value_of(expr, resolve) if expr is not None else None
            if isinstance(value, bool):
                parts.append("true" if value else "false")
            elif isinstance(value, int | float | str):
                parts.append(str(value))
            else:
                parts.append(text_of(child))
        elif child.type not in {"quoted_template_start", "quoted_template_end"}:
            parts.append(text_of(child))
    return "".join(parts)


def _expression(node: Node, resolve: Resolver) -> Any:
    children = node.children
    head = children[0]
    if head.type == "(" and len(children) == 3:
        return value_of(children[1], resolve)
    if head.type == "variable_expr":
        ref: list[str | int] = [text_of(head)]
        for part in children[1:]:
            if part.type == "get_attr":
                ref.append(text_of(part.children[-1]))
            elif part.type == "index" and (inner := part.children[0]).type == "new_index":
                key = value_of(inner.children[1], resolve)
                if not isinstance(key, int | str) or (isinstance(key, str) and key.startswith("${")):
                    return _unknown(node)
                ref.append(key)
            else:
                return _unknown(node)
        value = resolve(ref)
        return _unknown(node) if value is UNKNOWN else value
    if len(children) == 1:
        if head.type == "operation" and head.children[0].type == "unary_operation":
            op = head.children[0]
            operand = value_of(op.children[1], resolve)
            if text_of(op.children[0]) == "-" and isinstance(operand, int | float) and not isinstance(operand, bool):
                return -operand
            if text_of(op.children[0]) == "!" and isinstance(operand, bool):
                return not operand
            return _unknown(node)
        return value_of(head, resolve)
    return _unknown(node)


def body_of(body: Node, resolve: Resolver, *, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A body's attributes and nested blocks (lists of bodies under the block type) with ``__line__``/``__lines__``."""
    result: dict[str, Any] = {"__line__": body.start_point[0] + 1}
    lines: dict[str, int] = {}
    for child in body.children:
        if child.type == "attribute":
            name = text_of(child.children[0])
            if name in skip:
                continue
            result[name] = value_of(child.children[-1], resolve)
            lines[name] = child.start_point[0] + 1
        elif child.type == "block":
            name = text_of(child.children[0])
            if name in skip:
                continue
            inner = block_body(child)
            value = body_of(inner, resolve) if inner is not None else {}
            value["__line__"] = child.start_point[0] + 1
            labels = block_labels(child)
            if labels:
                value["__labels__"] = labels
            result.setdefault(name, []).append(value)
            lines.setdefault(name, child.start_point[0] + 1)
    result["__lines__"] = lines
    return result


def block_body(block: Node) -> Node | None:
    """The ``body`` of a block, ``None`` when it is empty."""
    return next((c for c in block.children if c.type == "body"), None)


def block_labels(block: Node) -> list[str]:
    """A block's labels: ``resource "aws_s3_bucket" "logs"`` → ``["aws_s3_bucket", "logs"]``."""
    return [
        _literal(c, _no_resolve) if c.type == "string_lit" else text_of(c)
        for c in block.children[1:]
        if c.type in {"string_lit", "identifier"}
    ]


def _no_resolve(ref: list[str | int]) -> Any:
    return UNKNOWN
