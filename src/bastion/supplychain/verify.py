"""Verification before deploy: an artifact's attestations against a verify policy, one result per requirement.

Requirements, in order: ``signature`` (every envelope in the bundle verifies with a trusted key, and every Sigstore
bundle beside the artifact verifies for a trusted identity), ``subject``
(attestations name the artifact's SHA-256), ``provenance`` (SLSA v1 from an allowed builder and repository),
``gate`` (a passing gate decision no older than the policy allows) and ``vulnerabilities`` (the attested SBOM
against today's advisory store). A requirement without evidence fails: nothing passes by default.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from pydantic import ValidationError

from bastion.errors import BastionError
from bastion.supplychain.attestation import VerifiedStatement, verified_statements
from bastion.supplychain.bundle import read_bundle
from bastion.supplychain.keys import PublicKey
from bastion.supplychain.policy import VerifyPolicy
from bastion.supplychain.predicates import GatePredicate, PredicateType
from bastion.supplychain.provenance import read_provenance
from bastion.supplychain.sbom.reader import read_sbom
from bastion.supplychain.statement import subject_of
from bastion.supplychain.vulnerabilities import blocking_vulnerabilities

__all__ = ["Requirement", "RequirementResult", "Verification", "verify_artifact"]

_SBOM_TYPES = (PredicateType.CYCLONEDX.value, PredicateType.SPDX.value)


class Requirement(StrEnum):
    """What a deploy requires of an artifact's evidence."""

    SIGNATURE = "signature"
    SUBJECT = "subject"
    PROVENANCE = "provenance"
    GATE = "gate"
    VULNERABILITIES = "vulnerabilities"


@dataclass(frozen=True, slots=True)
class RequirementResult:
    """One requirement's verdict and why."""

    requirement: Requirement
    passed: bool
    message: str

    def line(self) -> str:
        """``PASS gate: ...`` or ``FAIL gate: ...``."""
        return f"{'PASS' if self.passed else 'FAIL'} {self.requirement.value}: {self.message}"


@dataclass(frozen=True, slots=True)
class Verification:
    """Every requirement's result for one artifact."""

    artifact: str
    digest: str
    results: tuple[RequirementResult, ...]

    @property
    def passed(self) -> bool:
        """True only when every requirement passed."""
        return all(result.passed for result in self.results)


