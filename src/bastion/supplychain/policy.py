"""The verify policy: what a deploy requires of an artifact's evidence, read from a YAML or JSON file.

Example (``deploy-policy.yml``; key paths are relative to the policy file)::

    trusted_keys: [keys/release.pub]
    sigstore_identities:                      # keyless: Sigstore bundles beside the artifact (the [sigstore] extra)
      - {identity: "https://github.com/acme/shop/.github/workflows/release.yml@refs/heads/main",
         issuer: "https://token.actions.githubusercontent.com"}
    allowed_builders: ["https://ci.example.com/bastion"]
    allowed_repositories: ["https://github.com/acme/shop"]
    max_gate_age_days: 7
    vulnerabilities:
      block_severity: critical
      exceptions:
        - {id: CVE-2021-44228, package: pkg:maven/org.apache.logging.log4j/log4j-core, expires: 2026-12-31,
           reason: "JNDI lookups disabled by configuration"}
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from bastion.model import Severity
from bastion.supplychain.errors import SupplyChainError
from bastion.supplychain.keys import PublicKey, load_public_key

__all__ = ["SigstoreIdentity", "VerifyPolicy", "VulnerabilityException", "VulnerabilityPolicy", "load_policy"]


class VulnerabilityException(BaseModel):
    """A known vulnerability accepted until a date, for one package or all."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    """A CVE, GHSA or other advisory id (any alias matches)."""
    package: str | None = None
    """A purl without version (``pkg:pypi/jinja2``); every package when absent."""
    expires: date | None = None
    """The last day the exception holds; for ever when absent."""
    reason: str = ""


class VulnerabilityPolicy(BaseModel):
    """Which vulnerabilities in the artifact's SBOM block the deploy."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    block_severity: Severity = Severity.CRITICAL
    """This severity and worse block."""
    osv_db: str | None = None
    """The advisory store; default ``$BASTION_OSV_DB`` or ``~/.cache/bastion/osv.db``."""
    exceptions: tuple[VulnerabilityException, ...] = ()


class SigstoreIdentity(BaseModel):
    """A keyless signer the policy trusts: the Fulcio certificate's identity and the OIDC issuer, both exact."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    identity: str = Field(min_length=1)
    """The certificate's subject alternative name: an e-mail, or a URI such as a GitHub workflow ref."""
    issuer: str = Field(min_length=1)
    """The OIDC issuer (``https://token.actions.githubusercontent.com``, ``https://accounts.google.com``...)."""


class VerifyPolicy(BaseModel):
    """The requirements ``bastion verify`` checks, one result line each."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sigstore_identities: tuple[SigstoreIdentity, ...] = ()
    """Keyless signers whose Sigstore bundles are trusted (at least one of these or a trusted key is required)."""
    trusted_keys: tuple[str, ...] = Field(default=(), validate_default=True)
    """Public key files (PEM), relative to the policy file."""
    sigstore_instance: Literal["production", "staging"] = "production"
    """The Sigstore instance whose trust root verifies the bundles."""
    sigstore_trust_root: str | None = None
    """A Sigstore trusted root (``trusted_root.json``) for a private Sigstore deployment, relative to the policy
    file; used instead of ``sigstore_instance``'s (needs sigstore 4)."""
    allowed_builders: tuple[str, ...] = Field(min_length=1)
    """Builder ids accepted in SLSA provenance."""
    allowed_repositories: tuple[str, ...] = Field(min_length=1)
    """Source repository URIs accepted in SLSA provenance (compared without ``git+``, ``.git`` or trailing ``/``)."""
    max_gate_age_days: float = Field(default=7.0, gt=0)
    """The newest passing gate attestation must be at most this old."""
    allow_warn: bool = True
    """Accept a gate outcome of ``warn`` as passing."""
    vulnerabilities: VulnerabilityPolicy = VulnerabilityPolicy()

    @field_validator("trusted_keys")
    @classmethod
    def _trusts_a_signer(cls, keys: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        if not keys and not info.data.get("sigstore_identities"):
            raise PydanticCustomError("no_signer", "the policy trusts no signer: list a key, or sigstore_identities")
        return keys


def load_policy(path: Path) -> tuple[VerifyPolicy, list[PublicKey]]:
    """Read the policy and its trusted keys; ``SupplyChainError`` naming the file for any problem."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        document = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise SupplyChainError(f"{path}: cannot read verify policy: {err.strerror}") from err
    except (YAMLError, UnicodeDecodeError) as err:
        raise SupplyChainError(f"{path}: verify policy is not YAML or JSON: {str(err).splitlines()[0]}") from err
    try:
        policy = VerifyPolicy.model_validate(document)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "policy"
        raise SupplyChainError(f"{path}: {where}: {first['msg']}") from err
    if policy.sigstore_trust_root is not None:
        root = (path.parent / policy.sigstore_trust_root).expanduser()
        if not root.is_file():
            raise SupplyChainError(f"{path}: sigstore_trust_root: {root}: no such file")
        policy = policy.model_copy(update={"sigstore_trust_root": str(root)})
    keys = [load_public_key((path.parent / key).expanduser()) for key in policy.trusted_keys]
    return policy, keys
