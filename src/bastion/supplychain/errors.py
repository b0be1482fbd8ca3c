"""Supply-chain errors: keys, envelopes, statements, SBOMs and verification policies that cannot be used."""

from __future__ import annotations

from bastion.errors import BastionError

__all__ = ["SupplyChainError"]


class SupplyChainError(BastionError):
    """A key, envelope, attestation, SBOM or policy file is missing, malformed or fails a check.

    The message is one line naming the file and the problem (``release.pub: unknown key format``).
    """
