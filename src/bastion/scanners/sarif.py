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

A log can hold a hundred thousand results, so ``sarif_log.decode_fast`` decodes it with msgspec straight into
structs of the fields read here, type-checked on the way (other fields are skipped); on any problem it falls back
to ``json.loads`` and the schema of ``sarif_schema``, whose messages name the first problem in the order of the
schema's fields. Then the results are converted, with what depends on a rule alone (title, CWEs, severity
defaults) worked out once per rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from bastion.errors import ImporterError
from bastion.importers.json_input import kind_of
from bastion.memory import gc_paused
from bastion.model import Confidence, Finding, Location, Severity
from bastion.scanners.sarif_log import (
    ArtifactLocation,
    Message,
    Properties,
    Result,
    Rule,
    Run,
    decode_checked,
    decode_fast,
)
from bastion.scanners.sarif_schema import LEVELS

__all__ = ["SarifImporter"]

_CWE = re.compile(r"\bcwe[-_/: ]*(\d+)", re.IGNORECASE)
_WINDOWS_DRIVE = re.compile(r"^/[A-Za-z]:/")
_PLACEHOLDER = re.compile(r"\{(\d+)\}")
_SEVERITY_OF_LEVEL = {level: Severity.parse(level) for level in LEVELS}
_DROPPED_KINDS = frozenset({"pass", "notApplicable"})
_NO_PROPERTIES = Properties()


class SarifImporter:
    """Imports SARIF 2.1.0 logs; registered as the ``sarif`` importer."""

    name = "sarif"

    def parse(self, data: bytes, *, source: str, control: str) -> list[Finding]:
        """The findings of every run in the log; ``ImporterError`` naming ``source`` and the JSON path."""
        with gc_paused():
            log = decode_fast(data)
            if log is None:  # a problem: the old path names it in its words, or reads what msgspec would not
                log = decode_checked(data, source)
            findings: list[Finding] = []
            for index, run in enumerate(log.runs or []):
                findings.extend(_RunReader(run, f"$.runs[{index}]", source, control).findings())
            return findings


def _text(message: Message | None, arguments: list[str] | None = None) -> str:
    if message is None:
        return ""
    text = message.text or message.markdown or ""
    if "{" not in text:
        return text
    arguments = arguments or message.arguments or []
    return _PLACEHOLDER.sub(lambda m: arguments[int(m[1])] if int(m[1]) < len(arguments) else m[0], text)


@dataclass(frozen=True, slots=True)
class _Rule:
    """What a finding takes from its rule alone, worked out once per rule: a big log repeats a few rules."""

    rule: Rule
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
    def of(cls, rule: Rule, path: str) -> _Rule:
        properties = rule.properties
        configuration = rule.default_configuration
        precision = properties.precision if properties is not None else None
        cwes = _rule_cwes(rule)
        help_ = rule.help
        return cls(
            rule=rule,
            path=path,
            title=_rule_title(rule),
            remediation=(help_.text or "") if help_ is not None else "",
            help_uri=rule.help_uri or "",
            cwes=cwes,
            sorted_cwes=tuple(sorted(cwes)),
            score=properties.security_severity if properties is not None else None,
            level=configuration.level if configuration is not None else None,
            confidence=(
                Confidence.parse("high" if precision == "very-high" else precision)
                if isinstance(precision, str)
                else None
            ),
        )


