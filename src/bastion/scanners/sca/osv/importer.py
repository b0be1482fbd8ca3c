"""The OSV importer: reads advisories from JSON files, zips of JSON files and folders into the store.

Each record is validated on its own; a corrupt one (bad JSON, a missing ``id`` or ``affected[].package``, an
unknown event) is skipped and counted, with its member name and JSON path kept for the report, and the import
goes on.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from bastion.scanners.sca.ecosystem import Ecosystem, normalise_name
from bastion.scanners.sca.errors import VulnStoreError
from bastion.scanners.sca.osv.advisory import Advisory
from bastion.scanners.sca.osv.records import OsvRecord
from bastion.scanners.sca.osv.severity import severity_of
from bastion.scanners.sca.osv.store import VulnStore
from bastion.scanners.sca.osv.writer import StoredRecord
from bastion.scanners.sca.ranges import AffectedRange, Event, EventKind

__all__ = ["ImportReport", "import_path", "stored_record"]

_RANGE_TYPES = {"ECOSYSTEM", "SEMVER"}
_MAX_PROBLEMS = 20
Progress = Callable[[str, int, int], None]


@dataclass
class ImportReport:
    """What one file (a zip or a JSON file) contributed."""

    source: str
    """The file's name."""
    imported: int = 0
    """Records written."""
    skipped: int = 0
    """Corrupt records skipped."""
    problems: list[str] = field(default_factory=list)
    """The first few skipped records, each ``member: path: problem``."""

    def skip(self, member: str, problem: str) -> None:
        """Count a corrupt record and keep its reason if there is room."""
        self.skipped += 1
        if len(self.problems) < _MAX_PROBLEMS:
            self.problems.append(f"{member}: {problem}")


def import_path(store: VulnStore, path: Path, *, progress: Progress | None = None) -> list[ImportReport]:
    """Import a ``.json`` file, a ``.zip`` of JSON files, or every such file in a folder."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix in {".json", ".zip"} and p.is_file())
        files = [p for p in files if p.name != "manifest.json"]
    elif path.is_file():
        files = [path]
    else:
        raise VulnStoreError(f"{path}: no such file or folder")
    reports = []
    for file in files:
        report = ImportReport(file.name)
        written = store.write(_records(file, report, progress), source=file.name)
        report.imported = written
        reports.append(report)
    return reports


def _records(file: Path, report: ImportReport, progress: Progress | None) -> Iterator[StoredRecord]:
    if file.suffix == ".zip":
        try:
            archive = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, OSError) as err:
            raise VulnStoreError(f"{file}: not a readable zip file: {err}") from err
        with archive:
            members = [m for m in archive.namelist() if m.endswith(".json")]
            for done, member in enumerate(members, start=1):
                record = _parse(archive.read(member), member, report)
                if record is not None:
                    yield record
                if progress is not None and (done % 500 == 0 or done == len(members)):
                    progress(file.name, done, len(members))
        return
    data = file.read_bytes()
    try:
        document = json.loads(data)
    except json.JSONDecodeError as err:
        report.skip(file.name, f"line {err.lineno}: invalid JSON: {err.msg}")
        return
    items = document if isinstance(document, list) else [document]
    for index, item in enumerate(items):
        record = _validated(item, f"{file.name}[{index}]" if isinstance(document, list) else file.name, report)
        if record is not None:
            yield record


def _parse(data: bytes, member: str, report: ImportReport) -> StoredRecord | None:
    try:
        document = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        report.skip(member, f"invalid JSON: {err}")
        return None
    return _validated(document, member, report)


def _validated(document: object, member: str, report: ImportReport) -> StoredRecord | None:
    try:
        record = OsvRecord.model_validate(document)
        return stored_record(record)
    except ValidationError as err:
        first = err.errors()[0]
        where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"])
        report.skip(member, f"{where}: {first['msg']}")
    except ValueError as err:
        report.skip(member, str(err))
    return None


def stored_record(record: OsvRecord) -> StoredRecord:
    """The storable form of a validated record; ``ValueError`` for an event with no version."""
    specific = record.database_specific or {}
    cwes = tuple(
        int(str(c).removeprefix("CWE-"))
        for c in specific.get("cwe_ids", []) or []
        if str(c).removeprefix("CWE-").isdigit()
    )
    summary = _summary(record)
    advisory = Advisory(
        record.id,
        tuple(dict.fromkeys(a for a in (*record.aliases, *record.upstream) if a != record.id)),
        summary,
        severity_of(record),
        cwes,
        _help_uri(record),
        record.modified,
    )
    affected = []
    for entry in record.affected:
        ecosystem = Ecosystem.of_osv(entry.package.ecosystem)
        name = normalise_name(ecosystem, entry.package.name) if ecosystem else entry.package.name
        events = tuple(
            tuple(_event(e.model_dump(exclude_none=True)) for e in r.events)
            for r in entry.ranges
            if r.type in _RANGE_TYPES
        )
        affected.append((entry.package.ecosystem, name, AffectedRange(events, tuple(entry.versions))))
    return StoredRecord(advisory, record.published, record.withdrawn, tuple(affected))


def _event(raw: dict[str, str]) -> Event:
    if len(raw) != 1:
        raise ValueError(f"range event {raw} must have exactly one of introduced/fixed/last_affected/limit")
    ((kind, version),) = raw.items()
    return Event(EventKind(kind), version)


def _help_uri(record: OsvRecord) -> str:
    for kind in ("ADVISORY", "WEB"):
        for reference in record.references:
            if reference.type == kind:
                return reference.url
    url = (record.database_specific or {}).get("url")
    return url if isinstance(url, str) else f"https://osv.dev/vulnerability/{record.id}"


def _summary(record: OsvRecord) -> str:
    """The record's summary, else the first sentence of its details (at most 160 characters), else its id."""
    if record.summary:
        return record.summary.strip()[:200]
    first = (record.details or "").strip().split("\n", 1)[0]
    sentence = first.split(". ", 1)[0].rstrip(".")
    if not sentence:
        return record.id
    return sentence if len(sentence) <= 160 else sentence[:157] + "..."
