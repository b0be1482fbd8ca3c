"""Python inventories from real lockfiles: requirements, poetry, Pipfile, uv, pdm and installed distributions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bastion.scanners.sca import Scope
from bastion.scanners.sca.package import Package


def by_name(packages: list[Package]) -> dict[str, Package]:
    return {p.key: p for p in packages}


def test_poetry_lock_places_transitive_packages_under_the_direct_dependency(
    sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    found = by_name(packages_of(sca_asset("python/poetry-up-to-date")))
    assert sorted(p.purl for p in found.values()) == [
        "pkg:pypi/certifi@2020.12.5",
        "pkg:pypi/chardet@4.0.0",
        "pkg:pypi/docker@4.3.1",
        "pkg:pypi/idna@2.10",
        "pkg:pypi/pywin32@227",
        "pkg:pypi/requests@2.25.1",
        "pkg:pypi/six@1.15.0",
        "pkg:pypi/urllib3@1.26.3",
        "pkg:pypi/websocket-client@0.58.0",
    ]
    assert found["docker"].direct is True and found["docker"].path == ()
    assert found["requests"].direct is False
    assert found["requests"].path == ("docker", "requests")
    assert found["urllib3"].path == ("docker", "requests", "urllib3")
    assert {p.scope for p in found.values()} == {Scope.RUNTIME}
    assert found["docker"].line is not None and found["docker"].source == "poetry.lock"


def test_pipfile_lock_reads_default_as_runtime_and_develop_as_dev(
    sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    found = by_name(packages_of(sca_asset("python/pipenv-example")))
    assert found["requests"].version == "2.31.0"
    assert found["requests"].scope is Scope.RUNTIME
    assert found["requests"].direct is True
    assert found["certifi"].direct is False
    assert all(p.source == "Pipfile.lock" for p in found.values())


def test_uv_lock_follows_workspace_members(
    sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    found = by_name(packages_of(sca_asset("python/uv.lock")))
    assert "mcp" not in found  # the workspace's own project is not a dependency
    assert found["anyio"].purl == "pkg:pypi/anyio@4.6.2.post1"
    assert found["anyio"].direct is True
    assert found["h11"].direct is False and found["h11"].path[-1] == "h11"
    assert found["pytest"].scope is Scope.DEV


def test_pdm_lock_reads_groups_and_the_pyproject_roots(
    sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    found = by_name(packages_of(sca_asset("python/pdm-demo")))
    assert found["flask"].version == "1.1.4"
    assert found["flask"].direct is True
    assert found["jinja2"].direct is False
    assert found["jinja2"].path == ("flask", "jinja2")


def test_requirements_follow_includes_and_skip_ranges_and_editables(
    sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    root = sca_asset("python/fastapi-requirements")
    packages = packages_of(root / "requirements.txt")
    pins = {(p.key, p.version, p.source) for p in packages}
    assert ("mypy", "1.8.0", "requirements-tests.txt") in pins
    assert ("pyjwt", "2.8.0", "requirements-tests.txt") in pins
    assert not any(p.key in {"pytest", "flask", "fastapi"} for p in packages)  # ranges and "-e ." are not pins
    assert {p.scope for p in packages if p.source == "requirements-tests.txt"} == {Scope.DEV}


def test_requirements_with_hashes_and_pip_compile_annotations(
    tmp_path: Path, packages_of: Callable[[Path], list[Package]]
) -> None:
    (tmp_path / "requirements.txt").write_text(
        "click==8.1.7 \\\n    --hash=sha256:ae74fb96c20a0277a1d615f1e4d73c8414f5a98db8b799a7931d1582f3390c28\n"
        "    # via flask\n"
        "flask==2.0.1 \\\n    --hash=sha256:1c4c257b1892aec1398784c63791cbaa43062f1f7aeb555c4da961b20ee68f55\n"
        "    # via -r requirements.in\n"
        "itsdangerous==2.1.2\n    # via\n    #   -r requirements.in\n    #   flask\n"
    )
    found = by_name(packages_of(tmp_path))
    assert found["flask"].direct is True and found["flask"].line == 4
    assert found["click"].direct is False and found["click"].path == ("flask", "click")
    assert found["itsdangerous"].direct is True


def test_installed_distributions_carry_their_licences(
    sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    found = by_name(packages_of(sca_asset("python/site-packages")))
    assert found["packaging"].licence == "Apache-2.0 OR BSD-2-Clause"
    assert found["pyyaml"].purl == "pkg:pypi/pyyaml@6.0.3"
    assert found["pyyaml"].licence == "MIT"
    assert found["certifi"].licence == "MPL-2.0"
