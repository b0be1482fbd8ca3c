"""Creating exceptions: the limits a new one must meet (an expiry at most ``max_days`` ahead, 365 by default, a
reason and an approver). The exception itself is data in ``bastion.model.exception``, re-exported here; once
expired it stops applying, and the gate reports the findings it used to cover.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta

from bastion.model.exception import DEFAULT_MAX_DAYS, ExceptionScope, PolicyException, scope_of
from bastion.policy.errors import PolicyError

__all__ = ["DEFAULT_MAX_DAYS", "ExceptionScope", "PolicyException", "new_exception", "scope_of"]


def new_exception(
    target: str,
    *,
    reason: str,
    approver: str,
    expires: date | None,
    today: date | None = None,
    max_days: int = DEFAULT_MAX_DAYS,
    exception_id: str | None = None,
) -> PolicyException:
    """A new exception, or ``PolicyError`` with a one-line reason when it must be refused."""
    today = today or datetime.now(UTC).date()
    if not target.strip():
        raise PolicyError("an exception needs a finding id or a rule id")
    if expires is None:
        raise PolicyError(f"exception for {target}: an expiry date is required (--expires YYYY-MM-DD)")
    if expires < today:
        raise PolicyError(f"exception for {target}: expiry {expires.isoformat()} is in the past")
    if expires > today + timedelta(days=max_days):
        raise PolicyError(f"exception for {target}: expiry {expires.isoformat()} is more than {max_days} days away")
    if not reason.strip():
        raise PolicyError(f"exception for {target}: a reason is required")
    if not approver.strip():
        raise PolicyError(f"exception for {target}: an approver is required")
    created = datetime.now(UTC).replace(microsecond=0)
    return PolicyException(
        # Random, not hash(): str hashes differ per process, so two exceptions could meet on one id.
        id=exception_id or f"EXC-{created.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(3)}",
        scope=scope_of(target.strip()),
        target=target.strip(),
        reason=reason.strip(),
        approver=approver.strip(),
        expires=expires,
        created=created,
    )
