"""Report timestamps: every moment a report shows is written in UTC, to the second, with a ``Z``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["utc_timestamp"]


def utc_timestamp(moment: datetime, *, plus_seconds: float = 0.0) -> str:
    """``2026-11-23T23:05:38Z`` for ``moment`` (plus a duration); a naive datetime is taken as UTC already."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    moment += timedelta(seconds=plus_seconds)
    return moment.isoformat(timespec="seconds") + "Z"
