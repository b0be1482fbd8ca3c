"""How affected ranges and string lists are stored: JSON text columns, decoded once per distinct value."""

from __future__ import annotations

import json
from functools import lru_cache

from bastion.scanners.sca.ranges import AffectedRange, Event, EventKind

__all__ = ["dump_events", "load_range", "load_strings"]

_KINDS = {k.value: k for k in EventKind}


def dump_events(ranges: AffectedRange) -> str:
    """The ``ranges`` column: each range's events as ``[kind, version]`` pairs."""
    return json.dumps([[[e.kind.value, e.version] for e in events] for events in ranges.events])


@lru_cache(maxsize=1 << 16)
def load_range(ranges: str, versions: str) -> AffectedRange:
    """Decoded once per distinct text: many advisories share ranges, and parsed events are cached by value."""
    return AffectedRange(_load_events(ranges), load_strings(versions))


def load_strings(text: str) -> tuple[str, ...]:
    """A JSON list of strings as a tuple."""
    return tuple(json.loads(text)) if text != "[]" else ()


def _load_events(text: str) -> tuple[tuple[Event, ...], ...]:
    return tuple(tuple(Event(_KINDS[kind], version) for kind, version in events) for events in json.loads(text))
