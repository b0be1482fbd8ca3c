"""The release ledger: which artifact shipped to which environment and when, with its evidence and packages.

- ``releases``: one row per recorded deployment of a version to an environment: the artifact's digest, the gate
  decision, the SBOM and the attestations (DSSE envelopes) as JSON.
- ``release_components``: the packages of a release's SBOM, indexed by name and version, so "which releases in
  production contain log4j-core 2.14.1" is one indexed query.
- ``release_sigstore_bundles``: the keyless Sigstore bundles (``ARTIFACT.<kind>.sigstore.json``) of a release, one
  per kind, kept as the exact text that was written (an auditor can hand it back to ``sigstore verify``), with the
  certificate's identity and issuer and the Rekor log index as columns to read without parsing the bundle.

The newest release of a project in an environment is its ``current`` one: what runs there now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, func, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bastion.errors import StoreError
from bastion.store.store import Store
from bastion.store.tables import Base

__all__ = [
    "NewRelease",
    "Release",
    "ReleaseComponent",
    "ReleaseDetail",
    "ReleaseLedger",
    "ReleaseSigstoreBundle",
    "short_name_of",
]


class ReleaseRow(Base):
    """A version of a project recorded as shipped to an environment."""

    __tablename__ = "releases"
    __table_args__ = (Index(None, "project", "environment", "recorded_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(200))
    environment: Mapped[str] = mapped_column(String(64))
    artifact_name: Mapped[str] = mapped_column(Text)
    artifact_digest: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime]
    gate_outcome: Mapped[str | None] = mapped_column(String(16))
    gate: Mapped[dict[str, Any] | None]
    sbom_format: Mapped[str | None] = mapped_column(String(16))
    sbom: Mapped[dict[str, Any] | None]
    attestations: Mapped[list[Any]]


class ReleaseComponentRow(Base):
    """A package in a release's SBOM."""

    __tablename__ = "release_components"
    __table_args__ = (Index(None, "name", "version"), Index(None, "short_name", "version"))

    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id", ondelete="CASCADE"), primary_key=True)
    purl: Mapped[str] = mapped_column(String(1000), primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    """Lower-cased full name (``org.apache.logging.log4j:log4j-core``, ``@babel/core``)."""
    short_name: Mapped[str] = mapped_column(String(500))
    """Lower-cased last part of the name (``log4j-core``, ``core``)."""
    version: Mapped[str] = mapped_column(String(200))


class ReleaseSigstoreBundleRow(Base):
    """A keyless Sigstore bundle recorded with a release, as written beside the artifact."""

    __tablename__ = "release_sigstore_bundles"

    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(200), primary_key=True)
    """``gate-decision``, ``slsa-provenance``...: the ``<kind>`` of ``ARTIFACT.<kind>.sigstore.json``."""
    bundle: Mapped[str] = mapped_column(Text)
    """The bundle JSON exactly as the file held it (Text, not JSON: a JSON column would re-serialise it)."""
    identity: Mapped[str] = mapped_column(Text)
    """The signing certificate's identity (its subjectAltName: an email, a workflow URI...)."""
    issuer: Mapped[str] = mapped_column(Text)
    """The OIDC issuer the certificate records."""
    log_index: Mapped[int | None] = mapped_column(BigInteger)
    """The Rekor log index of its transparency-log entry, when the bundle has one."""


@dataclass(frozen=True, slots=True)
class ReleaseSigstoreBundle:
    """A Sigstore bundle of a release: its kind, the bundle text as written, who signed it and where it is logged."""

    kind: str
    bundle: str
    identity: str
    issuer: str
    log_index: int | None

    def file_name(self, artifact_name: str) -> str:
        """The name it had beside the artifact: ``<artifact>.<kind>.sigstore.json``."""
        return f"{artifact_name}.{self.kind}.sigstore.json"


@dataclass(frozen=True, slots=True)
class ReleaseComponent:
    """A package a release contains."""

    purl: str
    name: str
    version: str


@dataclass(frozen=True, slots=True)
class NewRelease:
    """What ``release record`` stores."""

    project: str
    version: str
    environment: str
    artifact_name: str
    artifact_digest: str
    """``sha256:<hex>``."""
    recorded_at: datetime
    gate_outcome: str | None
    gate: dict[str, Any] | None
    sbom_format: str | None
    sbom: dict[str, Any] | None
    attestations: tuple[dict[str, Any], ...]
    components: tuple[ReleaseComponent, ...]
    sigstore_bundles: tuple[ReleaseSigstoreBundle, ...] = ()
    """Keyless evidence beside the DSSE envelopes; stored in the same transaction as the rest."""


@dataclass(frozen=True, slots=True)
class Release:
    """A recorded release, as listed."""

    id: int
    project: str
    version: str
    environment: str
    artifact_name: str
    artifact_digest: str
    recorded_at: datetime
    gate_outcome: str | None
    components: int
    current: bool
    """True when it is the newest release of its project in its environment."""


@dataclass(frozen=True, slots=True)
class ReleaseDetail:
    """A release with its evidence."""

    release: Release
    gate: dict[str, Any] | None
    sbom_format: str | None
    sbom: dict[str, Any] | None
    attestations: tuple[dict[str, Any], ...]
    components: tuple[ReleaseComponent, ...]
    sigstore_bundles: tuple[ReleaseSigstoreBundle, ...] = ()


def short_name_of(name: str) -> str:
    """The last part of a package name, lower-cased: what people type (``log4j-core``)."""
    return name.replace(":", "/").rsplit("/", 1)[-1].lower()


