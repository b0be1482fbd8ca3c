"""The policy package's error: a policy, an exception or an exceptions file that cannot be used."""

from __future__ import annotations

from bastion.errors import BastionError

__all__ = ["PolicyError"]


class PolicyError(BastionError):
    """A Rego policy does not compile, or an exception is refused (no expiry, expired, too long)."""
