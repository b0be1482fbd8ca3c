"""Licence normalisation to SPDX and the allow / deny / review policy."""

from __future__ import annotations

import pytest

from bastion.scanners.sca import LicencePolicy, LicenceVerdict, judge_licence, normalise_licence
from bastion.scanners.sca.licences import licence_of_classifiers


@pytest.mark.parametrize(
    ("text", "spdx"),
    [
        ("MIT License", "MIT"),
        ("Apache 2.0", "Apache-2.0"),
        ("BSD", "BSD-3-Clause"),
        ("Apache-2.0 OR BSD-2-Clause", "Apache-2.0 OR BSD-2-Clause"),
        ("(MIT OR GPL-3.0)", "MIT OR GPL-3.0-only"),
        ("GPL-2.0-or-later WITH Classpath-exception-2.0", "GPL-2.0-or-later WITH Classpath-exception-2.0"),
        ("UNKNOWN", None),
        ("UNLICENSED", "LicenseRef-proprietary"),
        ("Some Custom Terms", "LicenseRef-Some-Custom-Terms"),
    ],
)
def test_normalise_licence(text: str, spdx: str | None) -> None:
    assert normalise_licence(text) == spdx


def test_classifiers() -> None:
    assert licence_of_classifiers(["License :: OSI Approved :: MIT License", "Programming Language :: Python"]) == "MIT"


POLICY = LicencePolicy(
    deny=["AGPL-3.0-only", "GPL-3.0-only"],
    review=["LGPL-3.0-only"],
    allow=["MIT", "Apache-2.0", "BSD-3-Clause", "LGPL-3.0-only"],
    unknown=LicenceVerdict.REVIEW,
)


@pytest.mark.parametrize(
    ("expression", "verdict"),
    [
        ("MIT", LicenceVerdict.ALLOWED),
        ("AGPL-3.0-only", LicenceVerdict.DENIED),
        ("MIT OR GPL-3.0-only", LicenceVerdict.ALLOWED),
        ("MIT AND GPL-3.0-only", LicenceVerdict.DENIED),
        ("LGPL-3.0-only", LicenceVerdict.REVIEW),
        ("MPL-2.0", LicenceVerdict.REVIEW),
        (None, LicenceVerdict.REVIEW),
    ],
)
def test_policy_verdicts(expression: str | None, verdict: LicenceVerdict) -> None:
    assert judge_licence(POLICY, expression)[0] is verdict
