"""The starter pipeline: the ``bastion.yml`` that ``bastion init`` writes from a profile of the repository.

``profile_repository`` detects languages, dependency manifests, infrastructure code, Dockerfiles and CI files;
``starter_pipeline`` turns that into YAML where every control says why it is there. Families whose scanner is
not installed are written commented out, so the file always validates.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

from bastion.scanners import scanner_names

__all__ = ["RepositoryProfile", "profile_repository", "starter_pipeline"]

_LANGUAGES = {
    ".py": "Python",
    ".pyi": "Python",
    ".js": "JavaScript",
    ".mjs": "JavaScript",
    ".cjs": "JavaScript",
    ".jsx": "JavaScript",
    ".ts": "TypeScript",
    ".tsx": "TypeScript",
    ".go": "Go",
    ".rs": "Rust",
    ".rb": "Ruby",
    ".php": "PHP",
    ".java": "Java",
    ".kt": "Kotlin",
    ".scala": "Scala",
    ".cs": "C#",
    ".c": "C",
    ".h": "C",
    ".cc": "C++",
    ".cpp": "C++",
    ".hpp": "C++",
    ".swift": "Swift",
    ".sh": "Shell",
    ".bash": "Shell",
}
_MANIFESTS = (
    "requirements*.txt",
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "go.mod",
    "Cargo.lock",
    "Gemfile.lock",
    "composer.lock",
    "pom.xml",
    "gradle.lockfile",
    "buildscript-gradle.lockfile",
    "packages.lock.json",
)
_CI_FILES = (".gitlab-ci.yml", "azure-pipelines.yml", "Jenkinsfile", "bitbucket-pipelines.yml")
_COMPOSE = ("docker-compose*.yml", "docker-compose*.yaml", "compose.yml", "compose.yaml")
_K8S_KIND = re.compile(r"^kind:\s*\S", re.MULTILINE)
_K8S_API = re.compile(r"^apiVersion:\s*\S", re.MULTILINE)
_CFN = re.compile(r"AWSTemplateFormatVersion|[\"']?Type[\"']?\s*:\s*[\"']?AWS::")
_SNIFF_BYTES = 64 * 1024
_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True, slots=True)
class RepositoryProfile:
    """What a repository holds, as far as choosing its controls goes. Paths are relative posix paths."""

    files: int
    """How many files were profiled."""
    languages: tuple[tuple[str, int], ...] = ()
    """(language, number of files), most files first."""
    manifests: tuple[str, ...] = ()
    """Dependency lockfiles and manifests (``requirements.txt``, ``package-lock.json``, ``go.mod``...)."""
    terraform: tuple[str, ...] = ()
    kubernetes: tuple[str, ...] = ()
    """YAML or JSON documents with a top-level ``apiVersion`` and ``kind``."""
    cloudformation: tuple[str, ...] = ()
    dockerfiles: tuple[str, ...] = ()
    compose: tuple[str, ...] = ()
    ci: tuple[str, ...] = ()
    """CI definitions: GitHub workflows, ``.gitlab-ci.yml``..."""

    def count(self, language: str) -> int:
        """Number of files in ``language`` (0 when none)."""
        return dict(self.languages).get(language, 0)


def profile_repository(root: Path, files: Sequence[str]) -> RepositoryProfile:
    """Profile the listed files of ``root`` (by name, and by content for YAML and JSON documents)."""
    languages: Counter[str] = Counter()
    kinds = ("manifests", "tf", "k8s", "cfn", "docker", "compose", "ci")
    found: dict[str, list[str]] = {kind: [] for kind in kinds}
    for rel in sorted(files):
        path = PurePosixPath(rel)
        name, suffix = path.name, path.suffix.lower()
        if suffix in _LANGUAGES:
            languages[_LANGUAGES[suffix]] += 1
        if _is_ci(path):
            found["ci"].append(rel)
        elif any(fnmatch(name, pattern) for pattern in _MANIFESTS) or _is_gradle_lock(path):
            found["manifests"].append(rel)
        elif name.endswith((".tf", ".tf.json")):
            found["tf"].append(rel)
        elif name in ("Dockerfile", "Containerfile") or name.startswith("Dockerfile.") or suffix == ".dockerfile":
            found["docker"].append(rel)
        elif any(fnmatch(name, pattern) for pattern in _COMPOSE):
            found["compose"].append(rel)
        elif suffix in (".yml", ".yaml", ".json", ".template"):
            text = _head(root / rel)
            if _CFN.search(text):
                found["cfn"].append(rel)
            elif (_K8S_API.search(text) and _K8S_KIND.search(text)) or _is_k8s_json(text):
                found["k8s"].append(rel)
    return RepositoryProfile(
        files=len(files),
        languages=tuple(sorted(languages.items(), key=lambda item: (-item[1], item[0]))),
        manifests=tuple(found["manifests"]),
        terraform=tuple(found["tf"]),
        kubernetes=tuple(found["k8s"]),
        cloudformation=tuple(found["cfn"]),
        dockerfiles=tuple(found["docker"]),
        compose=tuple(found["compose"]),
        ci=tuple(found["ci"]),
    )


def starter_pipeline(root: Path, files: Sequence[str], *, installed: Collection[str] | None = None) -> str:
    """The YAML text of a starter ``bastion.yml`` for the repository at ``root`` holding ``files``.

    ``installed`` names the scanners that can run (default: those registered now); other families are written
    commented out.
    """
    profile = profile_repository(root, files)
    installed = set(scanner_names() if installed is None else installed)
    code, build = _code_controls(profile), _build_controls(profile)
    project = root.resolve().name or "project"
    lines = [
        "# bastion.yml: the security controls of this repository, written by `bastion init`.",
        "# Each control says why it was added. Run them with `bastion run`.",
        "version: 1",
        f"project: {project if _PLAIN.match(project) else json.dumps(project)}",
    ]
    stages = [("code", code), ("build", build)]
    if any(c.name in installed for _, controls in stages for c in controls):
        lines.append("stages:")
    else:
        lines.append("stages: {}  # no control applies yet, or none is installed")
    for stage, controls in stages:
        lines += _stage_lines(stage, controls, installed)
    lines += [
        "",
        "# policy:",
        "#   block:",
        "#     severity: high        # block on findings of this severity or worse...",
        "#     states: [new, reopened]  # ...in these lifecycle states, from mandatory controls",
    ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class _Control:
    name: str
    reason: str
    mode: str = "mandatory"
    options: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def _code_controls(profile: RepositoryProfile) -> list[_Control]:
    everywhere = f"always: a secret can hide in any file ({_plural(profile.files, 'file')})"
    controls = [_Control("secrets", everywhere)]
    python = profile.count("Python")
    others = [f"{lang} ({_plural(n, 'file')})" for lang, n in profile.languages if lang != "Python"]
    notes = (f"no built-in sast yet for {', '.join(others)}",) if others else ()
    if python:
        controls.append(
            _Control(
                "sast",
                _plural(python, "Python file"),
                notes=notes,
                options=("severity: low  # lowest severity reported: low, medium or high",),
            )
        )
    elif notes:
        controls[0] = _Control(controls[0].name, controls[0].reason, notes=notes)
    return controls


def _build_controls(profile: RepositoryProfile) -> list[_Control]:
    controls = []
    if profile.manifests:
        shown = ", ".join(profile.manifests[:3]) + (", ..." if len(profile.manifests) > 3 else "")
        count = _plural(len(profile.manifests), "lockfile or manifest", "lockfiles or manifests")
        controls.append(_Control("sca", f"{count}: {shown}"))
    iac = [
        _plural(len(profile.terraform), "Terraform file"),
        _plural(len(profile.kubernetes), "Kubernetes manifest"),
        _plural(len(profile.cloudformation), "CloudFormation template"),
        _plural(len(profile.dockerfiles), "Dockerfile"),
        _plural(len(profile.compose), "Compose file"),
        _plural(len(profile.ci), "CI file"),
    ]
    present = [part for part in iac if not part.startswith("0 ")]
    if present:
        controls.append(_Control("iac", ", ".join(present), mode="advisory"))
    return controls


def _stage_lines(stage: str, controls: list[_Control], installed: set[str]) -> list[str]:
    if not controls:
        return []
    live = any(c.name in installed for c in controls)
    lines = [f"  {stage}:" if live else f"  # {stage}:"]
    for control in controls:
        for note in control.notes:
            lines.append(f"    # {note}")
        if control.name in installed:
            lines.append(f"    - uses: {control.name}  # {control.reason}")
            lines.append(f"      mode: {control.mode}")
            if control.options:
                lines.append("      with:")
                lines += [f"        {option}" for option in control.options]
        else:
            indent = "    " if live else "  #   "
            prefix = "# " if live else ""
            lines.append(
                f"{indent}{prefix}- uses: {control.name}  # {control.reason}; "
                f"enable when the {control.name} scanner is installed"
            )
    return lines


def _plural(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def _is_ci(path: PurePosixPath) -> bool:
    parts = path.parts
    workflow = len(parts) == 3 and parts[:2] == (".github", "workflows") and path.suffix in (".yml", ".yaml")
    return workflow or path.as_posix() in _CI_FILES or path.as_posix() == ".circleci/config.yml"


def _is_gradle_lock(path: PurePosixPath) -> bool:
    return path.suffix == ".lockfile" and "dependency-locks" in path.parts


def _is_k8s_json(text: str) -> bool:
    return text.lstrip().startswith("{") and '"apiVersion"' in text and '"kind"' in text


def _head(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            return handle.read(_SNIFF_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return ""
