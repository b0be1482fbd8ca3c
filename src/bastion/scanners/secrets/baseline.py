"""The baseline: secrets a team has reviewed and accepted, by hash, so only new leaks block.

A baseline is a JSON file (``.bastion/secrets-baseline.json`` by convention) listing each accepted secret's
detector, SHA-256, masked preview and where it was when accepted. Scans drop hits whose (detector, SHA-256) pair
is in the baseline wherever they are, so moving an accepted secret does not make it new; the locations are there
for reviewers. The secret itself is never written.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bastion.scanners.secrets.errors import SecretsError
from bastion.scanners.secrets.hit import SecretHit

__all__ = ["BASELINE_VERSION", "Baseline", "load_baseline", "write_baseline"]

BASELINE_VERSION = 1


@dataclass(frozen=True, slots=True)
class Baseline:
    """The accepted secrets, as (detector id, SHA-256) pairs."""

    accepted: frozenset[tuple[str, str]]

    def filter(self, hits: Sequence[SecretHit]) -> tuple[list[SecretHit], int]:
        """The hits not in the baseline, and how many were dropped."""
        kept = [h for h in hits if (h.detector_id, h.sha256) not in self.accepted]
        return kept, len(hits) - len(kept)


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; ``SecretsError`` naming the file when it is missing or malformed."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except OSError as err:
        raise SecretsError(f"{path}: cannot read baseline: {err.strerror or err}") from err
    except ValueError as err:
        raise SecretsError(f"{path}: baseline is not valid JSON: {err}") from err
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
        raise SecretsError(f"{path}: not a bastion secrets baseline (version {BASELINE_VERSION} expected)")
    try:
        pairs = frozenset((str(s["detector"]), str(s["sha256"])) for s in data["secrets"])
    except (KeyError, TypeError) as err:
        raise SecretsError(f"{path}: baseline entry without detector and sha256") from err
    return Baseline(pairs)


def write_baseline(path: Path, hits: Sequence[SecretHit]) -> int:
    """Write ``hits`` as a baseline (sorted, one entry per secret and place); the number of entries."""
    entries = sorted(
        {(h.detector_id, h.sha256, h.preview, h.path, h.line) for h in hits},
        key=lambda e: (e[3], e[4], e[0]),
    )
    document = {
        "version": BASELINE_VERSION,
        "tool": "bastion-secrets",
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "secrets": [{"detector": d, "sha256": s, "preview": p, "path": f, "line": n} for d, s, p, f, n in entries],
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    except OSError as err:
        raise SecretsError(f"{path}: cannot write baseline: {err.strerror or err}") from err
    return len(entries)
