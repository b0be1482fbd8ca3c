"""JavaScript inventories from real lockfiles: package-lock v1-v3, yarn classic and berry, pnpm."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from bastion.scanners.sca import Scope
from bastion.scanners.sca.package import Package


def first(packages: list[Package], name: str) -> Package:
    return next(p for p in packages if p.name == name)


def test_package_lock_v3_marks_direct_dev_and_the_install_path(
    sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    packages = packages_of(sca_asset("npm/panel-lock-v3"))
    assert len(packages) == 191
    bokeh = first(packages, "@bokeh/bokehjs")
    assert bokeh.purl == "pkg:npm/%40bokeh/bokehjs@3.4.0"
    assert (bokeh.direct, bokeh.scope, bokeh.line) == (True, Scope.RUNTIME, 52)
    assert first(packages, "eslint").scope is Scope.DEV and first(packages, "eslint").direct is True
    runtime = first(packages, "@babel/runtime")
    assert runtime.direct is False and runtime.path[0] == "@bokeh/bokehjs" and runtime.path[-1] == "@babel/runtime"


def test_package_lock_v2_uses_its_packages_section(
    sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    packages = packages_of(sca_asset("npm/panel-lock-v2"))
    assert first(packages, "@bokeh/bokehjs").version == "2.4.3"
    assert sum(p.direct is True for p in packages) == 10


def test_package_lock_v1_dependencies_tree(
    tmp_path: Path, sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    # A v2 lockfile carries the v1 "dependencies" tree as well; without "packages" it is a v1 file.
    source = sca_asset("npm/panel-lock-v1")
    document = json.loads((source / "package-lock.json").read_text())
    del document["packages"]
    document["lockfileVersion"] = 1
    (tmp_path / "package-lock.json").write_text(json.dumps(document, indent=2))
    (tmp_path / "package.json").write_text((source / "package.json").read_text())
    packages = packages_of(tmp_path)
    assert len(packages) == 61
    bokeh = first(packages, "@bokeh/bokehjs")
    assert (bokeh.version, bokeh.direct) == ("2.4.2", True)
    assert first(packages, "@bokeh/numbro").path == ("@bokeh/bokehjs", "@bokeh/numbro")


def test_yarn_classic_lock_with_package_json_roots(
    sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    packages = packages_of(sca_asset("npm/jupyterlab-yarn-v1"))
    assert len(packages) == 901
    versions = {p.version for p in packages if p.name == "ws"}
    assert versions == {"6.2.2", "7.5.2"}
    minimist = first(packages, "minimist")
    assert minimist.purl == "pkg:npm/minimist@1.2.5"
    assert minimist.path == ("@jupyterlab/coreutils", "minimist")
    assert first(packages, "@babel/runtime").line == 5


def test_yarn_berry_lock(sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]) -> None:
    packages = packages_of(sca_asset("npm/jupyterlab-yarn-berry"))
    assert len(packages) == 284
    assert not any(p.version.startswith("0.0.0-use.local") for p in packages)  # the workspace itself
    json_ext = first(packages, "@discoveryjs/json-ext")
    assert (json_ext.version, json_ext.line, json_ext.direct) == ("0.5.7", 8, False)
    assert json_ext.path == ("@jupyterlab/builder", "webpack-cli", "@discoveryjs/json-ext")


def test_pnpm_lock_v9_importers_and_snapshots(
    sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    packages = packages_of(sca_asset("npm/gradio-pnpm-v9"))
    assert len(packages) == 512
    assert {p.scope for p in packages} == {Scope.DEV}  # the component-test project has only devDependencies
    remapping = first(packages, "@ampproject/remapping")
    assert remapping.purl == "pkg:npm/%40ampproject/remapping@2.3.0"
    assert remapping.path == ("svelte", "@ampproject/remapping")
    assert remapping.line == 149