class _RunReader:
    """Reads the results of one (type-checked) run, knowing its rules, artifacts and base URIs."""

    def __init__(self, run: Run, path: str, source: str, control: str) -> None:
        self.run, self.path, self.source, self.control = run, path, source, control
        self.tool = run.tool.driver.name
        self.driver_path = f"{path}.tool.driver"
        self.rule_positions: dict[str, dict[str, int]] = {}
        """Per tool component: rule id → index of its first rule with that id."""
        self.rules: dict[int, _Rule] = {}
        """What each rule gives its findings, by ``id()`` of the rule's object."""
        self.paths: dict[tuple[str, str | None], str] = {}
        """Relative paths by (URI, base id): a big log names each file many times."""

    def error(self, path: str, problem: str) -> ImporterError:
        return ImporterError(f"{self.source}: {path}: {problem}")

    def result_path(self, index: int) -> str:
        """The JSON path of a result, only made for an error: a big log has many results."""
        return f"{self.path}.results[{index}]"

    def findings(self) -> list[Finding]:
        found = []
        for index, result in enumerate(self.run.results or []):
            if result.kind in _DROPPED_KINDS or result.baseline_state == "absent":
                continue
            suppressions = result.suppressions
            if suppressions and any(s.status in {None, "accepted"} for s in suppressions):
                continue
            found.append(self.finding(result, index))
        return found

    def finding(self, result: Result, index: int) -> Finding:
        rule = self.rule_of(result, index)
        reference = result.rule
        rule_id = (
            result.rule_id
            or (reference.id if reference is not None else None)
            or (rule.rule.id if rule is not None else None)
        )
        if not rule_id:
            raise self.error(self.result_path(index), "expected a ruleId, a rule.id or a ruleIndex naming a rule")
        message_object = result.message
        message = "" if message_object is None else message_object.text or message_object.markdown or ""
        if "{" in message:  # ``_text`` inline for the common case, a message without placeholders
            message = _text(message_object)
        if not message and rule is not None and message_object is not None and message_object.id:
            strings = rule.rule.message_strings or {}
            message = _text(strings.get(message_object.id), message_object.arguments)
        if rule is not None and rule.title:
            title = rule.title
        else:
            stripped = message.strip()
            title = stripped.splitlines()[0][:200] if stripped else rule_id
        properties = result.properties
        severity = self.severity(result, properties, index, rule)
        location = self.location(result, properties, index)
        if properties is None and not result.taxa:  # the common case: the rest comes from the rule
            cwe = rule.sorted_cwes if rule is not None else ()
            confidence = rule.confidence if rule is not None and rule.confidence is not None else Confidence.MEDIUM
            aliases: tuple[str, ...] = ()
            tags: tuple[str, ...] = ()
        else:
            bag = properties or _NO_PROPERTIES
            cwe = _cwes(result, bag, rule.cwes if rule is not None else frozenset())
            confidence = _confidence(bag, rule)
            aliases = tuple(_strings(bag.aliases))
            tags = tuple(dict.fromkeys(t for t in bag.tags or [] if not _CWE.search(t)))
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

    def rule_of(self, result: Result, result_index: int) -> _Rule | None:
        tool = self.run.tool
        component, component_path = tool.driver, self.driver_path
        reference = result.rule
        if reference is not None:
            tool_component = reference.tool_component
            position = tool_component.index if tool_component is not None else None
            if position is not None:
                extensions = tool.extensions or []
                if not 0 <= position < len(extensions):
                    where = f"{self.result_path(result_index)}.rule.toolComponent.index"
                    raise self.error(where, f"{position} is out of range: the tool has {len(extensions)} extensions")
                component, component_path = extensions[position], f"{self.path}.tool.extensions[{position}]"
        rules = component.rules or []
        index, where = result.rule_index, "ruleIndex"
        if (index is None or index < 0) and reference is not None and reference.index is not None:
            index, where = reference.index, "rule.index"
        if index is not None and index >= 0:
            if index >= len(rules):
                where = f"{self.result_path(result_index)}.{where}"
                raise self.error(where, f"{index} is out of range: the tool has {len(rules)} rules")
        else:
            rule_id = result.rule_id or (reference.id if reference is not None else None)
            positions = self.rule_positions.get(component_path)
            if positions is None:
                positions = {rule.id: index for index, rule in reversed(list(enumerate(rules)))}
                self.rule_positions[component_path] = positions
            index = positions.get(rule_id or "")
            if index is None:
                return None
        rule = rules[index]
        info = self.rules.get(id(rule))
        if info is None:
            self.rules[id(rule)] = info = _Rule.of(rule, f"{component_path}.rules[{index}]")
        return info

    def severity(self, result: Result, properties: Properties | None, index: int, rule: _Rule | None) -> Severity:
        score = properties.security_severity if properties is not None else None
        if score is not None:
            return self.score(score, f"{self.result_path(index)}.properties.security-severity")
        if rule is not None and rule.score is not None:
            return self.score(rule.score, f"{rule.path}.properties.security-severity")
        level = result.level or (rule.level if rule is not None else None) or "warning"
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

    def location(self, result: Result, properties: Properties | None, index: int) -> Location:
        commit = _first_string(properties.commit) if properties is not None else None
        locations = result.locations
        if not locations:
            return Location(commit=commit)
        first = locations[0]
        physical = first.physical_location
        file_path = None
        start = end = column = None
        if physical is not None:
            artifact = physical.artifact_location
            if artifact is not None:
                file_path = self.relative_path(artifact, index)
            region = physical.region
            if region is not None:
                line, last, first_column = region.start_line, region.end_line, region.start_column
                start = line if line and line >= 1 else None
                end = last if start and last and last >= start else start
                column = first_column if first_column and first_column >= 1 else None
        if file_path and file_path.startswith("pkg:"):
            file_path, purl = None, file_path  # our own renderer's stand-in for a package without a lockfile
        else:
            purl = None
        logical_locations = first.logical_locations
        package = purl
        if logical_locations:
            for logical in logical_locations:
                qualified = logical.fully_qualified_name
                if logical.kind == "package" or (qualified or "").startswith("pkg:"):
                    package = qualified or logical.name
                    break
        return Location(
            path=file_path, start_line=start, end_line=end, start_column=column, commit=commit, package=package
        )

    def relative_path(self, artifact: ArtifactLocation, result_index: int) -> str | None:
        uri, base, index = artifact.uri, artifact.uri_base_id, artifact.index
        if uri is None and index is not None and index >= 0:
            artifacts = self.run.artifacts or []
            if index >= len(artifacts):
                where = f"{self.result_path(result_index)}.locations[0].physicalLocation.artifactLocation.index"
                raise self.error(where, f"{index} is out of range: the run has {len(artifacts)} artifacts")
            listed = artifacts[index].location
            uri, base = (listed.uri, base or listed.uri_base_id) if listed is not None else (None, base)
        if not uri:
            return None
        key = (uri, base)
        relative = self.paths.get(key)
        if relative is None:
            root = (self.run.original_uri_base_ids or {}).get(base or "")
            self.paths[key] = relative = _relative(uri, root.uri if root is not None else None)
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


