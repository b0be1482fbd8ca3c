"""The iac scanner over real files: the shop's Terraform stack, manifests, Dockerfile and workflow."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bastion.scanners.iac import IacOptions, IacScanner
from bastion.scanners.protocol import ScanTarget

SHOP = Path(__file__).parents[2] / "assets" / "iac" / "shop"

EXPECTED = {
    ("GHA-002", ".github/workflows/ci.yml", 13),
    ("GHA-001", ".github/workflows/ci.yml", 16),
    ("GHA-003", ".github/workflows/ci.yml", 17),
    ("DKR-001", "Dockerfile", 6),
    ("DKR-005", "Dockerfile", 7),
    ("DKR-004", "Dockerfile", 8),
    ("K8S-015", "k8s/web.yaml", 29),
    ("K8S-005", "k8s/web.yaml", 39),
    ("K8S-018", "k8s/web.yaml", 39),
    ("K8S-008", "k8s/web.yaml", 42),
    ("K8S-012", "k8s/web.yaml", 45),
    ("K8S-013", "k8s/web.yaml", 45),
    ("K8S-020", "k8s/web.yaml", 45),
    ("K8S-021", "k8s/web.yaml", 45),
    ("K8S-026", "k8s/web.yaml", 45),
    ("K8S-014", "k8s/web.yaml", 46),
    ("K8S-003", "k8s/web.yaml", 47),
    ("K8S-010", "k8s/web.yaml", 47),
    ("K8S-011", "k8s/web.yaml", 47),
    ("K8S-017", "k8s/web.yaml", 47),
    ("K8S-001", "k8s/web.yaml", 48),
    ("AWS-020", "terraform/main.tf", 33),
    ("AWS-008", "terraform/main.tf", 61),
    ("AWS-009", "terraform/main.tf", 62),
    ("AWS-001", "terraform/modules/bucket/main.tf", 9),
}


def _scan(root: Path, options: IacOptions | None = None) -> tuple[list, ScanTarget]:
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    target = ScanTarget(root=root, files=files, control="iac")
    return list(IacScanner().scan(target, options or IacOptions())), target


def test_shop_findings_are_exactly_the_expected_ones_at_their_lines() -> None:
    findings, target = _scan(SHOP)
    assert {(f.rule_id, f.location.path, f.location.start_line) for f in findings} == EXPECTED
    assert target.unanalysed == []


def test_module_variables_resolve_into_the_called_module() -> None:
    findings, _ = _scan(SHOP)
    acl = next(f for f in findings if f.rule_id == "AWS-001")
    assert acl.evidence == "module.assets.aws_s3_bucket.this"
    assert "public-read" in acl.message


def test_inline_suppression_keeps_the_finding_tagged_with_its_reason() -> None:
    findings, _ = _scan(SHOP)
    suppressed = [f for f in findings if "suppressed" in f.tags]
    assert [f.rule_id for f in suppressed] == ["AWS-009"]
    assert "SEC-112" in suppressed[0].message


def test_skip_option_drops_a_check() -> None:
    findings, _ = _scan(SHOP, IacOptions(skip=["k8s-001"]))
    assert "K8S-001" not in {f.rule_id for f in findings}


def test_syntax_errors_are_unanalysed_with_file_and_line_and_the_rest_goes_on(tmp_path: Path) -> None:
    shutil.copytree(SHOP, tmp_path / "shop")
    root = tmp_path / "shop"
    (root / "terraform" / "broken.tf").write_text('resource "aws_s3_bucket" "b" {\n  acl = \n')
    (root / "k8s" / "broken.yaml").write_text("apiVersion: v1\nkind: Pod\nspec: [\n")
    findings, target = _scan(root)
    reasons = sorted(u.reason for u in target.unanalysed)
    assert reasons[0].startswith("k8s/broken.yaml:3: YAML syntax error")
    assert reasons[1].startswith("terraform/broken.tf:")
    assert "HCL syntax error" in reasons[1]
    assert {f.rule_id for f in findings} >= {"K8S-001", "DKR-004", "GHA-002"}


def test_user_policy_in_conftest_style_is_loaded_beside_the_builtins(tmp_path: Path) -> None:
    shutil.copytree(SHOP, tmp_path / "shop")
    root = tmp_path / "shop"
    (root / "policies").mkdir()
    (root / "policies" / "tags.rego").write_text(
        "package bastion.checks.terraform.team_tags\nimport rego.v1\n"
        'metadata := {"TEAM-001": {"title": "Instance without Owner tag", "severity": "low",'
        ' "rationale": "r", "remediation": "add tags", "references": ["https://example.com"]}}\n'
        'deny contains data.bastion.lib.hit("TEAM-001", r, r.config, "tags", "no Owner tag") if {\n'
        "  some r in input.resources.aws_instance\n  not r.config.tags.Owner\n}\n"
        'deny contains "plain message" if { false }\n'
    )
    findings, _ = _scan(root, IacOptions(policies=["policies"]))
    team = [f for f in findings if f.rule_id == "TEAM-001"]
    assert {(f.location.path, f.location.start_line, f.severity.value) for f in team} == {
        ("terraform/main.tf", 45, "low")
    }


def test_user_policy_that_does_not_compile_names_file_and_line(tmp_path: Path) -> None:
    from bastion.scanners.iac import IacError

    (tmp_path / "bad.rego").write_text("package bastion.checks.terraform.bad\nimport rego.v1\ndeny contains 1 if {\n")
    with pytest.raises(IacError, match=r"bad\.rego:\d+: "):
        _scan(SHOP, IacOptions(policies=[str(tmp_path / "bad.rego")]))
