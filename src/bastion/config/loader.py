"""Loads ``bastion.yml``: YAML → pydantic validation → a ``Pipeline``, every error one line naming file:line.

Scanner names and option models come from the caller (the engine passes the registry in), so this package
knows nothing about which scanners exist.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bastion.config.schema import ControlSpec, PipelineSpec, PolicySpec
from bastion.config.source_map import format_loc, line_of
from bastion.errors import BastionError, ConfigError
from bastion.model import ControlMode, Stage

__all__ = ["CONFIG_NAME", "Control", "Pipeline", "Registry", "find_config", "load_pipeline"]

CONFIG_NAME = "bastion.yml"


@dataclass(frozen=True, slots=True)
class Registry:
    """What the loader may check names against: scanner names, importer names, each scanner's options model."""

    scanners: Collection[str]
    importers: Collection[str]
    options_model: Callable[[str], type[BaseModel]]


@dataclass(frozen=True, slots=True)
class Control:
    """A validated control, ready for the engine."""

    id: str
    stage: Stage
    mode: ControlMode
    timeout_s: float
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    line: int
    """Line of the control in ``bastion.yml``, for errors found later."""
    uses: str | None = None
    options: BaseModel | None = None
    run: str | None = None
    format: str | None = None
    output: str | None = None
    env: tuple[tuple[str, str], ...] = ()
    unavailable: str | None = None
    """Why the scanner could not be loaded; the engine records the control as errored with this reason."""


@dataclass(frozen=True, slots=True)
class Pipeline:
    """A validated ``bastion.yml``: its controls in stage order and its policy settings."""

    path: Path
    project: str
    controls: tuple[Control, ...]
    policy: PolicySpec
    exclude: tuple[str, ...]
    max_file_bytes: int

    def stages(self) -> list[tuple[Stage, list[Control]]]:
        """The stages that have controls, in pipeline order, each with its controls."""
        return [
            (s, [c for c in self.controls if c.stage is s]) for s in Stage if any(c.stage is s for c in self.controls)
        ]


def find_config(root: Path, config: Path | None = None) -> Path:
    """The pipeline file to use: ``config`` if given, else ``root/bastion.yml``; ``ConfigError`` if missing."""
    path = config if config is not None else root / CONFIG_NAME
    if not path.is_file():
        raise ConfigError(
            f"{path}: no pipeline file found", hint=f"run `bastion init {root}` to write a starter {CONFIG_NAME}"
        )
    return path


def load_pipeline(path: Path, registry: Registry, *, project_default: str | None = None) -> Pipeline:
    """Read and validate ``path``; ``ConfigError`` lists every problem, one ``file:line: key: problem`` each."""
    document = _read_yaml(path)
    name = path.name
    if not isinstance(document, dict):
        raise ConfigError(f"{name}:1: expected a mapping with 'version' and 'stages' at the top level")
    problems = _unknown_stages(name, document)
    if problems:
        raise ConfigError("\n".join(problems))
    try:
        spec = PipelineSpec.model_validate(document)
    except ValidationError as err:
        raise ConfigError("\n".join(_describe(name, document, err, ()))) from None
    controls, problems = _controls(name, document, spec, registry)
    if problems:
        raise ConfigError("\n".join(problems))
    project = spec.project or project_default or path.resolve().parent.name
    return Pipeline(path, project, tuple(controls), spec.policy, tuple(spec.exclude), spec.max_file_bytes)


def _read_yaml(path: Path) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read: {err}") from None
    try:
        return YAML(typ="rt").load(text)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = (err.problem or err.context or "invalid YAML").strip()
        raise ConfigError(f"{path.name}:{line}: YAML syntax error: {problem}") from None
    except YAMLError as err:
        raise ConfigError(f"{path.name}: YAML error: {str(err).splitlines()[0]}") from None


