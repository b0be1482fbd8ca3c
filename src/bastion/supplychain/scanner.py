"""The ``sbom`` (release stage) and ``verify`` (deploy stage) controls.

``sbom`` writes the repository's SBOM where its options say and reports nothing unless a lockfile could not be
read. ``verify`` checks an artifact's evidence against a verify policy and reports one finding per failed
requirement, so the gate blocks a deploy that lacks evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from bastion.errors import BastionError, ScannerError
from bastion.model import Finding, Location, Severity
from bastion.scanners.protocol import ScanTarget
from bastion.supplychain.sbom.format import CycloneDxVersion, SbomFormat
from bastion.supplychain.verify import Requirement

__all__ = ["SbomOptions", "SbomScanner", "VerifyOptions", "VerifyScanner"]

_SEVERITY = {Requirement.SIGNATURE: Severity.CRITICAL, Requirement.SUBJECT: Severity.CRITICAL}


class SbomOptions(BaseModel):
    """The ``with:`` options of the ``sbom`` control."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    output: str = "sbom.cdx.json"
    """Where to write the SBOM, relative to the repository root."""
    format: SbomFormat = SbomFormat.CYCLONEDX
    spec_version: CycloneDxVersion = CycloneDxVersion.V1_6
    """CycloneDX specification version."""
    name: str | None = None
    """The product's name; default the repository folder's name."""


class VerifyOptions(BaseModel):
    """The ``with:`` options of the ``verify`` control."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    artifact: str
    """The artifact to deploy, relative to the repository root."""
    policy: str
    """The verify policy file."""
    attestations: str | None = None
    """The attestation bundle; default ``<artifact>.intoto.jsonl``."""
    osv_db: str | None = None
    """The advisory store; overrides the policy's, default ``$BASTION_OSV_DB`` or ``~/.cache/bastion/osv.db``."""


class SbomScanner:
    """Writes the SBOM (CycloneDX or SPDX) of the repository's locked dependencies."""

    name = "sbom"
    description = "Software bill of materials (CycloneDX 1.6/1.5 or SPDX 2.3) from lockfiles and environments."
    options_model: type[BaseModel] = SbomOptions

    def applies_to(self, root: Path, files: Sequence[str]) -> bool:
        """True when any file is a lockfile or manifest the SCA inventory reads."""
        from bastion.scanners.sca.parsers import parser_for

        return any(parser_for(path) is not None for path in files)

    def scan(self, target: ScanTarget, options: BaseModel) -> Iterable[Finding]:
        """Write the SBOM; files that could not be read are reported through ``target.not_analysed``."""
        from bastion.scanners.sca import read_inventory
        from bastion.scanners.sca.parsers import parser_for
        from bastion.supplychain.sbom import collect_inventory, render_sbom

        assert isinstance(options, SbomOptions)
        files = [path for path in target.files if parser_for(path) is not None]
        inventory = read_inventory(target.root, files)
        for error in inventory.errors:
            target.not_analysed(error.path, str(error))
        subject = collect_inventory(inventory, name=options.name or target.root.name, commit=target.commit)
        output = target.root / options.output
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(render_sbom(subject, options.format, options.spec_version), encoding="utf-8")
        except (OSError, BastionError) as err:
            raise ScannerError(f"sbom: {output}: cannot write the SBOM: {err}") from err
        return ()


class VerifyScanner:
    """Refuses a deploy whose artifact lacks trusted, fresh, passing evidence."""

    name = "verify"
    description = "Signed provenance, subject digest, a recent passing gate and a clean SBOM before deploy."
    options_model: type[BaseModel] = VerifyOptions

    def applies_to(self, root: Path, files: Sequence[str]) -> bool:
        """Never proposed by ``bastion init``: it needs an artifact and a policy."""
        return False

    def scan(self, target: ScanTarget, options: BaseModel) -> Iterable[Finding]:
        """One finding per failed requirement (critical for signature and subject, high for the rest)."""
        import os

        from bastion.scanners.sca.osv.store import default_store_path
        from bastion.supplychain.bundle import bundle_path
        from bastion.supplychain.policy import load_policy
        from bastion.supplychain.verify import verify_artifact

        assert isinstance(options, VerifyOptions)
        artifact = target.root / options.artifact
        try:
            policy, keys = load_policy(target.root / options.policy)
        except BastionError as err:
            raise ScannerError(f"verify: {err}") from err
        chosen = options.osv_db or policy.vulnerabilities.osv_db
        store = Path(chosen).expanduser() if chosen else default_store_path(os.environ)
        bundle = target.root / options.attestations if options.attestations else bundle_path(artifact)
        if not artifact.is_file():
            raise ScannerError(f"verify: {artifact}: no such artifact")
        verification = verify_artifact(artifact, bundle, policy, keys, store_path=store)
        control = target.control or self.name
        return [
            Finding(
                control=control,
                tool="bastion-verify",
                rule_id=f"verify-{result.requirement.value}",
                title=f"deploy requirement not met: {result.requirement.value}",
                severity=_SEVERITY.get(result.requirement, Severity.HIGH),
                location=Location(path=options.artifact),
                message=result.message,
                remediation="attest the artifact with `bastion attest`, or fix what the message names",
            )
            for result in verification.results
            if not result.passed
        ]
