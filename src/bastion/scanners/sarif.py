"""The SARIF importer: turns a SARIF 2.1.0 log written by any tool into bastion findings.

Each result becomes a ``Finding``: tool from its run's ``tool.driver.name``; rule id from ``ruleId``,
``rule.id`` or the rule at ``ruleIndex``; title from the rule's ``shortDescription`` (unless it only restates
the id, as semgrep's does), first line of ``fullDescription`` or ``name``; severity from
``properties.security-severity`` (result, then rule) as a CVSS-like score, else from ``level`` (result, then
the rule's ``defaultConfiguration``): error → high, warning → medium, note → low, none → info; the path from
``artifactLocation`` made relative (``file://``, ``%SRCROOT%``, the base URI and leading ``./`` stripped);
CWE numbers from tags (``external/cwe/cwe-89``, ``CWE-89: ...``), ``cwe`` properties and CWE ``taxa``.

Results that are not open problems are dropped: ``kind`` ``pass`` or ``notApplicable``, ``baselineState``
``absent``, and results with an accepted suppression. Snippets are never imported, since a secret scanner's
snippet holds the secret. Fingerprints are left for the engine to compute. Only the fields read here are
checked; other fields, which tools add freely, are ignored.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, ConfigDict, ValidationError

from bastion.errors import ImporterError
from bastion.importers.report import json_path, kind_of
from bastion.model import Confidence, Finding, Location, Severity

__all__ = ["SarifImporter"]

_Level = Literal["none", "note", "warning", "error"]


class _Sarif(BaseModel):
    # Other tools' SARIF carries many fields we do not read: allow them; type-check the ones we do read.
    model_config = ConfigDict(extra="allow", strict=True)


class _Message(_Sarif):
    text: str | None = None
    markdown: str | None = None
    id: str | None = None
    arguments: list[str] | None = None


class _PropertyBag(_Sarif):
    tags: list[str] | None = None


class _Configuration(_Sarif):
    level: _Level | None = None


class _Rule(_Sarif):
    id: str
    name: str | None = None
    shortDescription: _Message | None = None
    fullDescription: _Message | None = None
    help: _Message | None = None
    helpUri: str | None = None
    messageStrings: dict[str, _Message] | None = None
    defaultConfiguration: _Configuration | None = None
    properties: _PropertyBag | None = None


class _ComponentReference(_Sarif):
    index: int | None = None
    name: str | None = None


class _RuleReference(_Sarif):
    id: str | None = None
    index: int | None = None
    toolComponent: _ComponentReference | None = None


class _ArtifactLocation(_Sarif):
    uri: str | None = None
    uriBaseId: str | None = None
    index: int | None = None


class _Region(_Sarif):
    startLine: int | None = None
    endLine: int | None = None
    startColumn: int | None = None


class _PhysicalLocation(_Sarif):
    artifactLocation: _ArtifactLocation | None = None
    region: _Region | None = None


class _LogicalLocation(_Sarif):
    name: str | None = None
    fullyQualifiedName: str | None = None
    kind: str | None = None


class _Location(_Sarif):
    physicalLocation: _PhysicalLocation | None = None
    logicalLocations: list[_LogicalLocation] | None = None


class _Suppression(_Sarif):
    status: str | None = None


class _Result(_Sarif):
    ruleId: str | None = None
    ruleIndex: int | None = None
    rule: _RuleReference | None = None
    kind: str | None = None
    level: _Level | None = None
    message: _Message | None = None
    locations: list[_Location] | None = None
    taxa: list[_RuleReference] | None = None
    suppressions: list[_Suppression] | None = None
    baselineState: str | None = None
    properties: _PropertyBag | None = None


class _ToolComponent(_Sarif):
    name: str
    rules: list[_Rule] | None = None


class _Tool(_Sarif):
    driver: _ToolComponent
    extensions: list[_ToolComponent] | None = None


class _Artifact(_Sarif):
    location: _ArtifactLocation | None = None


class _Run(_Sarif):
    tool: _Tool
    results: list[_Result] | None = None
    artifacts: list[_Artifact] | None = None
    originalUriBaseIds: dict[str, _ArtifactLocation] | None = None


class _Log(_Sarif):
    version: Literal["2.1.0"]
    runs: list[_Run] | None


_CWE = re.compile(r"\bcwe[-_/: ]*(\d+)", re.IGNORECASE)
_WINDOWS_DRIVE = re.compile(r"^/[A-Za-z]:/")
_PLACEHOLDER = re.compile(r"\{(\d+)\}")
_EXPECTED = {
    "list_type": "expected an array",
    "model_type": "expected an object",
    "dict_type": "expected an object",
    "model_attributes_type": "expected an object",
    "string_type": "expected a string",
    "int_type": "expected an integer",
    "bool_type": "expected a boolean",
    "missing": "required property is missing",
}


class SarifImporter:
    """Imports SARIF 2.1.0 logs; registered as the ``sarif`` importer."""

    name = "sarif"

    def parse(self, data: bytes, *, source: str, control: str) -> list[Finding]:
        """The findings of every run in the log; ``ImporterError`` naming ``source`` and the JSON path."""
        log = _load(data, source)
        findings: list[Finding] = []
        for index, run in enumerate(log.runs or []):
            findings.extend(_RunReader(run, f"$.runs[{index}]", source, control).findings())
        return findings


def _load(data: bytes, source: str) -> _Log:
    try:
        raw = json.loads(data)
    except json.JSONDecodeError as err:
        problem = err.msg.removesuffix(" at")  # some of json's messages end so, before a position we put first
        raise ImporterError(f"{source}: invalid JSON at line {err.lineno} column {err.colno}: {problem}") from err
    except UnicodeDecodeError as err:
        raise ImporterError(f"{source}: not UTF-8 text: bad byte at offset {err.start}") from err
    except RecursionError as err:
        raise ImporterError(f"{source}: invalid JSON: nested too deeply") from err
    if not isinstance(raw, dict):
        raise ImporterError(f"{source}: $: expected a SARIF log object, got {kind_of(raw)}")
    if raw.get("version") != "2.1.0":
        found = f"got {json.dumps(raw['version'])[:40]}" if "version" in raw else "found none"
        raise ImporterError(f"{source}: $.version: expected '2.1.0', {found}")
    try:
        return _Log.model_validate(raw)
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        problem = _EXPECTED.get(first["type"], first["msg"].lower())
        if first["type"] != "missing":
            problem += f", got {kind_of(first['input'])}"
        raise ImporterError(f"{source}: {json_path(first['loc'])}: {problem}") from None




def _extra(bag: _PropertyBag | None, key: str) -> Any:
    return (bag.model_extra or {}).get(key) if bag is not None else None


def _text(message: _Message | None, arguments: list[str] | None = None) -> str:
    if message is None:
        return ""
    text = message.text or message.markdown or ""
    arguments = arguments or message.arguments or []
    return _PLACEHOLDER.sub(lambda m: arguments[int(m[1])] if int(m[1]) < len(arguments) else m[0], text)


class _RunReader:
    """Reads the results of one run, knowing its rules, artifacts and base URIs."""

    def __init__(self, run: _Run, path: str, source: str, control: str) -> None:
        self.run, self.path, self.source, self.control = run, path, source, control
        self.rule_positions: dict[str, dict[str, int]] = {}
        self.rule_cwes: dict[int, frozenset[int]] = {}
        """CWE numbers by ``id()`` of a rule: a big log repeats a few rules over many results."""
        self.paths: dict[tuple[str, str | None], str] = {}
        """Relative paths by (URI, base id): a big log names each file many times."""
        """Per tool component: rule id → index of its first rule with that id."""

    def error(self, path: str, problem: str) -> ImporterError:
        return ImporterError(f"{self.source}: {path}: {problem}")

    def findings(self) -> list[Finding]:
        found = []
        for index, result in enumerate(self.run.results or []):
            if result.kind in {"pass", "notApplicable"} or result.baselineState == "absent":
                continue
            if any(s.status in {None, "accepted"} for s in result.suppressions or []):
                continue
            found.append(self.finding(result, f"{self.path}.results[{index}]"))
        return found

    def finding(self, result: _Result, path: str) -> Finding:
        rule, rule_path = self.rule_of(result, path)
        rule_id = result.ruleId or (result.rule.id if result.rule else None) or (rule.id if rule else None)
        if not rule_id:
            raise self.error(path, "expected a ruleId, a rule.id or a ruleIndex naming a rule")
        message = _text(result.message)
        if not message and rule and result.message and result.message.id:
            message = _text((rule.messageStrings or {}).get(result.message.id), result.message.arguments)
        return Finding(
            control=self.control,
            tool=self.run.tool.driver.name,
            rule_id=rule_id,
            title=_title(rule, message, rule_id),
            severity=self.severity(result, path, rule, rule_path),
            location=self.location(result, path),
            message=message,
            confidence=_confidence(result, rule),
            cwe=_cwes(result, self.rule_cwes_of(rule)),
            aliases=tuple(_strings(_extra(result.properties, "aliases"))),
            remediation=(rule.help.text or "") if rule and rule.help else "",
            help_uri=(rule.helpUri or "") if rule else "",
            tags=tuple(dict.fromkeys(t for t in self.result_tags(result) if not _CWE.search(t))),
        )

    def rule_cwes_of(self, rule: _Rule | None) -> frozenset[int]:
        if rule is None:
            return frozenset()
        key = id(rule)
        if key not in self.rule_cwes:
            self.rule_cwes[key] = _rule_cwes(rule)
        return self.rule_cwes[key]

    @staticmethod
    def result_tags(result: _Result) -> list[str]:
        return list(result.properties.tags or []) if result.properties else []

    def rule_of(self, result: _Result, path: str) -> tuple[_Rule | None, str]:
        component, component_path = self.run.tool.driver, f"{self.path}.tool.driver"
        reference = result.rule
        if reference and reference.toolComponent and reference.toolComponent.index is not None:
            extensions, position = self.run.tool.extensions or [], reference.toolComponent.index
            if not 0 <= position < len(extensions):
                where = f"{path}.rule.toolComponent.index"
                raise self.error(where, f"{position} is out of range: the tool has {len(extensions)} extensions")
            component, component_path = extensions[position], f"{self.path}.tool.extensions[{position}]"
        rules = component.rules or []
        index, where = result.ruleIndex, f"{path}.ruleIndex"
        if (index is None or index < 0) and reference and reference.index is not None:
            index, where = reference.index, f"{path}.rule.index"
        if index is not None and index >= 0:
            if index >= len(rules):
                raise self.error(where, f"{index} is out of range: the tool has {len(rules)} rules")
            return rules[index], f"{component_path}.rules[{index}]"
        rule_id = result.ruleId or (reference.id if reference else None)
        if component_path not in self.rule_positions:
            positions = {rule.id: index for index, rule in reversed(list(enumerate(rules)))}
            self.rule_positions[component_path] = positions
        index = self.rule_positions[component_path].get(rule_id or "")
        if index is None:
            return None, component_path
        return rules[index], f"{component_path}.rules[{index}]"

    def severity(self, result: _Result, path: str, rule: _Rule | None, rule_path: str) -> Severity:
        for bag, bag_path in ((result.properties, path), (rule.properties if rule else None, rule_path)):
            score = _extra(bag, "security-severity")
            if score is not None:
                return self.score(score, f"{bag_path}.properties.security-severity")
        default = rule.defaultConfiguration.level if rule and rule.defaultConfiguration else None
        return Severity.parse(result.level or default or "warning")

    def score(self, value: object, path: str) -> Severity:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return Severity.from_cvss(float(value))
        if isinstance(value, str):
            try:
                return Severity.from_cvss(float(value))
            except ValueError:
                try:
                    return Severity.parse(value)
                except ValueError:
                    pass
        raise self.error(path, f"expected a score from 0.0 to 10.0, got {kind_of(value)}")

    def location(self, result: _Result, path: str) -> Location:
        if not result.locations:
            return Location(commit=_first_string(_extra(result.properties, "commit")))
        first = result.locations[0]
        physical = first.physicalLocation
        file_path = None
        if physical and physical.artifactLocation:
            where = f"{path}.locations[0].physicalLocation.artifactLocation"
            file_path = self.relative_path(physical.artifactLocation, where)
        region = physical.region if physical else None
        start = region.startLine if region and region.startLine and region.startLine >= 1 else None
        end = region.endLine if region and start and region.endLine and region.endLine >= start else start
        column = region.startColumn if region and region.startColumn and region.startColumn >= 1 else None
        if file_path and file_path.startswith("pkg:"):
            file_path, purl = None, file_path  # our own renderer's stand-in for a package without a lockfile
        else:
            purl = None
        package = next(
            (
                logical.fullyQualifiedName or logical.name
                for logical in first.logicalLocations or []
                if logical.kind == "package" or (logical.fullyQualifiedName or "").startswith("pkg:")
            ),
            purl,
        )
        return Location(
            path=file_path,
            start_line=start,
            end_line=end,
            start_column=column,
            commit=_first_string(_extra(result.properties, "commit")),
            package=package,
        )

    def relative_path(self, artifact: _ArtifactLocation, path: str) -> str | None:
        uri, base = artifact.uri, artifact.uriBaseId
        if uri is None and artifact.index is not None and artifact.index >= 0:
            artifacts = self.run.artifacts or []
            if artifact.index >= len(artifacts):
                count = len(artifacts)
                raise self.error(f"{path}.index", f"{artifact.index} is out of range: the run has {count} artifacts")
            listed = artifacts[artifact.index].location
            uri, base = (listed.uri, base or listed.uriBaseId) if listed else (None, base)
        if not uri:
            return None
        key = (uri, base)
        if key not in self.paths:
            root = (self.run.originalUriBaseIds or {}).get(base or "")
            self.paths[key] = _relative(uri, root.uri if root else None)
        return self.paths[key]


def _relative(uri: str, root: str | None) -> str:
    """A repository-relative posix path for a SARIF URI, when it can be made relative."""
    text = uri.replace("\\", "/")
    if text.startswith("%SRCROOT%"):
        text = text.removeprefix("%SRCROOT%").lstrip("/")
    parts = urlsplit(text)
    if parts.scheme == "file":
        text = parts.path
    elif len(parts.scheme) > 1:
        return text
    text = unquote(text)
    if _WINDOWS_DRIVE.match(text):
        text = text[1:]
    if root:
        root_parts = urlsplit(root.replace("\\", "/"))
        prefix = unquote(root_parts.path if root_parts.scheme == "file" else root).rstrip("/") + "/"
        prefix = prefix[1:] if _WINDOWS_DRIVE.match(prefix) else prefix
        text = text.removeprefix(prefix)
    while text.startswith("./"):
        text = text[2:]
    return text


def _title(rule: _Rule | None, message: str, rule_id: str) -> str:
    if rule is not None:
        short = _text(rule.shortDescription).strip()
        if short and rule.id not in short:
            return short
        full = _text(rule.fullDescription).strip().splitlines()
        for title in (full[0][:200] if full else "", short, rule.name or ""):
            if title:
                return title
    return message.strip().splitlines()[0][:200] if message.strip() else rule_id


def _confidence(result: _Result, rule: _Rule | None) -> Confidence:
    for key in ("confidence", "issue_confidence"):
        value = _extra(result.properties, key)
        if isinstance(value, str):
            return Confidence.parse(value)
    precision = _extra(rule.properties if rule else None, "precision")
    if isinstance(precision, str):
        return Confidence.parse("high" if precision == "very-high" else precision)
    return Confidence.MEDIUM


def _cwes(result: _Result, rule_cwes: frozenset[int]) -> tuple[int, ...]:
    """CWE numbers of the rule (computed once per rule) and of the result's own tags, properties and taxa."""
    texts = list(result.properties.tags or []) if result.properties else []
    texts += [f"CWE-{value}" if str(value).isdigit() else value for value in _strings(_extra(result.properties, "cwe"))]
    texts += [
        f"CWE-{taxon.id}" if taxon.id.isdigit() else taxon.id
        for taxon in result.taxa or []
        if taxon.id and taxon.toolComponent and (taxon.toolComponent.name or "").upper() == "CWE"
    ]
    if not texts:
        return tuple(sorted(rule_cwes))
    return tuple(sorted(rule_cwes | {int(match[1]) for text in texts for match in _CWE.finditer(text)}))


def _rule_cwes(rule: _Rule | None) -> frozenset[int]:
    """CWE numbers of a rule's tags and ``cwe`` property."""
    if rule is None:
        return frozenset()
    texts = list(rule.properties.tags or []) if rule.properties else []
    texts += [f"CWE-{value}" if str(value).isdigit() else value for value in _strings(_extra(rule.properties, "cwe"))]
    return frozenset(int(match[1]) for text in texts for match in _CWE.finditer(text))


def _strings(value: object) -> list[str]:
    """The strings (and integers, as text) in a property that may be one value or an array of them."""
    items = value if isinstance(value, list) else [value]
    return [str(item) for item in items if isinstance(item, str | int) and not isinstance(item, bool)]


def _first_string(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
