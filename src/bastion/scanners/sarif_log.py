"""A SARIF log decoded straight into typed structs: the fields the SARIF importer reads, type-checked on the way.

Decoding a big log with ``json.loads`` and then type-checking the dicts took twice as long as letting msgspec do
both in one pass, and reading attributes of structs is cheaper than ``dict.get``. The structs below declare
exactly what ``sarif_schema.LOG`` checks, with the same types, nullability and required fields; msgspec ignores
other fields, as the importer does.

The errors, though, are those of the old path: when msgspec rejects a log (or when ``json.loads`` might read it
differently, see ``decode_fast``), the log is read again with ``load_json`` and checked with ``sarif_schema.LOG``,
which raise the pinned messages. A log that passes those checks after all (``json.loads`` accepts ``NaN``, a BOM,
UTF-16, lone surrogates, duplicate keys whose first value is wrong...) is converted from the dicts instead.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, Literal, TypeAlias

import msgspec

from bastion.errors import ImporterError
from bastion.importers.json_input import kind_of, load_json
from bastion.scanners.sarif_schema import LOG, problem_text

__all__ = [
    "ArtifactLocation",
    "Log",
    "Message",
    "Properties",
    "Result",
    "Rule",
    "Run",
    "decode_checked",
    "decode_fast",
]

Level: TypeAlias = Literal["none", "note", "warning", "error"]


class _Struct(msgspec.Struct, frozen=True, gc=False, kw_only=True, rename="camel"):
    """Base of the structs: immutable, untracked by the cyclic GC (decoded data has no cycles), camelCase names.

    (``frozen`` is repeated on each subclass, which msgspec inherits anyway, for mypy's dataclass transform.)
    """


class Message(_Struct, frozen=True):
    text: str | None = None
    markdown: str | None = None
    id: str | None = None
    arguments: list[str] | None = None


class Properties(_Struct, frozen=True):
    """A free-form property bag: only ``tags`` is type-checked, the other keys read are checked where used."""

    tags: list[str] | None = None
    security_severity: Any = msgspec.field(default=None, name="security-severity")
    precision: Any = None
    confidence: Any = None
    issue_confidence: Any = msgspec.field(default=None, name="issue_confidence")
    cwe: Any = None
    aliases: Any = None
    commit: Any = None


class Configuration(_Struct, frozen=True):
    level: Level | None = None


class Rule(_Struct, frozen=True):
    id: str
    name: str | None = None
    short_description: Message | None = None
    full_description: Message | None = None
    help: Message | None = None
    help_uri: str | None = None
    message_strings: dict[str, Message] | None = None
    default_configuration: Configuration | None = None
    properties: Properties | None = None


class ComponentReference(_Struct, frozen=True):
    index: int | None = None
    name: str | None = None


class RuleReference(_Struct, frozen=True):
    id: str | None = None
    index: int | None = None
    tool_component: ComponentReference | None = None


class ArtifactLocation(_Struct, frozen=True):
    uri: str | None = None
    uri_base_id: str | None = None
    index: int | None = None


class Region(_Struct, frozen=True):
    start_line: int | None = None
    end_line: int | None = None
    start_column: int | None = None


class PhysicalLocation(_Struct, frozen=True):
    artifact_location: ArtifactLocation | None = None
    region: Region | None = None


class LogicalLocation(_Struct, frozen=True):
    name: str | None = None
    fully_qualified_name: str | None = None
    kind: str | None = None


class Location(_Struct, frozen=True):
    physical_location: PhysicalLocation | None = None
    logical_locations: list[LogicalLocation] | None = None


class Suppression(_Struct, frozen=True):
    status: str | None = None


class Result(_Struct, frozen=True):
    rule_id: str | None = None
    rule_index: int | None = None
    rule: RuleReference | None = None
    kind: str | None = None
    level: Level | None = None
    message: Message | None = None
    locations: list[Location] | None = None
    taxa: list[RuleReference] | None = None
    suppressions: list[Suppression] | None = None
    baseline_state: str | None = None
    properties: Properties | None = None


class ToolComponent(_Struct, frozen=True):
    name: str
    rules: list[Rule] | None = None


class Tool(_Struct, frozen=True):
    driver: ToolComponent
    extensions: list[ToolComponent] | None = None


class Artifact(_Struct, frozen=True):
    location: ArtifactLocation | None = None


class Run(_Struct, frozen=True):
    tool: Tool
    results: list[Result] | None = None
    artifacts: list[Artifact] | None = None
    original_uri_base_ids: dict[str, ArtifactLocation] | None = None


class Log(_Struct, frozen=True):
    version: Literal["2.1.0"]
    runs: list[Run] | None


_DECODER = msgspec.json.Decoder(Log)
_DIGITS = b"0123456789"
_EXTRA_FRAMES = 8
"""Python frames the fast decode runs under, so that it meets Python's recursion limit no later than the old path's
``json.loads`` would (on CPython 3.11, four frames make the two give up at the same depth of nesting; eight leave a
margin): a log nested that deeply is then decoded by ``decode_checked``, whose ``json.loads`` decides whether it is
too deep, as before."""


def decode_fast(data: bytes) -> Log | None:
    """The log in ``data`` decoded by msgspec, or ``None`` when ``decode_checked`` must read it.

    ``None`` on any problem, and when ``json.loads`` might read the log differently: msgspec does not look into
    the strings and numbers of fields it skips, which fail in ``json.loads`` when they are not UTF-8 or are
    integers too long to convert.
    """
    if (data.isascii() or _is_utf8(data)) and not _has_long_integer(data):
        try:
            return _under_frames(_EXTRA_FRAMES, _DECODER.decode, data)
        except (msgspec.MsgspecError, ValueError, RecursionError):  # ValueError: a typed string not UTF-8
            pass
    return None


def decode_checked(data: bytes, source: str) -> Log:
    """The old path: ``load_json``, the version, then ``LOG``, each raising its pinned message naming ``source``.

    Called straight from the importer's ``parse``, as the old ``load_json`` was, so that ``json.loads`` meets the
    recursion limit at the same depth of nesting as it did.
    """
    raw = load_json(data, source)
    if not isinstance(raw, dict):
        raise ImporterError(f"{source}: $: expected a SARIF log object, got {kind_of(raw)}")
    if raw.get("version") != "2.1.0":
        found = f"got {json.dumps(raw['version'])[:40]}" if "version" in raw else "found none"
        raise ImporterError(f"{source}: $.version: expected '2.1.0', {found}")
    problem = LOG(raw)
    if problem is not None:
        raise ImporterError(f"{source}: {problem_text(problem)}")
    try:
        return msgspec.convert(raw, Log)
    except msgspec.ValidationError as err:  # the structs and ``LOG`` disagree: a bug, reported all the same
        message, _, path = str(err).partition(" - at ")
        raise ImporterError(f"{source}: {path.strip('`') or '$'}: {message}") from None


def _under_frames(frames: int, decode: Callable[[bytes], Log], data: bytes) -> Log:
    return decode(data) if frames == 0 else _under_frames(frames - 1, decode, data)


def _is_utf8(data: bytes) -> bool:
    """Whether ``json.loads`` decodes ``data`` as UTF-8 text (it lets encoded surrogates through)."""
    try:
        data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return False
    return True


def _has_long_integer(data: bytes) -> bool:
    """Whether ``data`` has a run of digits as long as Python's limit on converting text to ``int``.

    ``json.loads`` raises ``ValueError`` on such an integer even in a field msgspec skips. Any run of ``limit``
    digits covers one offset that is a multiple of ``limit``, so only the bytes at those offsets are looked at.
    """
    limit = sys.get_int_max_str_digits()
    if limit == 0 or len(data) < limit:
        return False
    for start in range(0, len(data), limit):
        if data[start] in _DIGITS:
            before = data[max(0, start - limit) : start]
            after = data[start : start + limit]
            run = len(before) - len(before.rstrip(_DIGITS)) + len(after) - len(after.lstrip(_DIGITS))
            if run >= limit:
                return True
    return False