def verify_artifact(
    artifact: Path,
    bundle: Path,
    policy: VerifyPolicy,
    trusted: Sequence[PublicKey],
    *,
    store_path: Path,
    now: datetime | None = None,
    sigstore_bundles: Sequence[Path] | None = None,
    sigstore_offline: bool = False,
) -> Verification:
    """Check ``artifact`` and the attestations in ``bundle`` against ``policy``.

    ``sigstore_bundles`` default to every ``<artifact>.*.sigstore.json`` beside the artifact; they are verified with
    Sigstore (``sigstore_offline``: with the trust root sigstore has cached or ships, no TUF refresh). When there
    are Sigstore bundles and no DSSE ``bundle`` file, the DSSE bundle is not required.
    """
    from bastion.supplychain.sigstore_signing import find_sigstore_bundles, verify_sigstore_bundles

    keyless = list(find_sigstore_bundles(artifact) if sigstore_bundles is None else sigstore_bundles)
    now = now or datetime.now(UTC)
    digest = subject_of(artifact).digest["sha256"]
    results: list[RequirementResult] = []

    def record(requirement: Requirement, check: Callable[[], str]) -> None:
        try:
            results.append(RequirementResult(requirement, True, check()))
        except BastionError as err:
            results.append(RequirementResult(requirement, False, str(err).splitlines()[0]))

    statements: list[VerifiedStatement] = []
    relevant: list[VerifiedStatement] = []

    def signature() -> str:
        verified: list[VerifiedStatement] = []
        failures: list[str] = []
        passed: list[str] = []
        if bundle.exists() or not keyless:
            verified, failures = verified_statements(read_bundle(bundle), trusted)
            signers = sorted({keyid[:12] for v in verified for keyid in v.keyids})
            keys = ", ".join(signers)
            passed.append(f"{len(verified)} attestation(s) in {bundle.name} signed by trusted key(s) {keys}")
        if keyless:
            by_sigstore, sigstore_failures = verify_sigstore_bundles(
                keyless,
                policy.sigstore_identities,
                instance=policy.sigstore_instance,
                offline=sigstore_offline,
                trust_root=Path(policy.sigstore_trust_root) if policy.sigstore_trust_root else None,
            )
            verified += by_sigstore
            failures += sigstore_failures
            identities = sorted({v.identity for v in by_sigstore if v.identity})
            passed.append(
                f"{len(by_sigstore)} Sigstore bundle(s) signed by trusted identity(ies) {', '.join(identities)}"
            )
        statements.extend(verified)
        if failures:
            more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
            raise _Failed(failures[0] + more)
        return "; ".join(passed)

    def subject() -> str:
        if not statements:
            raise _Failed(f"no verified attestation to compare with {artifact.name} (sha256:{digest[:16]}…)")
        relevant.extend(s for s in statements if s.statement.names_digest("sha256", digest))
        if not relevant:
            named = f"{artifact.name} (sha256:{digest[:16]}…)"
            raise _Failed(f"{named} is named by none of {len(statements)} verified attestation(s)")
        return f"{artifact.name} sha256:{digest[:16]}… is the subject of {len(relevant)} attestation(s)"

    def provenance() -> str:
        found = _of_type(relevant, PredicateType.SLSA_PROVENANCE, "SLSA provenance v1")
        problems = []
        for item in found:
            facts = read_provenance(item.statement.predicate, item.source)
            if facts.builder_id not in policy.allowed_builders:
                problems.append(f"{item.source}: builder {facts.builder_id!r} is not allowed")
            elif _repository(facts.repository) not in {_repository(r) for r in policy.allowed_repositories}:
                problems.append(f"{item.source}: repository {facts.repository!r} is not allowed")
            else:
                return f"built by {facts.builder_id} from {facts.repository}" + (
                    f" at {facts.commit[:12]}" if facts.commit else ""
                )
        raise _Failed(problems[0])

    def gate() -> str:
        found = _of_type(relevant, PredicateType.GATE_DECISION, "gate decision")
        predicate, source = max(((_gate(item), item.source) for item in found), key=lambda pair: pair[0].decided_at)
        age = (now - predicate.decided_at).total_seconds() / 86400
        accepted = {"pass", "warn"} if policy.allow_warn else {"pass"}
        if predicate.outcome not in accepted:
            raise _Failed(f"{source}: the newest gate decision is {predicate.outcome!r}")
        if age > policy.max_gate_age_days:
            raise _Failed(
                f"{source}: gate attestation expired: decided {predicate.decided_at:%Y-%m-%d}, {age:.1f} days ago"
                f" (max {policy.max_gate_age_days:g})"
            )
        return f"gate {predicate.outcome} by policy {predicate.policy} {age:.1f} day(s) ago"

    def vulnerabilities() -> str:
        item = _of_type(relevant, (*_SBOM_TYPES,), "SBOM")[-1]
        sbom = read_sbom(item.statement.predicate, item.source)
        rules = policy.vulnerabilities
        blocking, looked_up = blocking_vulnerabilities(sbom, rules, store_path, now.date(), source=item.source)
        if blocking:
            shown = "; ".join(b.describe() for b in blocking[:3])
            more = f" and {len(blocking) - 3} more" if len(blocking) > 3 else ""
            raise _Failed(f"{len(blocking)} unexcepted {rules.block_severity.value}+ vulnerability(ies): {shown}{more}")
        return f"no unexcepted {rules.block_severity.value}+ vulnerability in {looked_up} SBOM package(s)"

    record(Requirement.SIGNATURE, signature)
    record(Requirement.SUBJECT, subject)
    record(Requirement.PROVENANCE, provenance)
    record(Requirement.GATE, gate)
    record(Requirement.VULNERABILITIES, vulnerabilities)
    return Verification(artifact.name, digest, tuple(results))


class _Failed(BastionError):
    """A requirement that is not met."""


def _of_type(
    statements: Sequence[VerifiedStatement], kind: PredicateType | tuple[str, ...], label: str
) -> list[VerifiedStatement]:
    kinds = (kind.value,) if isinstance(kind, PredicateType) else kind
    found = [s for s in statements if s.statement.predicate_type in kinds]
    if not found:
        raise _Failed(f"no verified {label} attestation for the artifact")
    return found


def _gate(item: VerifiedStatement) -> GatePredicate:
    try:
        return GatePredicate.model_validate(item.statement.predicate)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise _Failed(f"{item.source}: malformed gate decision: {where}: {first['msg']}") from err


def _repository(uri: str | None) -> str:
    text = (uri or "").strip().removeprefix("git+").rstrip("/")
    return text.removesuffix(".git").lower()
