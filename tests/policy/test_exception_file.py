"""``.bastion/exceptions.yml``: round trip, and typos caught with file and line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bastion.policy import PolicyError, new_exception, read_exceptions, write_exceptions


def test_exceptions_round_trip_through_the_file(tmp_path: Path) -> None:
    exception = new_exception(
        "B602", reason="sandboxed", approver="alice", expires=date(2027, 1, 31), today=date(2026, 11, 23)
    )
    path = tmp_path / ".bastion" / "exceptions.yml"
    write_exceptions(path, [exception])
    assert read_exceptions(path) == [exception]


def test_unknown_key_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "exceptions.yml"
    path.write_text(
        "version: 1\nexceptions:\n  - id: EXC-1\n    scope: rule\n    target: B602\n    reason: r\n"
        "    approver: a\n    expires: 2027-01-31\n    created: 2026-11-23T00:00:00Z\n    aprover: b\n"
    )
    with pytest.raises(PolicyError, match=r"exceptions\.yml:10: exceptions\.0\.aprover"):
        read_exceptions(path)
