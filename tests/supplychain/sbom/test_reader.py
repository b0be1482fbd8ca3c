"""Reading SBOMs back: both formats give the same packages; anything else is an unreadable SBOM."""

from __future__ import annotations

import re

import pytest

from bastion.supplychain import SupplyChainError
from bastion.supplychain.sbom import SbomFormat, SbomSubject, cyclonedx_json, sbom_from_text, spdx_json
from tests.supplychain.conftest import supplychain_asset


def test_both_formats_list_the_same_packages(subject: SbomSubject) -> None:
    cyclonedx = sbom_from_text(cyclonedx_json(subject), "c")
    spdx = sbom_from_text(spdx_json(subject), "s")
    assert (cyclonedx.format, spdx.format) == (SbomFormat.CYCLONEDX, SbomFormat.SPDX)
    assert cyclonedx.packages == spdx.packages
    assert [p.purl for p in cyclonedx.packages] == [c.purl for c in subject.components]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"hello": "world"}', "neither CycloneDX (bomFormat) nor SPDX 2 (spdxVersion)"),
        (supplychain_asset("sbom.malformed.json").read_text(), "components is not a list"),
        ('{"spdxVersion": "SPDX-2.3", "packages": [1]}', "a package is not an object"),
    ],
)
def test_unreadable_sboms_are_one_line_errors(text: str, problem: str) -> None:
    with pytest.raises(SupplyChainError, match="^sbom.json: unreadable SBOM: " + re.escape(problem)):
        sbom_from_text(text, "sbom.json")
