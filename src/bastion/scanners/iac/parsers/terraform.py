"""Terraform configurations as input documents: one module directory's resources, with values resolved.

Variables take their value from a calling module's arguments, then ``terraform.tfvars`` / ``*.auto.tfvars``,
then their ``default``; locals are evaluated on demand; ``count`` and ``for_each`` expand into one element per
instance when their value is static (else one element, as Terraform's plan would show an unknown); local modules
(``source = "./..."``) are loaded with their arguments and their resources carry ``module.<name>.`` addresses.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from bastion.scanners.iac.document import DocumentKind, InputDocument
from bastion.scanners.iac.parsers.hcl import UNKNOWN, block_body, block_labels, body_of, parse_hcl, value_of

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = ["TerraformModule", "load_terraform", "module_calls"]

_MAX_DEPTH = 8
_META = frozenset({"count", "for_each", "lifecycle", "depends_on", "provider", "provisioner", "connection"})
ReadFile = Callable[[str], bytes]


@dataclass
class TerraformModule:
    """The parsed blocks of one module directory."""

    directory: str
    blocks: list[tuple[str, Node]] = field(default_factory=list)
    """(file, block) for every top-level block of every ``.tf`` file."""
    tfvars: dict[str, Any] = field(default_factory=dict)
    _defaults: dict[str, Any] | None = None
    _local_nodes: dict[str, Node] | None = None

    def defaults(self) -> dict[str, Any]:
        """Each variable's value before a caller's arguments: ``*.tfvars``, else its default, else unknown."""
        if self._defaults is None:
            self._defaults = {}
            for _, block in self.blocks:
                if _block_type(block) == "variable":
                    name = block_labels(block)[0]
                    self._defaults[name] = self.tfvars.get(name, _attribute(block, "default", missing=UNKNOWN))
        return self._defaults

    def local_nodes(self) -> dict[str, Node]:
        """The expression of every local value, by name."""
        if self._local_nodes is None:
            self._local_nodes = {}
            for _, block in self.blocks:
                if _block_type(block) == "locals" and (body := block_body(block)) is not None:
                    for child in body.children:
                        if child.type == "attribute":
                            self._local_nodes[(child.children[0].text or b"").decode()] = child.children[-1]
        return self._local_nodes

    @classmethod
    def read(cls, directory: str, files: list[str], read: ReadFile) -> TerraformModule:
        """Parse the ``.tf`` and ``.tfvars`` files of a directory; ``IacSyntaxError`` on the first bad one."""
        module = cls(directory)
        for path in sorted(files):
            body = parse_hcl(read(path), path)
            if path.endswith(".tfvars"):
                values = body_of(body, lambda ref: UNKNOWN)
                module.tfvars.update({k: v for k, v in values.items() if not k.startswith("__")})
            else:
                module.blocks.extend((path, c) for c in body.children if c.type == "block")
        return module


def module_calls(module: TerraformModule) -> Iterator[tuple[str, str]]:
    """(name, directory) of each local module the module calls."""
    for _, block in module.blocks:
        if _block_type(block) == "module":
            source = _attribute(block, "source")
            if isinstance(source, str) and source.startswith(("./", "../")):
                yield block_labels(block)[0], _join(module.directory, source)


def _join(directory: str, relative: str) -> str:
    parts: list[str] = [p for p in PurePosixPath(directory).parts if p != "."]
    for part in PurePosixPath(relative).parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts) or "."


def _block_type(block: Node) -> str:
    return (block.children[0].text or b"").decode()


def _attribute(
    block: Node, name: str, resolve: Callable[[list[str | int]], Any] | None = None, missing: Any = None
) -> Any:
    body = block_body(block)
    for child in body.children if body is not None else ():
        if child.type == "attribute" and child.children[0].text == name.encode():
            return value_of(child.children[-1], resolve or (lambda ref: UNKNOWN))
    return missing


def _item(value: Any, key: str | int) -> Any:
    if isinstance(value, dict) and isinstance(key, str) and key in value:
        return value[key]
    if isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
        return value[key]
    return UNKNOWN


class _Evaluation:
    """The scope of one module instance: its variables, its locals and the current count/each."""

    def __init__(self, module: TerraformModule, inputs: dict[str, Any]) -> None:
        self.module = module
        self.variables = {**module.defaults(), **{k: v for k, v in inputs.items() if not k.startswith("__")}}
        self.local_nodes = module.local_nodes()
        self.locals: dict[str, Any] = {}
        self.iteration: dict[str, Any] = {}

    def resolve(self, ref: list[str | int]) -> Any:
        head = ref[0]
        if head == "var" and len(ref) > 1:
            value = self.variables.get(str(ref[1]), UNKNOWN)
            rest = ref[2:]
        elif head == "local" and len(ref) > 1:
            value = self._local(str(ref[1]))
            rest = ref[2:]
        elif head in {"count", "each"} and len(ref) > 1:
            value = self.iteration.get(f"{head}.{ref[1]}", UNKNOWN)
            rest = ref[2:]
        elif head == "path" and len(ref) > 1:
            return self.module.directory
        else:
            return UNKNOWN
        for key in rest:
            value = _item(value, key)
        return value

    def _local(self, name: str) -> Any:
        if name not in self.locals:
            node = self.local_nodes.get(name)
            self.locals[name] = UNKNOWN  # a cycle resolves to unknown instead of recursing forever
            self.locals[name] = UNKNOWN if node is None else value_of(node, self.resolve)
        return self.locals[name]


def load_terraform(root: TerraformModule, modules: dict[str, TerraformModule]) -> InputDocument:
    """The input document of a root module and the local modules it calls (``modules`` by directory)."""
    elements: list[Any] = []
    files: set[str] = set()
    _collect(root, {}, "", modules, elements, files, 0)
    return InputDocument(kind=DocumentKind.TERRAFORM, files=tuple(sorted(files)), elements=tuple(_distinct(elements)))


def _distinct(elements: list[Any]) -> list[Any]:
    """One element per block and configuration: module instances that resolve a block alike add nothing to check.

    Findings are reported per ``file:line``, so a module called ten times with the same arguments is checked once.
    """
    seen: set[tuple[str, int, str]] = set()
    kept = []
    for element in elements:
        key = (element["file"], element["line"], json.dumps(element["config"], sort_keys=True, default=str))
        if key not in seen:
            seen.add(key)
            kept.append(element)
    return kept


def _collect(
    module: TerraformModule,
    inputs: dict[str, Any],
    prefix: str,
    modules: dict[str, TerraformModule],
    out: list[Any],
    files: set[str],
    depth: int,
) -> None:
    scope = _Evaluation(module, inputs)
    for path, block in module.blocks:
        files.add(path)
        kind = _block_type(block)
        if kind in {"resource", "data"}:
            labels = block_labels(block)
            if len(labels) == 2:
                out.extend(_instances(scope, path, block, kind, labels, prefix))
        elif kind == "module" and depth < _MAX_DEPTH:
            name = block_labels(block)[0]
            source = _attribute(block, "source")
            if isinstance(source, str) and source.startswith(("./", "../")):
                child = modules.get(_join(module.directory, source))
                body = block_body(block)
                if child is not None and body is not None:
                    args = body_of(body, scope.resolve, skip=_META)
                    _collect(child, args, f"{prefix}module.{name}.", modules, out, files, depth + 1)


def _instances(
    scope: _Evaluation, path: str, block: Node, kind: str, labels: list[str], prefix: str
) -> Iterator[dict[str, Any]]:
    body = block_body(block)
    count = _attribute(block, "count", scope.resolve)
    for_each = _attribute(block, "for_each", scope.resolve)
    keys: list[tuple[Any, dict[str, Any]]]
    if isinstance(count, int) and not isinstance(count, bool):
        keys = [(i, {"count.index": i}) for i in range(min(count, 100))]
    elif isinstance(for_each, dict):
        keys = [(k, {"each.key": k, "each.value": v}) for k, v in for_each.items() if not k.startswith("__")]
    elif isinstance(for_each, list) and all(isinstance(v, str) for v in for_each):
        keys = [(v, {"each.key": v, "each.value": v}) for v in for_each]
    else:
        keys = [(None, {})]
    address = f"{prefix}{'data.' if kind == 'data' else ''}{labels[0]}.{labels[1]}"
    seen: list[dict[str, Any]] = []
    for key, iteration in keys:
        scope.iteration = iteration
        config = body_of(body, scope.resolve, skip=_META) if body is not None else {"__line__": 0, "__lines__": {}}
        config["__line__"] = block.start_point[0] + 1
        if config in seen:
            continue  # an instance the same as an earlier one (count.index unused or unknown) adds nothing
        seen.append(config)
        suffix = "" if key is None else f"[{key}]" if isinstance(key, int) else f'["{key}"]'
        yield {
            "address": address + suffix,
            "mode": "data" if kind == "data" else "managed",
            "type": labels[0],
            "name": labels[1],
            "module": prefix.rstrip("."),
            "file": path,
            "line": block.start_point[0] + 1,
            "end_line": block.end_point[0] + 1,
            "config": config,
        }
    scope.iteration = {}
