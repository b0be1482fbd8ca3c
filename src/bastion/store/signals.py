"""Exploit signals: CISA's Known Exploited Vulnerabilities catalogue and FIRST's EPSS scores, imported from files.

Both come as files a security team downloads on its own schedule (bastion never fetches them):

- KEV: ``known_exploited_vulnerabilities.json`` from cisa.gov, ``{"vulnerabilities": [{"cveID": ...,
  "dateAdded": "YYYY-MM-DD", ...}]}``.
- EPSS: ``epss_scores-YYYY-MM-DD.csv`` (optionally gzipped) from first.org: a ``#model_version:...`` comment line,
  then ``cve,epss,percentile``.

An import replaces the whole list it covers, in one transaction, and is audited.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Date, Float, String, delete, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bastion.errors import StoreError
from bastion.store.audit import AuditEvent, AuditKind, lock_chain, record_event
from bastion.store.sla import ExploitSignal
from bastion.store.store import Store
from bastion.store.tables import Base

__all__ = ["SignalError", "Signals", "parse_epss", "parse_kev", "signals_for"]

_CHUNK = 500


class SignalError(StoreError):
    """A KEV or EPSS file is not what it claims to be."""


class KevEntryRow(Base):
    """A CVE on the KEV list."""

    __tablename__ = "kev_entries"

    cve: Mapped[str] = mapped_column(String(32), primary_key=True)
    date_added: Mapped[date | None] = mapped_column(Date)


class EpssScoreRow(Base):
    """A CVE's EPSS score."""

    __tablename__ = "epss_scores"

    cve: Mapped[str] = mapped_column(String(32), primary_key=True)
    epss: Mapped[float] = mapped_column(Float)
    percentile: Mapped[float] = mapped_column(Float)


class _KevItem(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    cve_id: str = Field(alias="cveID", pattern=r"^CVE-\d{4}-\d{4,}$")
    date_added: date | None = Field(None, alias="dateAdded")


class _KevCatalogue(BaseModel):
    model_config = ConfigDict(extra="ignore")
    vulnerabilities: list[_KevItem]


def parse_kev(data: bytes, name: str) -> dict[str, date | None]:
    """The CVEs of a KEV catalogue and when each was added; ``SignalError`` naming the file and JSON path."""
    try:
        catalogue = _KevCatalogue.model_validate_json(data)
    except ValidationError as err:
        first = err.errors()[0]
        path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"])
        raise SignalError(f"{name}: {path}: {first['msg']}") from err
    return {item.cve_id.upper(): item.date_added for item in catalogue.vulnerabilities}


def parse_epss(data: bytes, name: str) -> dict[str, tuple[float, float]]:
    """CVE → (EPSS, percentile) from an EPSS CSV (gzipped or not); ``SignalError`` naming the file and line."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    lines = io.StringIO(data.decode("utf-8", errors="replace"))
    scores: dict[str, tuple[float, float]] = {}
    header_seen = False
    for number, row in enumerate(csv.reader(lines), start=1):
        if not row or row[0].startswith("#"):
            continue
        if not header_seen:
            if [cell.strip().lower() for cell in row[:3]] != ["cve", "epss", "percentile"]:
                raise SignalError(f"{name}:{number}: expected the header cve,epss,percentile")
            header_seen = True
            continue
        try:
            cve, epss, percentile = row[0].strip().upper(), float(row[1]), float(row[2])
        except (IndexError, ValueError):
            raise SignalError(f"{name}:{number}: expected CVE,score,percentile") from None
        if not cve.startswith("CVE-") or not (0.0 <= epss <= 1.0 and 0.0 <= percentile <= 1.0):
            raise SignalError(f"{name}:{number}: expected a CVE id and scores between 0 and 1")
        scores[cve] = (epss, percentile)
    if not header_seen:
        raise SignalError(f"{name}: empty EPSS file")
    return scores


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class Signals:
    """Imports and looks up exploit signals in a store."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def import_kev(self, data: bytes, name: str, actor: str) -> int:
        """Replace the KEV list with the file's; return how many CVEs it holds."""
        entries = parse_kev(data, name)

        def write(session: Session) -> int:
            lock_chain(session)  # concurrent imports replace the list one after the other
            session.execute(delete(KevEntryRow))
            if entries:
                rows = [{"cve": cve, "date_added": added} for cve, added in entries.items()]
                session.execute(insert(KevEntryRow), rows)
            detail = {"cves": len(entries)}
            record_event(session, AuditEvent(actor, "signals.kev", AuditKind.SIGNALS, name, None, detail))
            return len(entries)

        return self._store.write(write)

    def import_epss(self, data: bytes, name: str, actor: str) -> int:
        """Replace the EPSS scores with the file's; return how many CVEs it scores."""
        scores = parse_epss(data, name)

        def write(session: Session) -> int:
            lock_chain(session)
            session.execute(delete(EpssScoreRow))
            if scores:
                rows = [{"cve": cve, "epss": e, "percentile": p} for cve, (e, p) in scores.items()]
                session.execute(insert(EpssScoreRow), rows)
            detail = {"cves": len(scores)}
            record_event(session, AuditEvent(actor, "signals.epss", AuditKind.SIGNALS, name, None, detail))
            return len(scores)

        return self._store.write(write)


def signals_for(session: Session, cves: Iterable[str]) -> dict[str, ExploitSignal]:
    """The known signals of these CVEs (absent ones are left out)."""
    wanted = sorted({cve.upper() for cve in cves if cve.upper().startswith("CVE-")})
    kev: set[str] = set()
    epss: dict[str, float] = {}
    for chunk in _chunks(wanted):
        kev.update(session.scalars(select(KevEntryRow.cve).where(KevEntryRow.cve.in_(chunk))))
        query = select(EpssScoreRow.cve, EpssScoreRow.epss).where(EpssScoreRow.cve.in_(chunk))
        epss.update({cve: score for cve, score in session.execute(query)})  # noqa: C416 - rows, not pairs
    return {cve: ExploitSignal(kev=cve in kev, epss=epss.get(cve)) for cve in wanted if cve in kev or cve in epss}
