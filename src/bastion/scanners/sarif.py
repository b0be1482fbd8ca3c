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

A log can hold a hundred thousand results, so it is read as the plain dicts and lists ``json.loads`` returns:
first every field read here is type-checked against ``_LOG`` (the schema, in the order its problems are
reported: the first problem in document order of the schema's fields), then the results are converted, with what
depends on a rule alone (title, CWEs, severity defaults) worked out once per rule.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeAlias
from urllib.parse import unquote, urlsplit

from bastion.errors import ImporterError
from bastion.importers.report import json_path, kind_of, load_json
from bastion.memory import gc_paused
from bastion.model import Confidence, Finding, Location, Severity

__all__ = ["SarifImporter"]

_Json = dict[str, Any]

# ---- The schema: the fields read here and their types --------------------------------------------------------

_Loc: TypeAlias = tuple[int | str, ...]
_Problem: TypeAlias = tuple[_Loc, str, object]
"""Where (path below the checked value), what was expected, and the value found (``_MISSING`` if none)."""
_Check: TypeAlias = Callable[[object], _Problem | None]
_Kind: TypeAlias = type | _Check
"""A field's type: ``str`` or ``int`` (checked inline), or a check for objects, arrays, maps and enums."""

_MISSING = object()
_EXPECTED_TYPE = {str: "expected a string", int: "expected an integer"}
_LEVELS = ("none", "note", "warning", "error")


def _problem_of(kind: _Kind, value: object) -> _Problem | None:
    if isinstance(kind, type):
        # JSON numbers are ``int`` or ``float`` and ``bool`` is no integer here: compare types exactly.
        return None if type(value) is kind else ((), _EXPECTED_TYPE[kind], value)
    return kind(value)


def _object(*fields: tuple[str, _Kind, bool, bool]) -> _Check:
    """A check for an object with these fields (name, type, required, nullable); other properties are ignored."""
    leaves = {name: kind for name, kind, _, _ in fields if isinstance(kind, type)}
    nested = {name: kind for name, kind, _, _ in fields if not isinstance(kind, type)}
    not_null = frozenset(name for name, _, _, nullable in fields if not nullable)
    required = tuple(name for name, _, needed, _ in fields if needed)

    def first_problem(value: _Json) -> _Problem | None:
        # The slow way, in the schema's field order: the problem reported is the first one in that order.
        for name, kind, needed, nullable in fields:
            if name not in value:
                if needed:
                    return (name,), "required property is missing", _MISSING
                continue
            item = value[name]
            if item is None and nullable:
                continue
            problem = _problem_of(kind, item)
            if problem is not None:
                return (name, *problem[0]), problem[1], problem[2]
        return None

    def check(value: object) -> _Problem | None:
        if type(value) is not dict:
            return (), "expected an object", value
        # The fast way, over the properties present; on a problem, the slow way finds the one to report.
        for name, item in value.items():
            leaf = leaves.get(name)
            if leaf is not None:
                if type(item) is not leaf and (item is not None or name in not_null):
                    return first_problem(value)
                continue
            inner = nested.get(name)
            if inner is not None and (item is not None or name in not_null) and inner(item) is not None:
                return first_problem(value)
        for name in required:
            if name not in value:
                return first_problem(value)
        return None

    return check


def _array(kind: _Kind) -> _Check:
    def check(value: object) -> _Problem | None:
        if type(value) is not list:
            return (), "expected an array", value
        for index, item in enumerate(value):
            problem = _problem_of(kind, item)
            if problem is not None:
                return (index, *problem[0]), problem[1], problem[2]
        return None

    def check_objects(value: object) -> _Problem | None:
        if type(value) is not list:
            return (), "expected an array", value
        for item in value:  # the common case, one call per item; the index only when there is a problem
            if kind(item) is not None:
                return check(value)
        return None

    return check if isinstance(kind, type) else check_objects


def _map(kind: _Kind) -> _Check:
    def check(value: object) -> _Problem | None:
        if type(value) is not dict:
            return (), "expected an object", value
        for key, item in value.items():
            problem = _problem_of(kind, item)
            if problem is not None:
                return (key, *problem[0]), problem[1], problem[2]
        return None

    return check


def _level(value: object) -> _Problem | None:
    if type(value) is str and value in _LEVELS:
        return None
    return (), "input should be 'none', 'note', 'warning' or 'error'", value


def _opt(name: str, kind: _Kind) -> tuple[str, _Kind, bool, bool]:
    return name, kind, False, True


def _req(name: str, kind: _Kind, *, nullable: bool = False) -> tuple[str, _Kind, bool, bool]:
    return name, kind, True, nullable


_MESSAGE = _object(_opt("text", str), _opt("markdown", str), _opt("id", str), _opt("arguments", _array(str)))
_PROPERTIES = _object(_opt("tags", _array(str)))
_RULE = _object(
    _req("id", str),
    _opt("name", str),
    _opt("shortDescription", _MESSAGE),
    _opt("fullDescription", _MESSAGE),
    _opt("help", _MESSAGE),
    _opt("helpUri", str),
    _opt("messageStrings", _map(_MESSAGE)),
    _opt("defaultConfiguration", _object(_opt("level", _level))),
    _opt("properties", _PROPERTIES),
)
_RULE_REFERENCE = _object(
    _opt("id", str), _opt("index", int), _opt("toolComponent", _object(_opt("index", int), _opt("name", str)))
)
_ARTIFACT_LOCATION = _object(_opt("uri", str), _opt("uriBaseId", str), _opt("index", int))
_LOCATION = _object(
    _opt(
        "physicalLocation",
        _object(
            _opt("artifactLocation", _ARTIFACT_LOCATION),
            _opt("region", _object(_opt("startLine", int), _opt("endLine", int), _opt("startColumn", int))),
        ),
    ),
    _opt("logicalLocations", _array(_object(_opt("name", str), _opt("fullyQualifiedName", str), _opt("kind", str)))),
)
_RESULT = _object(
    _opt("ruleId", str),
    _opt("ruleIndex", int),
    _opt("rule", _RULE_REFERENCE),
    _opt("kind", str),
    _opt("level", _level),
    _opt("message", _MESSAGE),
    _opt("locations", _array(_LOCATION)),
    _opt("taxa", _array(_RULE_REFERENCE)),
    _opt("suppressions", _array(_object(_opt("status", str)))),
    _opt("baselineState", str),
    _opt("properties", _PROPERTIES),
)
_TOOL_COMPONENT = _object(_req("name", str), _opt("rules", _array(_RULE)))
_RUN = _object(
    _req("tool", _object(_req("driver", _TOOL_COMPONENT), _opt("extensions", _array(_TOOL_COMPONENT)))),
    _opt("results", _array(_RESULT)),
    _opt("artifacts", _array(_object(_opt("location", _ARTIFACT_LOCATION)))),
    _opt("originalUriBaseIds", _map(_ARTIFACT_LOCATION)),
)
_LOG = _object(_req("runs", _array(_RUN), nullable=True))
"""A SARIF log as read here (``version`` is checked first, on its own)."""


_CWE = re.compile(r"\bcwe[-_/: ]*(\d+)", re.IGNORECASE)
_WINDOWS_DRIVE = re.compile(r"^/[A-Za-z]:/")
_PLACEHOLDER = re.compile(r"\{(\d+)\}")
_SEVERITY_OF_LEVEL = {level: Severity.parse(level) for level in _LEVELS}
_DROPPED_KINDS = frozenset({"pass", "notApplicable"})


class SarifImporter:
    """Imports SARIF 2.1.0 logs; registered as the ``sarif`` importer."""

    name = "sarif"

    def parse(self, data: bytes, *, source: str, control: str) -> list[Finding]:
        """The findings of every run in the log; ``ImporterError`` naming ``source`` and the JSON path."""
        with gc_paused():
            log = _load(data, source)
            findings: list[Finding] = []
            for index, run in enumerate(log["runs"] or []):
                findings.extend(_RunReader(run, f"$.runs[{index}]", source, control).findings())
            return findings



def _load(data: bytes, source: str) -> _Json:
    raw = load_json(data, source)
    if not isinstance(raw, dict):
        raise ImporterError(f"{source}: $: expected a SARIF log object, got {kind_of(raw)}")
    if raw.get("version") != "2.1.0":
        found = f"got {json.dumps(raw['version'])[:40]}" if "version" in raw else "found none"
        raise ImporterError(f"{source}: $.version: expected '2.1.0', {found}")
    wrong = _LOG(raw)
    if wrong is not None:
        loc, expected, value = wrong
        got = "" if value is _MISSING else f", got {kind_of(value)}"
        raise ImporterError(f"{source}: {json_path(loc)}: {expected}{got}")
    return raw


def _text(message: _Json | None, arguments: list[str] | None = None) -> str:
    if message is None:
        return ""
    text: str = message.get("text") or message.get("markdown") or ""
    if "{" not in text:
        return text
    arguments = arguments or message.get("arguments") or []
    return _PLACEHOLDER.sub(lambda m: arguments[int(m[1])] if int(m[1]) < len(arguments) else m[0], text)


@dataclass(frozen=True, slots=True)
class _Rule:
    """What a finding takes from its rule alone, worked out once per rule: a big log repeats a few rules."""

    rule: _Json
    path: str
    title: str
    remediation: str
    help_uri: str
    cwes: frozenset[int]
    sorted_cwes: tuple[int, ...]
    score: object
    level: str | None
    confidence: Confidence | None

    @classmethod
    def of(cls, rule: _Json, path: str) -> _Rule:
        properties = rule.get("properties")
        configuration = rule.get("defaultConfiguration")
        precision = properties.get("precision") if properties is not None else None
        cwes = _rule_cwes(rule)
        help_ = rule.get("help")
        return cls(
            rule=rule,
            path=path,
            title=_rule_title(rule),
            remediation=(help_.get("text") or "") if help_ is not None else "",
            help_uri=rule.get("helpUri") or "",
            cwes=cwes,
            sorted_cwes=tuple(sorted(cwes)),
            score=properties.get("security-severity") if properties is not None else None,
            level=configuration.get("level") if configuration is not None else None,
            confidence=(
                Confidence.parse("high" if precision == "very-high" else precision)
                if isinstance(precision, str)
                else None
            ),
        )


class _RunReader:
    """Reads the results of one (type-checked) run, knowing its rules, artifacts and base URIs."""

    def __init__(self, run: _Json, path: str, source: str, control: str) -> None:
        self.run, self.path, self.source, self.control = run, path, source, control
        self.tool: str = run["tool"]["driver"]["name"]
        self.rule_positions: dict[str, dict[str, int]] = {}
        """Per tool component: rule id → index of its first rule with that id."""
        self.rules: dict[int, _Rule] = {}
        """What each rule gives its findings, by ``id()`` of the rule's object."""
        self.paths: dict[tuple[str, str | None], str] = {}
        """Relative paths by (URI, base id): a big log names each file many times."""

    def error(self, path: str, problem: str) -> ImporterError:
        return ImporterError(f"{self.source}: {path}: {problem}")

    def findings(self) -> list[Finding]:
        found = []
        for index, result in enumerate(self.run.get("results") or []):
            if result.get("kind") in _DROPPED_KINDS or result.get("baselineState") == "absent":
                continue
            suppressions = result.get("suppressions")
            if suppressions and any(s.get("status") in {None, "accepted"} for s in suppressions):
                continue
            found.append(self.finding(result, f"{self.path}.results[{index}]"))
        return found

    def finding(self, result: _Json, path: str) -> Finding:
        rule = self.rule_of(result, path)
        reference = result.get("rule")
        rule_id: str | None = (
            result.get("ruleId")
            or (reference.get("id") if reference is not None else None)
            or (rule.rule["id"] if rule is not None else None)
        )
        if not rule_id:
            raise self.error(path, "expected a ruleId, a rule.id or a ruleIndex naming a rule")
        message_object = result.get("message")
        message = _text(message_object)
        if not message and rule is not None and message_object is not None and message_object.get("id"):
            strings = rule.rule.get("messageStrings") or {}
            message = _text(strings.get(message_object["id"]), message_object.get("arguments"))
        if rule is not None and rule.title:
            title = rule.title
        else:
            stripped = message.strip()
            title = stripped.splitlines()[0][:200] if stripped else rule_id
        properties = result.get("properties")
        severity = self.severity(result, properties, path, rule)
        location = self.location(result, properties, path)
        if properties is None and not result.get("taxa"):  # the common case: the rest comes from the rule
            cwe = rule.sorted_cwes if rule is not None else ()
            confidence = rule.confidence if rule is not None and rule.confidence is not None else Confidence.MEDIUM
            aliases: tuple[str, ...] = ()
            tags: tuple[str, ...] = ()
        else:
            bag = properties or {}
            cwe = _cwes(result, bag, rule.cwes if rule is not None else frozenset())
            confidence = _confidence(bag, rule)
            aliases = tuple(_strings(bag.get("aliases")))
            tags = tuple(dict.fromkeys(t for t in bag.get("tags") or [] if not _CWE.search(t)))
        return Finding(
            control=self.control,
            tool=self.tool,
            rule_id=rule_id,
            title=title,
            severity=severity,
            location=location,
            message=message,
            confidence=confidence,
            cwe=cwe,
            aliases=aliases,
            remediation=rule.remediation if rule is not None else "",
            help_uri=rule.help_uri if rule is not None else "",
            tags=tags,
        )

    def rule_of(self, result: _Json, path: str) -> _Rule | None:
        tool = self.run["tool"]
        component, component_path = tool["driver"], f"{self.path}.tool.driver"
        reference = result.get("rule")
        if reference is not None:
            tool_component = reference.get("toolComponent")
            position = tool_component.get("index") if tool_component is not None else None
            if position is not None:
                extensions = tool.get("extensions") or []
                if not 0 <= position < len(extensions):
                    where = f"{path}.rule.toolComponent.index"
                    raise self.error(where, f"{position} is out of range: the tool has {len(extensions)} extensions")
                component, component_path = extensions[position], f"{self.path}.tool.extensions[{position}]"
        rules = component.get("rules") or []
        index, where = result.get("ruleIndex"), "ruleIndex"
        if (index is None or index < 0) and reference is not None and reference.get("index") is not None:
            index, where = reference["index"], "rule.index"
        if index is not None and index >= 0:
            if index >= len(rules):
                raise self.error(f"{path}.{where}", f"{index} is out of range: the tool has {len(rules)} rules")
        else:
            rule_id = result.get("ruleId") or (reference.get("id") if reference is not None else None)
            positions = self.rule_positions.get(component_path)
            if positions is None:
                positions = {rule["id"]: index for index, rule in reversed(list(enumerate(rules)))}
                self.rule_positions[component_path] = positions
            index = positions.get(rule_id or "")
            if index is None:
                return None
        rule = rules[index]
        info = self.rules.get(id(rule))
        if info is None:
            self.rules[id(rule)] = info = _Rule.of(rule, f"{component_path}.rules[{index}]")
        return info

    def severity(self, result: _Json, properties: _Json | None, path: str, rule: _Rule | None) -> Severity:
        score = properties.get("security-severity") if properties is not None else None
        if score is not None:
            return self.score(score, f"{path}.properties.security-severity")
        if rule is not None and rule.score is not None:
            return self.score(rule.score, f"{rule.path}.properties.security-severity")
        level = result.get("level") or (rule.level if rule is not None else None) or "warning"
        return _SEVERITY_OF_LEVEL[level]

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

    def location(self, result: _Json, properties: _Json | None, path: str) -> Location:
        commit = _first_string(properties.get("commit")) if properties is not None else None
        locations = result.get("locations")
        if not locations:
            return Location(commit=commit)
        first = locations[0]
        physical = first.get("physicalLocation")
        file_path = None
        start = end = column = None
        if physical is not None:
            artifact = physical.get("artifactLocation")
            if artifact is not None:
                file_path = self.relative_path(artifact, f"{path}.locations[0].physicalLocation.artifactLocation")
            region = physical.get("region")
            if region is not None:
                line, last, first_column = region.get("startLine"), region.get("endLine"), region.get("startColumn")
                start = line if line and line >= 1 else None
                end = last if start and last and last >= start else start
                column = first_column if first_column and first_column >= 1 else None
        if file_path and file_path.startswith("pkg:"):
            file_path, purl = None, file_path  # our own renderer's stand-in for a package without a lockfile
        else:
            purl = None
        logical_locations = first.get("logicalLocations")
        package = purl
        if logical_locations:
            for logical in logical_locations:
                qualified = logical.get("fullyQualifiedName")
                if logical.get("kind") == "package" or (qualified or "").startswith("pkg:"):
                    package = qualified or logical.get("name")
                    break
        return Location(
            path=file_path, start_line=start, end_line=end, start_column=column, commit=commit, package=package
        )

    def relative_path(self, artifact: _Json, path: str) -> str | None:
        uri, base, index = artifact.get("uri"), artifact.get("uriBaseId"), artifact.get("index")
        if uri is None and index is not None and index >= 0:
            artifacts = self.run.get("artifacts") or []
            if index >= len(artifacts):
                count = len(artifacts)
                raise self.error(f"{path}.index", f"{index} is out of range: the run has {count} artifacts")
            listed = artifacts[index].get("location")
            uri, base = (listed.get("uri"), base or listed.get("uriBaseId")) if listed is not None else (None, base)
        if not uri:
            return None
        key = (uri, base)
        relative = self.paths.get(key)
        if relative is None:
            root = (self.run.get("originalUriBaseIds") or {}).get(base or "")
            self.paths[key] = relative = _relative(uri, root.get("uri") if root is not None else None)
        return relative


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


def _rule_title(rule: _Json) -> str:
    """The rule's title, or ``""`` when it has none (the finding's message then gives one)."""
    short = _text(rule.get("shortDescription")).strip()
    if short and rule["id"] not in short:
        return short
    full = _text(rule.get("fullDescription")).strip().splitlines()
    for title in (full[0][:200] if full else "", short, rule.get("name") or ""):
        if title:
            return str(title)
    return ""


def _confidence(properties: _Json, rule: _Rule | None) -> Confidence:
    for key in ("confidence", "issue_confidence"):
        value = properties.get(key)
        if isinstance(value, str):
            return Confidence.parse(value)
    if rule is not None and rule.confidence is not None:
        return rule.confidence
    return Confidence.MEDIUM


def _cwes(result: _Json, properties: _Json, rule_cwes: frozenset[int]) -> tuple[int, ...]:
    """CWE numbers of the rule (computed once per rule) and of the result's own tags, properties and taxa."""
    texts = list(properties.get("tags") or [])
    texts += [f"CWE-{value}" if value.isdigit() else value for value in _strings(properties.get("cwe"))]
    for taxon in result.get("taxa") or []:
        taxon_id, component = taxon.get("id"), taxon.get("toolComponent")
        if taxon_id and component is not None and (component.get("name") or "").upper() == "CWE":
            texts.append(f"CWE-{taxon_id}" if taxon_id.isdigit() else taxon_id)
    if not texts:
        return tuple(sorted(rule_cwes))
    return tuple(sorted(rule_cwes | {int(match[1]) for text in texts for match in _CWE.finditer(text)}))


def _rule_cwes(rule: _Json) -> frozenset[int]:
    """CWE numbers of a rule's tags and ``cwe`` property."""
    properties = rule.get("properties")
    if properties is None:
        return frozenset()
    texts = list(properties.get("tags") or [])
    texts += [f"CWE-{value}" if value.isdigit() else value for value in _strings(properties.get("cwe"))]
    return frozenset(int(match[1]) for text in texts for match in _CWE.finditer(text))


def _strings(value: object) -> list[str]:
    """The strings (and integers, as text) in a property that may be one value or an array of them."""
    items = value if isinstance(value, list) else [value]
    return [str(item) for item in items if isinstance(item, str | int) and not isinstance(item, bool)]


def _first_string(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
