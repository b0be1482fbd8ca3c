"""The JSON Schema of ``bastion.yml``, published by ``bastion schema`` so editors can validate the file."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from bastion.config.schema import PipelineSpec

__all__ = ["pipeline_json_schema"]

SCHEMA_ID = "https://bastion.dev/schema/bastion.yml/v1.json"


def pipeline_json_schema(scanners: Collection[str] = (), importers: Collection[str] = ()) -> dict[str, Any]:
    """The schema of ``bastion.yml`` v1; with names given, ``uses`` and ``format`` are enums of them."""
    schema = PipelineSpec.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "bastion.yml"
    control = schema["$defs"]["ControlSpec"]["properties"]
    if scanners:
        control["uses"] = {
            "anyOf": [{"enum": sorted(scanners)}, {"type": "null"}],
            "description": control["uses"].get("description", ""),
        }
    if importers:
        control["format"] = {
            "anyOf": [{"enum": sorted(importers)}, {"type": "null"}],
            "description": control["format"].get("description", ""),
        }
    # Durations may be written as numbers or as strings like "90s".
    control["timeout"] = {
        "anyOf": [
            {"type": "number", "exclusiveMinimum": 0},
            {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*(ms|s|m|h)?\s*$"},
        ],
        "description": control["timeout"].get("description", ""),
    }
    return schema
