"""Identity of imported findings: the fingerprint when the tool's report has no better one.

Importers set fingerprints where the report names a stable identity: a secret's hash, a package and advisory.
For the rest, when the repository is at hand (``root``) and holds the file, the fingerprint is computed from the
code exactly as for bastion's own scanners (``engine.fingerprints``): an imported bandit finding then has the
fingerprint of bastion's sast finding for the same code. Without the repository the fallback is the location:
tool, rule, path, lines, column, package and commit (and the message for findings without a line, such as a
URL in a DAST report), numbered by occurrence. Inserting lines above such a finding changes its identity; pass
the repository to avoid that.
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bastion.engine.fingerprints import Fingerprinter
from bastion.model import Finding

__all__ = ["complete_fingerprints"]


_FIELDS = tuple(field.name for field in dataclasses.fields(Finding))
_FINGERPRINT = _FIELDS.index("fingerprint")
_values_of = operator.attrgetter(*_FIELDS)
_FILL = object.__setattr__
"""A finding's field values in ``Finding``'s order, read in one C call."""


_LocationKey = tuple[str, str, str | None, int | None, int | None, int | None, str | None, str | None, str | None]
"""tool, rule, path, start line, end line, start column, package, commit, message (when no line)."""


def _fingerprint(
    tool: str,
    rule_id: str,
    path: str | None,
    start: int | None,
    end: int | None,
    column: int | None,
    package: str | None,
    commit: str | None,
    message: str | None,
    count: int,
) -> str:
    """``model.fingerprint_of("import", tool, …, count)`` spelled out: one f-string of the same NUL-terminated
    parts, hashed in one call (a hundred thousand findings make the generic loop cost a tenth of a second)."""
    text = (
        f"import\0{tool}\0{rule_id}\0{'' if path is None else path}\0{'' if start is None else start}\0"
        f"{'' if end is None else end}\0{'' if column is None else column}\0{'' if package is None else package}\0"
        f"{'' if commit is None else commit}\0{'' if message is None else message}\0{count}\0"
    )
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _with_fingerprint(finding: Finding, fingerprint: str) -> Finding:
    """``dataclasses.replace(finding, fingerprint=fingerprint)`` without its per-call field inspection."""
    values: list[Any] = list(_values_of(finding))
    values[_FINGERPRINT] = fingerprint
    return Finding(*values)


def complete_fingerprints(
    findings: Iterable[Finding], root: Path | None = None, *, owned: bool = False
) -> list[Finding]:
    """The findings, each with a fingerprint: its own, the code-based one (``root`` given), or the location.

    ``owned`` says the findings were just built by a parser and nobody else holds them: a location fingerprint
    is then written into the finding itself rather than into a copy (a hundred thousand findings would
    otherwise each be built twice). A finding object listed twice is still copied the second time.
    """
    done: list[Finding] = []
    from_code: list[tuple[int, Finding]] = []
    occurrences: dict[_LocationKey, int] = {}
    files: dict[str, bool] = {}  # a report repeats files: ask once per path whether the repository has it
    filled: set[int] = set()  # ids of owned findings given their fingerprint in place
    for finding in findings:
        if finding.fingerprint and not (filled and id(finding) in filled):
            done.append(finding)
            continue
        location = finding.location
        path, start = location.path, location.start_line
        if root is not None and path and start:
            exists = files.get(path)
            if exists is None:
                files[path] = exists = (root / path).is_file()
            if exists:
                from_code.append((len(done), finding))
                done.append(finding)
                continue
        key = (
            finding.tool,
            finding.rule_id,
            path,
            start,
            location.end_line,
            location.start_column,
            location.package,
            location.commit,
            finding.message if start is None else None,
        )
        occurrences[key] = count = occurrences.get(key, 0) + 1
        fingerprint = _fingerprint(*key, count)
        if owned and id(finding) not in filled:
            _FILL(finding, "fingerprint", fingerprint)  # frozen for users; still private to this import
            filled.add(id(finding))
            done.append(finding)
        else:
            done.append(_with_fingerprint(finding, fingerprint))
    if from_code and root is not None:
        completed = Fingerprinter(root).complete(finding for _, finding in from_code)
        for (position, _), finding in zip(from_code, completed, strict=True):
            done[position] = finding
    return done
