"""The starter pipeline of ``bastion init``: repository profiles and the YAML written from them."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from bastion.config.schema import PipelineSpec
from bastion.config.starter import RepositoryProfile, profile_repository, starter_pipeline
from bastion.scanners import scanner_names

REPO = Path(__file__).resolve().parents[2]

K8S_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
"""
CFN_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bucket:
    Type: AWS::S3::Bucket
"""
WORKFLOW = """\
name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps: [{uses: actions/checkout@v4}]
"""


def make_repo(root: Path, files: dict[str, str]) -> list[str]:
    """Write ``files`` under ``root``; return their relative paths, as the workspace walker would."""
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return sorted(files)


def parse(text: str) -> Any:
    return YAML(typ="safe").load(io.StringIO(text))


def commented_out(text: str, control: str) -> str:
    """The commented-out line offering ``control`` (failing when there is none)."""
    (line,) = [x for x in text.splitlines() if x.lstrip().startswith("#") and f"- uses: {control}  #" in x]
    return line


def uses(pipeline: Any, stage: str) -> list[str]:
    return [control["uses"] for control in (pipeline.get("stages") or {}).get(stage, [])]


@pytest.fixture
def python_repo(tmp_path: Path) -> tuple[Path, list[str]]:
    root = tmp_path / "webshop"
    files = make_repo(
        root,
        {
            "app/main.py": "print('hi')\n",
            "app/models.py": "x = 1\n",
            "app/types.pyi": "x: int\n",
            "requirements.txt": "flask==0.12.2\n",
            "requirements-dev.txt": "pytest\n",
            "README.md": "# webshop\n",
        },
    )
    return root, files


def test_python_repo_profile_counts_python_files_and_manifests(python_repo: tuple[Path, list[str]]) -> None:
    profile = profile_repository(*python_repo)
    assert profile.files == 6
    assert profile.languages == (("Python", 3),)
    assert profile.count("Python") == 3
    assert profile.count("Go") == 0
    assert profile.manifests == ("requirements-dev.txt", "requirements.txt")
    assert profile.dockerfiles == profile.terraform == profile.ci == ()


def test_python_repo_gets_secrets_and_sast_with_reasons(python_repo: tuple[Path, list[str]]) -> None:
    text = starter_pipeline(*python_repo, installed={"secrets", "sast"})
    pipeline = parse(text)
    assert pipeline["version"] == 1
    assert pipeline["project"] == "webshop"
    assert uses(pipeline, "code") == ["secrets", "sast"]
    assert pipeline["stages"]["code"][0]["mode"] == "mandatory"
    assert pipeline["stages"]["code"][1]["with"] == {"severity": "low"}
    assert "- uses: sast  # 3 Python files" in text
    assert commented_out(text, "sca").endswith(
        "# 2 lockfiles or manifests: requirements-dev.txt, requirements.txt; enable when the sca scanner is installed"
    )
    assert "build" not in pipeline["stages"]
    PipelineSpec.model_validate(pipeline)


def test_infrastructure_files_are_detected(tmp_path: Path) -> None:
    files = make_repo(
        tmp_path,
        {
            "Dockerfile": "FROM python:3.12\n",
            "docker/Dockerfile.worker": "FROM alpine\n",
            ".github/workflows/ci.yml": WORKFLOW,
            ".gitlab-ci.yml": "test:\n  script: [make]\n",
            "infra/main.tf": 'resource "aws_s3_bucket" "b" {}\n',
            "infra/vars.tf.json": '{"variable": {}}\n',
            "deploy/web.yaml": K8S_DEPLOYMENT,
            "deploy/list.json": '{"apiVersion": "v1", "kind": "List", "items": []}',
            "cfn/bucket.yml": CFN_TEMPLATE,
            "compose.yaml": "services: {web: {image: nginx}}\n",
            "config/settings.yaml": "debug: false\nkind: of a setting\n",
            "package-lock.json": "{}\n",
            "web/index.ts": "export {}\n",
        },
    )
    profile = profile_repository(tmp_path, files)
    assert profile == RepositoryProfile(
        files=13,
        languages=(("TypeScript", 1),),
        manifests=("package-lock.json",),
        terraform=("infra/main.tf", "infra/vars.tf.json"),
        kubernetes=("deploy/list.json", "deploy/web.yaml"),
        cloudformation=("cfn/bucket.yml",),
        dockerfiles=("Dockerfile", "docker/Dockerfile.worker"),
        compose=("compose.yaml",),
        ci=(".github/workflows/ci.yml", ".gitlab-ci.yml"),
    )


def test_infrastructure_controls_are_commented_until_their_scanner_is_installed(tmp_path: Path) -> None:
    files = make_repo(
        tmp_path,
        {
            "Dockerfile": "FROM python:3.12\n",
            ".github/workflows/ci.yml": WORKFLOW,
            "main.tf": 'resource "aws_s3_bucket" "b" {}\n',
            "go.mod": "module example.com/x\n",
            "main.go": "package main\n",
        },
    )
    text = starter_pipeline(tmp_path, files, installed={"secrets", "sast"})
    assert "  # build:" in text
    assert commented_out(text, "sca").endswith(
        "# 1 lockfile or manifest: go.mod; enable when the sca scanner is installed"
    )
    assert "# 1 Terraform file, 1 Dockerfile, 1 CI file; enable when" in commented_out(text, "iac")
    assert "# no built-in sast yet for Go (1 file)" in text
    pipeline = parse(text)
    assert uses(pipeline, "code") == ["secrets"]  # no Python: no sast, not even commented
    assert "uses: sast" not in text
    PipelineSpec.model_validate(pipeline)

    enabled = parse(starter_pipeline(tmp_path, files, installed={"secrets", "sca", "iac"}))
    assert uses(enabled, "build") == ["sca", "iac"]
    assert enabled["stages"]["build"][1]["mode"] == "advisory"
    PipelineSpec.model_validate(enabled)


def test_nothing_installed_still_validates(tmp_path: Path) -> None:
    files = make_repo(tmp_path, {"a.py": "x = 1\n"})
    text = starter_pipeline(tmp_path, files, installed=())
    pipeline = parse(text)
    assert pipeline["stages"] == {}
    assert "always: a secret can hide in any file (1 file)" in commented_out(text, "secrets")
    PipelineSpec.model_validate(pipeline)


def test_default_uses_the_scanners_registered_now(python_repo: tuple[Path, list[str]]) -> None:
    pipeline = parse(starter_pipeline(*python_repo))
    registered = set(scanner_names())
    assert uses(pipeline, "code") == [name for name in ("secrets", "sast") if name in registered]
    assert uses(pipeline, "build") == [name for name in ("sca",) if name in registered]
    PipelineSpec.model_validate(pipeline)


def test_policy_block_is_offered_as_a_comment(python_repo: tuple[Path, list[str]]) -> None:
    text = starter_pipeline(*python_repo, installed={"secrets"})
    assert "# policy:\n#   block:\n#     severity: high" in text
    assert "#     states: [new, reopened]" in text
    assert "policy" not in parse(text)
    uncommented = "\n".join(
        line[2:] if line.startswith("# ") else line
        for line in text.splitlines()
        if not line.startswith("# bastion.yml") and not line.startswith("# Each")
    )
    assert parse(uncommented)["policy"] == {"block": {"severity": "high", "states": ["new", "reopened"]}}


def test_project_name_that_is_not_a_plain_word_is_quoted(tmp_path: Path) -> None:
    root = tmp_path / "my shop: v2"
    root.mkdir()
    assert parse(starter_pipeline(root, [], installed={"secrets"}))["project"] == "my shop: v2"


def test_shop_example_profile() -> None:
    shop = REPO / "examples" / "shop"
    files = sorted(p.relative_to(shop).as_posix() for p in shop.iterdir() if p.is_file())
    profile = profile_repository(shop, files)
    assert profile.count("Python") == 2
    assert profile.manifests == ("requirements.txt",)
    assert profile.dockerfiles == ("Dockerfile",)
