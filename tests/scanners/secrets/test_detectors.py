"""Every detector's own examples, run as a table: true examples are found once, false examples never."""

from __future__ import annotations

import re

import pytest

from bastion.scanners.secrets.detector import Detector
from bastion.scanners.secrets.detectors import builtin_detectors
from bastion.scanners.secrets.matcher import Matcher
from bastion.scanners.secrets.validators import VALIDATORS

DETECTORS = builtin_detectors()
MATCHER = Matcher(DETECTORS)


def test_catalogue_has_at_least_200_detectors_with_unique_kebab_case_ids() -> None:
    ids = [d.id for d in DETECTORS]
    assert len(ids) >= 200
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i) for i in ids)


@pytest.mark.parametrize("detector", DETECTORS, ids=lambda d: d.id)
def test_detector_is_well_formed(detector: Detector) -> None:
    assert detector.severity in ("critical", "high", "medium", "low")
    assert detector.true_examples and detector.false_examples
    assert detector.keywords and all(k == k.lower() and k.isascii() and len(k) >= 2 for k in detector.keywords)
    assert detector.validator is None or detector.validator in VALIDATORS
    assert detector.pattern.groups == 0 or detector.secret_group in (1, "secret")
    for example in detector.true_examples:
        assert any(k in example.lower() for k in detector.keywords), "a keyword must occur in every match"


@pytest.mark.parametrize("detector", DETECTORS, ids=lambda d: d.id)
def test_true_examples_are_found_exactly_once(detector: Detector) -> None:
    for example in detector.true_examples:
        found = MATCHER.scan(example.encode())
        assert [m.detector_id for m in found] == [detector.id], example


@pytest.mark.parametrize("detector", DETECTORS, ids=lambda d: d.id)
def test_false_examples_are_not_reported_by_their_detector(detector: Detector) -> None:
    for example in detector.false_examples:
        assert detector.id not in [m.detector_id for m in MATCHER.scan(example.encode())], example


def test_the_generic_assignment_lookahead_changes_no_match() -> None:
    """``(?=[PpSsTtAaCc])`` is there for speed only: without it the regex finds exactly the same matches."""
    detector = next(d for d in DETECTORS if d.id == "generic-secret-assignment")
    prefix = "(?=[PpSsTtAaCc])"
    assert detector.regex.startswith(prefix)
    plain = re.compile(detector.regex.removeprefix(prefix).encode())
    names = [
        "password",
        "PASSWD",
        "Passphrase",
        "pwd",
        "SECRET",
        "token",
        "api_key",
        "API-KEY",
        "api.key",
        "apikey",
        "access_key",
        "ACCESS.KEY",
        "accesskey",
        "auth-key",
        "private_key",
        "credential",
        "Credentials",
        "client_secret",
        "db_password_x",
        "my.Token2",
    ]
    lines = [f'{name}{sep}"Zt8fQm2LxR7vKp3NwY6s"' for name in names for sep in (" = ", ": ", "=>", ":=", "' = ")]
    text = ("\n".join(lines) + "\nx = 'aPassword=\"Zt8fQm2LxR7vKp3NwY6s\"' token\n").encode()
    found = [(m.span(), m.groupdict()) for m in detector.pattern.finditer(text)]
    assert found == [(m.span(), m.groupdict()) for m in plain.finditer(text)]
    assert len(found) >= len(lines)
