"""``bastion.yml``: its schema, loading with one-line errors, the JSON Schema, and starter pipelines."""

from __future__ import annotations

from bastion.config.json_schema import pipeline_json_schema
from bastion.config.loader import CONFIG_NAME, Control, Pipeline, Registry, find_config, load_pipeline
from bastion.config.schema import BlockRule, ControlSpec, PathsSpec, PipelineSpec, PolicySpec, WarnRule
from bastion.config.starter import RepositoryProfile, profile_repository, starter_pipeline

__all__ = [
    "CONFIG_NAME",
    "BlockRule",
    "Control",
    "ControlSpec",
    "PathsSpec",
    "Pipeline",
    "PipelineSpec",
    "PolicySpec",
    "Registry",
    "RepositoryProfile",
    "WarnRule",
    "find_config",
    "load_pipeline",
    "pipeline_json_schema",
    "profile_repository",
    "starter_pipeline",
]
