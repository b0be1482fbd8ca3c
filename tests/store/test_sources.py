"""Finding sources: every tool report of a finding, listed oldest first, and the imports that brought them."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bastion.importers import import_report
from bastion.store import Store
from bastion.store.sources import ImportRow, sources_of

SAMPLES = Path(__file__).resolve().parents[1] / "assets" / "imports"


def test_sources_of_a_deduplicated_secret_list_each_tool_once_oldest_first(store: Store) -> None:
    for fmt, name in (
        ("gitleaks", "gitleaks/git-history.two-leaks.json"),
        ("trufflehog", "trufflehog/trufflehog3.history-and-tree.json"),
    ):
        import_report(store, (SAMPLES / name).read_bytes(), fmt, project="shop", source=name)
    finding = next(t.finding for t in store.list_findings(project="shop") if t.finding.rule_id == "aws-access-token")
    sources = store.read(lambda s: sources_of(s, "shop", finding.fingerprint))
    assert [(s.tool, s.format) for s in sources] == [("gitleaks", "gitleaks"), ("trufflehog", "trufflehog")]
    assert sources[0].first_seen <= sources[1].first_seen
    imports = store.read(lambda s: s.scalars(select(ImportRow).order_by(ImportRow.id)).all())
    assert [(i.format, i.reported, i.sources_seen, i.findings_new) for i in imports] == [
        ("gitleaks", 2, 2, 2),
        ("trufflehog", 4, 2, 0),
    ]
