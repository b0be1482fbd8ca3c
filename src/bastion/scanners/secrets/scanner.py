"""The ``secrets`` control: the secrets engine as a pipeline scanner, producing CWE-798 findings.

Each finding's fingerprint is ``fingerprint_of("secrets", detector, path, sha256)``, so moving a secret within
its file keeps its identity and its triage; the evidence is the masked preview, the message names the SHA-256.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from bastion.model import Confidence, Finding, Location, Severity, fingerprint_of
from bastion.scanners.protocol import ScanTarget
from bastion.scanners.secrets.hit import SecretHit
from bastion.scanners.secrets.settings import DEFAULT_MAX_FILE_BYTES, ScanSettings, select_detectors

__all__ = ["SecretsOptions", "SecretsScanner", "finding_of"]

_REMEDIATION = (
    "Revoke and rotate the credential at its provider, then remove it from the code (and from the "
    "history if it was ever pushed); read it from the environment or a secret manager instead."
)


class SecretsOptions(BaseModel):
    """The ``with:`` options of the ``secrets`` control."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_file_bytes: int = Field(DEFAULT_MAX_FILE_BYTES, ge=0)
    """Larger files are reported as not analysed; 0 scans every file in bounded-memory chunks."""
    allow_paths: list[str] = []
    """Gitignore-style globs of paths not scanned."""
    baseline: str | None = None
    """Baseline file of accepted secrets, relative to the repository root."""
    enable: list[str] = []
    """Only these detector ids (all when empty)."""
    disable: list[str] = []
    """Detector ids not run."""
    min_entropy: dict[str, float] = {}
    """Entropy threshold overrides by detector id."""
    jobs: int | None = Field(None, ge=1)
    """Worker processes for large trees (default: one per core)."""

    def settings(self, root: Path) -> ScanSettings:
        """The engine settings these options describe, with paths resolved against ``root``."""
        return ScanSettings(
            max_file_bytes=self.max_file_bytes,
            allow_paths=tuple(self.allow_paths),
            baseline=root / self.baseline if self.baseline else None,
            enable=tuple(self.enable),
            disable=tuple(self.disable),
            min_entropy=dict(self.min_entropy),
            jobs=self.jobs,
        )


def finding_of(hit: SecretHit, *, control: str, description: str, severity: str) -> Finding:
    """The pipeline finding for one secret hit."""
    return Finding(
        control=control,
        tool="bastion-secrets",
        rule_id=hit.detector_id,
        title=description,
        severity=Severity(severity),
        location=Location(
            path=hit.path, start_line=hit.line, end_line=hit.line, start_column=hit.column, commit=hit.commit
        ),
        message=f"{description} ({hit.preview}, sha256 {hit.sha256})",
        confidence=Confidence.MEDIUM if severity == "medium" else Confidence.HIGH,
        cwe=(798,),
        remediation=_REMEDIATION,
        evidence=hit.preview,
        fingerprint=fingerprint_of("secrets", hit.detector_id, hit.path, hit.sha256),
        tags=("secret",),
    )


class SecretsScanner:
    """Finds credentials in the selected files: 330+ detectors behind a Hyperscan prefilter."""

    name = "secrets"
    description = "Leaked credentials (API keys, tokens, private keys, passwords) in the working tree."
    options_model: type[BaseModel] = SecretsOptions

    def applies_to(self, root: Path, files: Sequence[str]) -> bool:
        """Every repository with files can hold a secret."""
        return bool(files)

    def scan(self, target: ScanTarget, options: BaseModel) -> Iterable[Finding]:
        """Scan ``target.files``; files over the size limit or unreadable are reported as not analysed."""
        from bastion.scanners.secrets.baseline import load_baseline
        from bastion.scanners.secrets.matcher import Matcher
        from bastion.scanners.secrets.tree import scan_files

        assert isinstance(options, SecretsOptions)
        settings = options.settings(target.root)
        detectors = select_detectors(settings)
        files = list(target.files)
        if settings.allow_paths:
            import pathspec

            spec = pathspec.GitIgnoreSpec.from_lines(settings.allow_paths)
            files = [f for f in files if not spec.match_file(f)]
        scan = scan_files(
            target.root, files, Matcher(detectors), max_file_bytes=settings.max_file_bytes, jobs=settings.jobs
        )
        for skipped in scan.skipped:
            target.not_analysed(skipped.path, skipped.reason)
        hits: Sequence[SecretHit] = scan.hits
        if settings.baseline is not None:
            hits, _ = load_baseline(settings.baseline).filter(hits)
        by_id = {d.id: d for d in detectors}
        control = target.control or self.name
        for hit in hits:
            detector = by_id[hit.detector_id]
            yield finding_of(hit, control=control, description=detector.description, severity=detector.severity)
