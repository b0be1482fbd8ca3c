"""The attestation bundle: DSSE envelopes for one artifact, one JSON object a line (``<artifact>.intoto.jsonl``).

This is the layout SLSA and in-toto tools exchange; a file holding a single (possibly indented) envelope is read too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from bastion.supplychain.dsse import Envelope
from bastion.supplychain.errors import SupplyChainError

__all__ = ["BundledEnvelope", "append_envelope", "bundle_path", "read_bundle"]

BUNDLE_SUFFIX = ".intoto.jsonl"


@dataclass(frozen=True, slots=True)
class BundledEnvelope:
    """An envelope and where it was read from."""

    envelope: Envelope
    source: str
    """``file:line``, for messages."""


def bundle_path(artifact: Path) -> Path:
    """The default bundle of an artifact: ``<artifact>.intoto.jsonl`` beside it."""
    return artifact.with_name(artifact.name + BUNDLE_SUFFIX)


def append_envelope(bundle: Path, envelope: Envelope) -> None:
    """Add an envelope as the last line of ``bundle`` (created when missing)."""
    try:
        with bundle.open("a", encoding="utf-8") as handle:
            handle.write(envelope.to_json() + "\n")
    except OSError as err:
        raise SupplyChainError(f"{bundle}: cannot write attestation bundle: {err.strerror}") from err


def read_bundle(bundle: Path) -> list[BundledEnvelope]:
    """Every envelope in ``bundle``; ``SupplyChainError`` naming file and line for the first malformed one."""
    try:
        text = bundle.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) else "not UTF-8 text"
        raise SupplyChainError(f"{bundle}: cannot read attestation bundle: {reason}") from err
    stripped = text.strip()
    if stripped.startswith("{") and "\n" in stripped:
        try:
            return [BundledEnvelope(_envelope(json.loads(stripped), f"{bundle}"), str(bundle))]
        except ValueError:
            pass  # not one indented envelope: read it as JSON lines
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{bundle}:{number}"
        try:
            document = json.loads(line)
        except json.JSONDecodeError as err:
            raise SupplyChainError(f"{source}: not a JSON envelope: {err.msg}") from err
        found.append(BundledEnvelope(_envelope(document, source), source))
    if not found:
        raise SupplyChainError(f"{bundle}: the attestation bundle holds no envelope")
    return found


def _envelope(document: object, source: str) -> Envelope:
    try:
        return Envelope.model_validate(document)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "envelope"
        raise SupplyChainError(f"{source}: not a DSSE envelope: {where}: {first['msg']}") from err