def _rule_title(rule: Rule) -> str:
    """The rule's title, or ``""`` when it has none (the finding's message then gives one)."""
    short = _text(rule.short_description).strip()
    if short and rule.id not in short:
        return short
    full = _text(rule.full_description).strip().splitlines()
    for title in (full[0][:200] if full else "", short, rule.name or ""):
        if title:
            return str(title)
    return ""


def _confidence(properties: Properties, rule: _Rule | None) -> Confidence:
    for value in (properties.confidence, properties.issue_confidence):
        if isinstance(value, str):
            return Confidence.parse(value)
    if rule is not None and rule.confidence is not None:
        return rule.confidence
    return Confidence.MEDIUM


def _cwes(result: Result, properties: Properties, rule_cwes: frozenset[int]) -> tuple[int, ...]:
    """CWE numbers of the rule (computed once per rule) and of the result's own tags, properties and taxa."""
    texts = list(properties.tags or [])
    texts += [f"CWE-{value}" if value.isdigit() else value for value in _strings(properties.cwe)]
    for taxon in result.taxa or []:
        taxon_id, component = taxon.id, taxon.tool_component
        if taxon_id and component is not None and (component.name or "").upper() == "CWE":
            texts.append(f"CWE-{taxon_id}" if taxon_id.isdigit() else taxon_id)
    if not texts:
        return tuple(sorted(rule_cwes))
    return tuple(sorted(rule_cwes | {int(match[1]) for text in texts for match in _CWE.finditer(text)}))


def _rule_cwes(rule: Rule) -> frozenset[int]:
    """CWE numbers of a rule's tags and ``cwe`` property."""
    properties = rule.properties
    if properties is None:
        return frozenset()
    texts = list(properties.tags or [])
    texts += [f"CWE-{value}" if value.isdigit() else value for value in _strings(properties.cwe)]
    return frozenset(int(match[1]) for text in texts for match in _CWE.finditer(text))


def _strings(value: object) -> list[str]:
    """The strings (and integers, as text) in a property that may be one value or an array of them."""
    items = value if isinstance(value, list) else [value]
    return [str(item) for item in items if isinstance(item, str | int) and not isinstance(item, bool)]


def _first_string(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
