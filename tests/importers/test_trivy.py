"""The trivy importer: trivy 0.76.0 filesystem and image reports (offline), vulnerabilities from the schema."""

from __future__ import annotations

from collections.abc import Callable

from bastion.importers.trivy import TrivyImporter
from bastion.model import Severity


def test_trivy_fs_misconfigurations_and_masked_secrets(sample: Callable[[str], bytes]) -> None:
    findings = TrivyImporter().parse(sample("trivy/fs.secret-and-misconfig.json"), source="t.json", control="tv")
    rules = {f.rule_id for f in findings}
    assert {"DS-0002", "aws-access-key-id"} <= rules
    assert all(f.location.path in {"Dockerfile", "app.py"} for f in findings)


def test_trivy_image_findings_are_tagged_with_the_image(sample: Callable[[str], bytes]) -> None:
    data = sample("trivy/image.docker-archive.secrets.json")
    findings = TrivyImporter().parse(data, source="t.json", control="tv")
    assert findings and all(f.tags[-1] == "image:shop-image.tar" for f in findings)
    assert {f.location.path for f in findings} == {"/app/app.py"}


def test_trivy_vulnerabilities_carry_purl_and_vendor_aliases(sample: Callable[[str], bytes]) -> None:
    data = sample("trivy/fs.vulnerabilities.from-schema.json")
    vulns = [f for f in TrivyImporter().parse(data, source="t.json", control="tv") if f.location.package]
    assert len(vulns) == 3
    requests = next(f for f in vulns if f.rule_id == "CVE-2018-18074")
    assert requests.location.package == "pkg:pypi/requests@2.19.1"
    assert requests.aliases == ("GHSA-x84v-xcm2-53pg",) and requests.severity is Severity.HIGH
