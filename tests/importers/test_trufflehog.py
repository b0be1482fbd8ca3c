"""The trufflehog importer: trufflehog3 3.0.10 (PyPI) output, and Go trufflehog JSON lines from its schema."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bastion.errors import ImporterError
from bastion.importers.trufflehog import TrufflehogImporter
from bastion.model import Severity


def test_trufflehog3_report_hashes_secrets_and_keeps_lines(sample: Callable[[str], bytes]) -> None:
    data = sample("trufflehog/trufflehog3.history-and-tree.json")
    findings = TrufflehogImporter().parse(data, source="t.json", control="th")
    assert len(findings) == 4
    assert {(f.rule_id, f.location.start_line) for f in findings} >= {("amazon.aws-api-key", 18)}
    assert all("AKIA4QZ7HX2LWRTE5NBJ" not in repr(f) for f in findings)
    # The same secret in the working tree and in the commit of the same file is one identity.
    assert len({f.fingerprint for f in findings}) == 2


def test_go_trufflehog_verified_secret_is_critical(sample: Callable[[str], bytes]) -> None:
    data = sample("trufflehog/go-trufflehog.json-lines.from-schema.jsonl")
    findings = TrufflehogImporter().parse(data, source="t.jsonl", control="th")
    assert [(f.rule_id, f.severity) for f in findings] == [("AWS", Severity.HIGH), ("Github", Severity.CRITICAL)]
    assert findings[0].location.commit and findings[1].location.path == "config/settings.py"
    assert all("wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx" not in repr(f) for f in findings)


def test_go_trufflehog_bad_line_names_the_line() -> None:
    with pytest.raises(ImporterError, match=r"^t.jsonl:2: \$.DetectorName: required property is missing$"):
        TrufflehogImporter().parse(
            b'{"DetectorName":"AWS","Raw":"x","SourceMetadata":{"Data":{}}}\n{"Raw":"y"}\n',
            source="t.jsonl",
            control="th",
        )