class ReleaseLedger:
    """Records and queries releases in a store (SQLite or PostgreSQL)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def record(self, release: NewRelease) -> int:
        """Store a release, its components and its Sigstore bundles in one transaction; return its id."""

        def write(session: Session) -> int:
            row = ReleaseRow(
                project=release.project,
                version=release.version,
                environment=release.environment,
                artifact_name=release.artifact_name,
                artifact_digest=release.artifact_digest,
                recorded_at=release.recorded_at,
                gate_outcome=release.gate_outcome,
                gate=release.gate,
                sbom_format=release.sbom_format,
                sbom=release.sbom,
                attestations=list(release.attestations),
            )
            session.add(row)
            session.flush()
            unique = {c.purl: c for c in release.components}
            session.add_all(
                ReleaseComponentRow(
                    release_id=row.id,
                    purl=c.purl,
                    name=c.name.lower(),
                    short_name=short_name_of(c.name),
                    version=c.version,
                )
                for c in unique.values()
            )
            session.add_all(
                ReleaseSigstoreBundleRow(
                    release_id=row.id,
                    kind=b.kind,
                    bundle=b.bundle,
                    identity=b.identity,
                    issuer=b.issuer,
                    log_index=b.log_index,
                )
                for b in release.sigstore_bundles
            )
            return row.id

        return self._store.write(write)

    def list_releases(
        self, *, environment: str | None = None, project: str | None = None, limit: int = 50
    ) -> list[Release]:
        """Releases, newest first."""

        def read(session: Session) -> list[Release]:
            query = select(ReleaseRow).order_by(ReleaseRow.recorded_at.desc(), ReleaseRow.id.desc()).limit(limit)
            if environment is not None:
                query = query.where(ReleaseRow.environment == environment)
            if project is not None:
                query = query.where(ReleaseRow.project == project)
            return _releases(session, list(session.scalars(query)))

        return self._store.read(read)

    def get(self, reference: str) -> ReleaseDetail:
        """The release with this id, or the newest with this version; ``StoreError`` when there is none."""

        def read(session: Session) -> ReleaseDetail:
            query = select(ReleaseRow).order_by(ReleaseRow.recorded_at.desc(), ReleaseRow.id.desc())
            match = ReleaseRow.version == reference
            query = query.where(or_(match, ReleaseRow.id == int(reference)) if reference.isdigit() else match)
            row = session.scalars(query.limit(1)).first()
            if row is None:
                raise StoreError(f"{self._store.url}: no release with id or version {reference!r}")
            components = session.scalars(
                select(ReleaseComponentRow).where(ReleaseComponentRow.release_id == row.id).order_by("purl")
            )
            keyless = session.scalars(
                select(ReleaseSigstoreBundleRow)
                .where(ReleaseSigstoreBundleRow.release_id == row.id)
                .order_by(ReleaseSigstoreBundleRow.kind)
            )
            return ReleaseDetail(
                release=_releases(session, [row])[0],
                gate=row.gate,
                sbom_format=row.sbom_format,
                sbom=row.sbom,
                attestations=tuple(row.attestations),
                components=tuple(ReleaseComponent(c.purl, c.name, c.version) for c in components),
                sigstore_bundles=tuple(
                    ReleaseSigstoreBundle(b.kind, b.bundle, b.identity, b.issuer, b.log_index) for b in keyless
                ),
            )

        return self._store.read(read)

    def containing(self, package: str, version: str, *, environment: str | None = None) -> list[Release]:
        """Releases whose SBOM lists ``package`` (full name, last part, or versionless purl) at ``version``."""

        def read(session: Session) -> list[Release]:
            wanted = package.strip()
            if wanted.startswith("pkg:"):
                condition = ReleaseComponentRow.purl == f"{wanted}@{version}"
            else:
                key = wanted.lower()
                condition = or_(ReleaseComponentRow.name == key, ReleaseComponentRow.short_name == key)
            # A subquery, not DISTINCT over a join: PostgreSQL has no equality on the JSON columns.
            matching = select(ReleaseComponentRow.release_id).where(condition, ReleaseComponentRow.version == version)
            query = (
                select(ReleaseRow)
                .where(ReleaseRow.id.in_(matching))
                .order_by(ReleaseRow.recorded_at.desc(), ReleaseRow.id.desc())
            )
            if environment is not None:
                query = query.where(ReleaseRow.environment == environment)
            return _releases(session, list(session.scalars(query)))

        return self._store.read(read)


def _releases(session: Session, rows: list[ReleaseRow]) -> list[Release]:
    if not rows:
        return []
    ids = [row.id for row in rows]
    counted = session.execute(
        select(ReleaseComponentRow.release_id, func.count())
        .where(ReleaseComponentRow.release_id.in_(ids))
        .group_by(ReleaseComponentRow.release_id)
    )
    counts: dict[int, int] = {row[0]: row[1] for row in counted}
    newest = select(ReleaseRow.id).order_by(ReleaseRow.recorded_at.desc(), ReleaseRow.id.desc())
    current: set[int] = set()
    for project, environment in {(row.project, row.environment) for row in rows}:
        top = session.scalars(
            newest.where(ReleaseRow.project == project, ReleaseRow.environment == environment).limit(1)
        ).first()
        if top is not None:
            current.add(top)
    return [
        Release(
            id=row.id,
            project=row.project,
            version=row.version,
            environment=row.environment,
            artifact_name=row.artifact_name,
            artifact_digest=row.artifact_digest,
            recorded_at=row.recorded_at,
            gate_outcome=row.gate_outcome,
            components=counts.get(row.id, 0),
            current=row.id in current,
        )
        for row in rows
    ]
