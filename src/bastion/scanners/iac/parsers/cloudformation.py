"""CloudFormation templates (YAML with ``!Ref``/``!Sub`` tags, or JSON) as input documents.

Each resource becomes an element shaped like a Terraform one: ``address`` (its logical id), ``type``
(``AWS::S3::Bucket``), ``config`` (its ``Properties``), ``file`` and ``line``; parameters' defaults are kept
under ``parameters`` on each element so a check can see what a ``Ref`` to one resolves to.
"""

from __future__ import annotations

from typing import Any

from bastion.scanners.iac.document import DocumentKind, InputDocument
from bastion.scanners.iac.parsers.yamldoc import load_yaml_documents

__all__ = ["looks_like_cloudformation", "parse_cloudformation"]


def looks_like_cloudformation(text: str) -> bool:
    """A cheap sniff before parsing: the template version or an ``AWS::`` resource type."""
    head = text[:20000]
    return "AWSTemplateFormatVersion" in head or ("Resources" in head and "AWS::" in head)


def _defaults(template: dict[str, Any]) -> dict[str, Any]:
    parameters = template.get("Parameters")
    if not isinstance(parameters, dict):
        return {}
    return {k: v.get("Default") for k, v in parameters.items() if isinstance(v, dict)}


def parse_cloudformation(text: str, path: str) -> InputDocument:
    """Every resource of a template."""
    elements = []
    for template in load_yaml_documents(text, path):
        if not isinstance(template, dict) or not isinstance(template.get("Resources"), dict):
            continue
        defaults = _defaults(template)
        for logical_id, resource in template["Resources"].items():
            if logical_id.startswith("__") or not isinstance(resource, dict):
                continue
            properties = resource.get("Properties")
            config = properties if isinstance(properties, dict) else {"__line__": resource["__line__"]}
            elements.append(
                {
                    "address": logical_id,
                    "type": str(resource.get("Type", "")),
                    "config": config,
                    "file": path,
                    "line": resource["__line__"],
                    "parameters": defaults,
                }
            )
    return InputDocument(kind=DocumentKind.CLOUDFORMATION, files=(path,), elements=tuple(elements))
