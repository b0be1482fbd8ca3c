"""Go, Rust, Ruby, PHP, Java and .NET inventories from real manifests and lockfiles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bastion.scanners.sca import Ecosystem, Scope
from bastion.scanners.sca.package import Package


def named(packages: list[Package]) -> dict[str, Package]:
    return {p.name: p for p in packages}


def test_go_mod_marks_indirect_requirements(
    sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    found = named(packages_of(sca_asset("go")))
    assert len(found) == 66
    net = found["golang.org/x/net"]
    assert net.purl == "pkg:golang/golang.org/x/net@v0.0.0-20210316092652-d523dce5a7f4"
    assert net.direct is True and net.line == 63
    assert found["gopkg.in/ini.v1"].direct is False


def test_go_mod_applies_replace_directives(tmp_path: Path, packages_of: Callable[[Path], list[Package]]) -> None:
    (tmp_path / "go.mod").write_text(
        "module example.com/m\n\ngo 1.21\n\nrequire (\n\tgolang.org/x/text v0.3.6\n\texample.com/local v1.0.0\n)\n\n"
        "replace golang.org/x/text => golang.org/x/text v0.3.8\nreplace example.com/local => ../local\n"
    )
    assert [p.purl for p in packages_of(tmp_path)] == ["pkg:golang/golang.org/x/text@v0.3.8"]


def test_cargo_lock_treats_workspace_dependencies_as_direct(
    sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    found = named(packages_of(sca_asset("rust/orjson")))
    assert "orjson" not in found
    assert found["ahash"].purl == "pkg:cargo/ahash@0.8.6" and found["ahash"].direct is True
    transitive = [p for p in found.values() if p.direct is False]
    assert transitive and all(len(p.path) >= 2 for p in transitive)


def test_gemfile_lock_specs_and_dependencies(
    sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    found = named(packages_of(sca_asset("ruby")))
    assert found["rails"].ecosystem is Ecosystem.RUBYGEMS and found["rails"].direct is True
    assert found["actioncable"].version == "8.1.2.1"
    assert found["actioncable"].path == ("rails", "actioncable")
    assert not any("-" in p.version for p in found.values())  # platform suffixes are dropped


def test_composer_lock_reads_licences_and_composer_json_roots(
    sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    found = named(packages_of(sca_asset("php")))
    cake = found["cakephp/cakephp"]
    assert cake.purl == "pkg:composer/cakephp/cakephp@2.10.19"
    assert (cake.licence, cake.direct, cake.line) == ("MIT", True, 10)
    assert found["james-heinrich/getid3"].version == "v1.9.18"


def test_pom_resolves_properties_and_skips_versions_from_the_parent(
    sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    found = named(packages_of(sca_asset("maven")))
    # spring-petclinic takes most versions from the Spring Boot parent POM, which is not in the file.
    assert found["org.webjars.npm:bootstrap"].purl == "pkg:maven/org.webjars.npm/bootstrap@5.3.8"
    assert found["org.webjars.npm:bootstrap"].direct is True
    assert "org.springframework.boot:spring-boot-starter-web" not in found


def test_pom_property_and_dependency_management(tmp_path: Path, packages_of: Callable[[Path], list[Package]]) -> None:
    (tmp_path / "pom.xml").write_text(
        '<project xmlns="http://maven.apache.org/POM/4.0.0"><version>1.0</version>'
        "<properties><log4j.version>2.14.1</log4j.version></properties>"
        "<dependencyManagement><dependencies><dependency><groupId>junit</groupId><artifactId>junit</artifactId>"
        "<version>4.12</version></dependency></dependencies></dependencyManagement><dependencies>"
        "<dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId>"
        "<version>${log4j.version}</version></dependency>"
        "<dependency><groupId>junit</groupId><artifactId>junit</artifactId><scope>test</scope></dependency>"
        "</dependencies></project>"
    )
    found = named(packages_of(tmp_path))
    assert found["org.apache.logging.log4j:log4j-core"].version == "2.14.1"
    assert (found["junit:junit"].version, found["junit:junit"].scope) == ("4.12", Scope.DEV)


def test_gradle_lockfile_test_only_configurations_are_dev(
    sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    found = named(packages_of(sca_asset("gradle")))
    assert len(found) == 68
    assert found["ch.qos.logback:logback-classic"].scope is Scope.RUNTIME
    assert found["com.jayway.jsonpath:json-path"].scope is Scope.DEV
    assert found["com.jayway.jsonpath:json-path"].purl == "pkg:maven/com.jayway.jsonpath/json-path@2.9.0"


def test_nuget_packages_lock(
    tmp_path: Path, sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    found = named(packages_of(sca_asset("nuget/qowaiv")))
    assert found["SonarAnalyzer.CSharp"].purl == "pkg:nuget/SonarAnalyzer.CSharp@10.32.0.713"
    assert all(p.direct for p in found.values())
    (tmp_path / "packages.lock.json").write_text(
        '{"version": 1, "dependencies": {"net6.0": {'
        '"Newtonsoft.Json.Bson": {"type": "Direct", "requested": "[1.0.2, )", "resolved": "1.0.2",'
        ' "dependencies": {"Newtonsoft.Json": "12.0.1"}},'
        '"Newtonsoft.Json": {"type": "Transitive", "resolved": "12.0.1"},'
        '"Pinned": {"type": "CentralTransitive", "requested": "[3.0.0, )"},'
        '"App.Core": {"type": "Project"}}}}'
    )
    found = named(packages_of(tmp_path))
    assert set(found) == {"Newtonsoft.Json.Bson", "Newtonsoft.Json"}
    assert found["Newtonsoft.Json"].path == ("newtonsoft.json.bson", "newtonsoft.json")
