"""Baselines accept existing secrets by hash, so only new leaks are reported; the file never holds a secret."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bastion.scanners.secrets.baseline import load_baseline, write_baseline
from bastion.scanners.secrets.errors import SecretsError
from bastion.scanners.secrets.outcome import ScanMode
from bastion.scanners.secrets.scan import run_scan
from bastion.scanners.secrets.settings import ScanSettings
from tests.scanners.secrets.conftest import example_line, secret_in


def test_baseline_suppresses_accepted_secrets_even_when_moved_but_not_new_ones(tmp_path: Path) -> None:
    (tmp_path / "old.py").write_text(example_line("gitlab-pat") + "\n")
    baseline = tmp_path / ".bastion" / "secrets-baseline.json"
    first = run_scan(tmp_path, ScanMode.TREE, ScanSettings())
    assert write_baseline(baseline, first.hits) == 1
    text = baseline.read_text()
    assert secret_in("gitlab-pat") not in text
    entry = json.loads(text)["secrets"][0]
    assert (entry["detector"], entry["path"], entry["preview"]) == ("gitlab-pat", "old.py", "glpa…")

    (tmp_path / "old.py").write_text("\n\n" + example_line("gitlab-pat") + "\n")
    (tmp_path / "new.py").write_text(example_line("slack-bot-token") + "\n")
    later = run_scan(tmp_path, ScanMode.TREE, ScanSettings(baseline=baseline))
    assert [h.detector_id for h in later.hits] == ["slack-bot-token"]
    assert later.suppressed_by_baseline == 1


@pytest.mark.parametrize(
    "content, message",
    [
        ("{", "not valid JSON"),
        ('{"version": 7, "secrets": []}', "not a bastion secrets baseline"),
        ('{"version": 1, "secrets": [{"path": "x"}]}', "without detector and sha256"),
    ],
)
def test_malformed_baseline_is_a_one_line_error_naming_the_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content)
    with pytest.raises(SecretsError, match=message) as caught:
        load_baseline(path)
    assert str(caught.value).startswith(str(path))
