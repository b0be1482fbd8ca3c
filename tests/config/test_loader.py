"""``bastion.yml`` loading: valid files become pipelines, every mistake is one line naming file:line."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from bastion.config import CONFIG_NAME, Registry, find_config, load_pipeline, pipeline_json_schema
from bastion.errors import ConfigError
from bastion.model import ControlMode, Stage


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid")
    severity: str = "low"
    confidence: str = "low"


REGISTRY = Registry(scanners=["sast", "secrets"], importers=["sarif"], options_model=lambda name: _Options)


def _load(tmp_path: Path, text: str) -> object:
    path = tmp_path / CONFIG_NAME
    path.write_text(text)
    return load_pipeline(path, REGISTRY)


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, text)
    return str(caught.value)


def test_valid_pipeline_orders_stages_and_fills_defaults(tmp_path: Path) -> None:
    pipeline = _load(
        tmp_path,
        """
version: 1
project: shop
stages:
  build:
    - uses: secrets
      mode: advisory
      paths: [src/**]
  code:
    - uses: sast
      with: {severity: medium}
      timeout: 2m
      paths: {exclude: [tests/**]}
    - id: semgrep
      run: semgrep --sarif .
      format: sarif
""",
    )
    controls = pipeline.controls  # type: ignore[attr-defined]
    assert [(c.id, c.stage) for c in controls] == [
        ("sast", Stage.CODE),
        ("semgrep", Stage.CODE),
        ("secrets", Stage.BUILD),
    ]
    sast, semgrep, secrets = controls
    assert sast.timeout_s == 120 and sast.exclude == ("tests/**",) and sast.options.severity == "medium"
    assert sast.line == 10
    assert secrets.mode is ControlMode.ADVISORY and secrets.include == ("src/**",)
    assert semgrep.run == "semgrep --sarif ." and semgrep.format == "sarif"
    assert pipeline.project == "shop"  # type: ignore[attr-defined]


def test_unknown_control_names_line_key_and_suggestion(tmp_path: Path) -> None:
    message = _error(tmp_path, "version: 1\nstages:\n  build:\n    - uses: secrets\n    - uses: sastt\n")
    assert message == "bastion.yml:5: stages.build[1].uses: unknown control 'sastt' (did you mean 'sast'?)"


def test_unknown_option_is_named_with_suggestion(tmp_path: Path) -> None:
    message = _error(tmp_path, "version: 1\nstages:\n  code:\n    - uses: sast\n      with:\n        severty: low\n")
    assert message == "bastion.yml:6: stages.code[0].with.severty: unknown option 'severty' (did you mean 'severity'?)"


def test_unknown_stage_and_key_and_bad_mode(tmp_path: Path) -> None:
    assert _error(tmp_path, "version: 1\nstages:\n  buidl: []\n").startswith(
        "bastion.yml:3: stages.buidl: unknown stage 'buidl' (did you mean 'build'?)"
    )
    assert _error(tmp_path, "version: 1\nstagez: {}\n") == "bastion.yml:2: stagez: unknown key 'stagez'"
    message = _error(tmp_path, "version: 1\nstages:\n  code:\n    - uses: sast\n      mode: mandatry\n")
    assert message.startswith("bastion.yml:5: stages.code[0].mode: ")
    assert "did you mean 'mandatory'?" in message


def test_every_problem_is_reported_one_per_line(tmp_path: Path) -> None:
    message = _error(
        tmp_path, "version: 1\nstages:\n  code:\n    - uses: sast\n      timeout: 5x\n    - run: semgrep\n"
    )
    lines = message.splitlines()
    assert lines == [
        "bastion.yml:5: stages.code[0].timeout: '5x' is not a duration such as 300, '90s' or '5m'",
        "bastion.yml:6: stages.code[1]: a 'run' control needs 'format' naming the importer of its report (e.g. sarif)",
    ]


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    message = _error(tmp_path, "version: 1\nstages:\n  code:\n    - uses: sast\n   bad: [\n")
    assert message.startswith("bastion.yml:") and "YAML syntax error" in message
    assert "\n" not in message


def test_wrong_version_and_not_a_mapping(tmp_path: Path) -> None:
    assert (
        _error(tmp_path, "version: 2\n")
        == "bastion.yml:1: version: unsupported schema version 2; this bastion reads version 1"
    )
    assert "expected a mapping" in _error(tmp_path, "- a\n- b\n")


def test_duplicate_ids_and_unknown_format(tmp_path: Path) -> None:
    message = _error(
        tmp_path,
        "version: 1\nstages:\n  code:\n    - uses: sast\n  test:\n    - uses: sast\n"
        "    - run: x\n      format: sariff\n",
    )
    assert "bastion.yml:6: stages.test[0]: duplicate control id 'sast'" in message
    assert "bastion.yml:8: stages.test[1].format: unknown report format 'sariff' (did you mean 'sarif'?)" in message


def test_missing_file_hints_init(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        find_config(tmp_path)
    assert "no pipeline file found" in str(caught.value)
    assert caught.value.hint is not None and "bastion init" in caught.value.hint


def test_json_schema_lists_scanners_and_validates_a_pipeline() -> None:
    import jsonschema

    schema = pipeline_json_schema(["sast", "secrets"], ["sarif"])
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    good = {"version": 1, "stages": {"code": [{"uses": "sast", "timeout": "5m", "with": {"severity": "low"}}]}}
    assert not list(validator.iter_errors(good))
    bad = {"version": 1, "stages": {"code": [{"uses": "sastt"}]}}
    assert list(validator.iter_errors(bad))
