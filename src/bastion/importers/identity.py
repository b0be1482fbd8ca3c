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
import functools
import hashlib
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from bastion.engine.fingerprints import Fingerprinter
from bastion.model import Finding

__all__ = ["complete_fingerprints"]


def _fingerprint(*parts: str | int | None) -> str:
    """``model.fingerprint_of``, hashed in one call: the digest of the same NUL-terminated parts."""
    text = "".join(f"{'' if part is None else part}\0" for part in parts)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def complete_fingerprints(findings: Iterable[Finding], root: Path | None = None) -> list[Finding]:
    """The findings, each with a fingerprint: its own, the code-based one (``root`` given), or the location."""
    done: list[Finding] = []
    from_code: list[tuple[int, Finding]] = []
    occurrences: Counter[tuple[str | int | None, ...]] = Counter()
    is_file = functools.cache(lambda path: root is not None and (root / path).is_file())  # a report repeats files
    for finding in findings:
        location = finding.location
        if finding.fingerprint:
            done.append(finding)
            continue
        if root is not None and location.path and location.start_line and is_file(location.path):
            from_code.append((len(done), finding))
            done.append(finding)
            continue
        key: tuple[str | int | None, ...] = (
            finding.tool,
            finding.rule_id,
            location.path,
            location.start_line,
            location.end_line,
            location.start_column,
            location.package,
            location.commit,
            finding.message if location.start_line is None else None,
        )
        occurrences[key] += 1
        done.append(dataclasses.replace(finding, fingerprint=_fingerprint("import", *key, occurrences[key])))
    if from_code and root is not None:
        completed = Fingerprinter(root).complete(finding for _, finding in from_code)
        for (position, _), finding in zip(from_code, completed, strict=True):
            done[position] = finding
    return done
