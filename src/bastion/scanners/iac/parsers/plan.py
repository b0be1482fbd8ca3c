"""Terraform plan JSON (``terraform show -json``) as a Terraform input document.

The planned values are what Terraform will create, with every variable and module resolved, so the same checks
as for HCL apply. A plan has no source lines: each element points at the line of its address in the plan file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from bastion.scanners.iac.document import DocumentKind, InputDocument
from bastion.scanners.iac.errors import IacSyntaxError

__all__ = ["looks_like_plan", "parse_plan"]


def looks_like_plan(text: str) -> bool:
    """A cheap sniff: plans carry ``planned_values`` and ``terraform_version``."""
    return '"planned_values"' in text and '"terraform_version"' in text


def _resources(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from _resources(child)


def parse_plan(text: str, path: str) -> InputDocument:
    """Every planned resource, with its values as ``config``."""
    try:
        plan = json.loads(text)
    except json.JSONDecodeError as err:
        raise IacSyntaxError(path, err.lineno, f"JSON syntax error: {err.msg}") from err
    root = plan.get("planned_values", {}).get("root_module", {})
    elements = []
    for resource in _resources(root):
        address = str(resource.get("address", ""))
        offset = text.find(f'"address":"{address}"')
        if offset < 0:
            offset = text.find(f'"{address}"')
        line = text.count("\n", 0, offset) + 1 if offset >= 0 else 1
        module = address.rsplit(".", 2)[0] if address.startswith("module.") else ""
        values = resource.get("values") or {}
        elements.append(
            {
                "address": address,
                "mode": resource.get("mode", "managed"),
                "type": resource.get("type", ""),
                "name": resource.get("name", ""),
                "module": module,
                "file": path,
                "line": line,
                "end_line": line,
                "config": {**values, "__line__": line},
            }
        )
    return InputDocument(kind=DocumentKind.TERRAFORM, files=(path,), elements=tuple(elements))