def _suggest(word: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _unknown_stages(name: str, document: dict[str, Any]) -> list[str]:
    stages = document.get("stages")
    if not isinstance(stages, dict):
        return []
    known = [s.value for s in Stage]
    return [
        f"{name}:{line_of(document, ('stages', key))}: stages.{key}: unknown stage '{key}'"
        f"{_suggest(str(key), known)}; stages are {', '.join(known)}"
        for key in stages
        if key not in known
    ]


def _describe(
    name: str, document: Any, err: ValidationError, prefix: tuple[str | int, ...], fields: Sequence[str] = ()
) -> list[str]:
    lines = []
    for problem in err.errors():
        loc = prefix + tuple(p for p in problem["loc"] if not _is_union_tag(p))
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "extra_forbidden":
            message = (
                f"unknown option '{loc[-1]}'{_suggest(str(loc[-1]), fields)}" if fields else f"unknown key '{loc[-1]}'"
            )
        elif problem["type"] == "missing":
            message = "required key is missing"
        elif problem["type"] == "literal_error" and loc == ("version",):
            message = f"unsupported schema version {problem['input']!r}; this bastion reads version 1"
        elif problem["type"] in ("enum", "literal_error"):
            message += f" (got {problem['input']!r}){_suggest(str(problem['input']), _choices(problem))}"
        lines.append(f"{name}:{line_of(document, loc)}: {format_loc(loc)}: {message}")
    return lines


def _choices(problem: Any) -> list[str]:
    expected = str(problem.get("ctx", {}).get("expected", ""))
    return [w.strip("' ") for w in expected.replace(" or ", ",").split(",") if w.strip("' ")]


def _is_union_tag(part: object) -> bool:
    # pydantic inserts the member type of a union into ``loc`` (``PathsSpec``, ``list[str]``).
    return isinstance(part, str) and (part[:1].isupper() or "[" in part)


def _controls(name: str, document: Any, spec: PipelineSpec, registry: Registry) -> tuple[list[Control], list[str]]:
    controls: list[Control] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for stage in Stage:
        for index, item in enumerate(spec.stages.get(stage, [])):
            loc: tuple[str | int, ...] = ("stages", stage.value, index)
            line = line_of(document, loc)
            control, found = _control(name, document, stage, loc, item, registry)
            problems += found
            if control is None:
                continue
            if control.id in seen:
                problems.append(
                    f"{name}:{line}: {format_loc(loc)}: duplicate control id '{control.id}' "
                    f"(first at {seen[control.id]}); give one an 'id'"
                )
                continue
            seen[control.id] = format_loc(loc)
            controls.append(control)
    return controls, problems


def _control(
    name: str, document: Any, stage: Stage, loc: tuple[str | int, ...], item: ControlSpec, registry: Registry
) -> tuple[Control | None, list[str]]:
    line = line_of(document, loc)
    options: BaseModel | None = None
    if item.uses is not None:
        if item.uses not in registry.scanners:
            where = line_of(document, (*loc, "uses"))
            return None, [
                f"{name}:{where}: {format_loc((*loc, 'uses'))}: unknown control '{item.uses}'"
                f"{_suggest(item.uses, sorted(registry.scanners))}"
            ]
        try:
            model = registry.options_model(item.uses)
        except BastionError as err:
            # Registered but broken or missing its tool: an errored control (fail closed), not a config error.
            return _make(item, stage, line, None, unavailable=str(err)), []
        try:
            options = model.model_validate(item.with_)
        except ValidationError as err:
            return None, _describe(name, document, err, (*loc, "with"), list(model.model_fields))
    elif item.format not in registry.importers:
        where = line_of(document, (*loc, "format"))
        return None, [
            f"{name}:{where}: {format_loc((*loc, 'format'))}: unknown report format '{item.format}'"
            f"{_suggest(str(item.format), sorted(registry.importers))}"
        ]
    return _make(item, stage, line, options), []


def _make(
    item: ControlSpec, stage: Stage, line: int, options: BaseModel | None, unavailable: str | None = None
) -> Control:
    paths = item.path_filter()
    return Control(
        id=item.control_id(),
        stage=stage,
        mode=item.mode,
        timeout_s=item.timeout,
        include=tuple(paths.include),
        exclude=tuple(paths.exclude),
        line=line,
        uses=item.uses,
        options=options,
        run=item.run,
        format=item.format,
        output=item.output,
        env=tuple(item.env.items()),
        unavailable=unavailable,
    )
