"""Go, Rust, Ruby, PHP, Java and .NET inventories from manifests and lockfiles of real packages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bastion.scanners.sca import Ecosystem, Scope
from bastion.scanners.sca.package import Package


def named(packages: list[Package]) -> dict[str, Package]:
    return {p.name: p for p in packages}


def test_go_mod_direct_indirect_and_replaced_requirements(
    sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    found = named(packages_of(sca_asset("go/bastion-written")))
    assert len(found) == 22
    direct = {p.purl: p.line for p in found.values() if p.direct}
    assert direct == {
        "pkg:golang/github.com/gin-gonic/gin@v1.8.1": 10,
        "pkg:golang/github.com/sirupsen/logrus@v1.9.0": 11,
        "pkg:golang/golang.org/x/net@v0.7.0": 12,  # a trailing comment that is not "// indirect"
        "pkg:golang/google.golang.org/protobuf@v1.28.1": 13,
        "pkg:golang/gopkg.in/yaml.v3@v3.0.1": 14,  # the versioned replace is applied, on the require's line
        "pkg:golang/github.com/google/uuid@v1.3.0": 17,  # a one-line require outside the blocks
    }
    concurrent = found["github.com/modern-go/concurrent"]
    assert concurrent.purl == "pkg:golang/github.com/modern-go/concurrent@v0.0.0-20180306012644-bacd9c7ef1dd"
    assert (concurrent.direct, concurrent.line) == (False, 28)
    assert all(p.direct is False for p in found.values() if p.line is not None and p.line >= 20)
    assert all(p.ecosystem is Ecosystem.GO and p.scope is Scope.RUNTIME and p.path == () for p in found.values())
    # The module replaced by a local directory has no published version; an exclude is not a requirement.
    assert "example.com/bastion/fixture-tools" not in found and "github.com/ugorji/go" not in found


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
    found = named(packages_of(sca_asset("ruby/bastion-written")))
    assert len(found) == 23
    assert all(p.ecosystem is Ecosystem.RUBYGEMS for p in found.values())
    assert {n for n, p in found.items() if p.direct} == {
        "activesupport",
        "nokogiri",
        "puma",
        "rack-test",
        "rspec",
        "sinatra",
    }
    sinatra = found["sinatra"]
    assert (sinatra.purl, sinatra.line, sinatra.path) == ("pkg:gem/sinatra@2.2.0", 44, ())
    rack = found["rack"]
    assert (rack.purl, rack.direct, rack.line) == ("pkg:gem/rack@2.2.3", False, 25)
    assert rack.path == ("rack-test", "rack")  # the first of the shortest paths, in DEPENDENCIES order
    assert found["ruby2_keywords"].path == ("sinatra", "mustermann", "ruby2_keywords")
    assert found["diff-lcs"].path == ("rspec", "rspec-expectations", "diff-lcs")
    # Two platform builds of nokogiri are one package; the platform suffix is dropped.
    nokogiri = [p for p in packages_of(sca_asset("ruby/bastion-written")) if p.name == "nokogiri"]
    assert [(p.purl, p.line) for p in nokogiri] == [("pkg:gem/nokogiri@1.13.1", 18)]
    # Bundler groups live in the Gemfile only: rspec and rack-test are not known to be test-only.
    assert found["rspec"].scope is Scope.RUNTIME


def test_gemfile_lock_follows_dependencies_of_git_and_path_gems(
    tmp_path: Path, packages_of: Callable[[Path], list[Package]]
) -> None:
    (tmp_path / "Gemfile.lock").write_text(
        "GIT\n  remote: https://github.com/acme/auth.git\n  revision: 0123abcd\n  specs:\n    auth (0.3.0)\n"
        "      jwt (~> 2.7)\n\nPATH\n  remote: engines/billing\n  specs:\n    billing (1.0.0)\n      money (>= 6)\n\n"
        "GEM\n  remote: https://rubygems.org/\n  specs:\n    jwt (2.7.1)\n      base64\n    base64 (0.2.0)\n"
        "    money (6.19.0)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  auth!\n  billing!\n\nBUNDLED WITH\n   2.5.3\n"
    )
    found = named(packages_of(tmp_path))
    assert set(found) == {"jwt", "base64", "money"}  # the git and path gems themselves are not registry packages
    assert (found["jwt"].direct, found["jwt"].path) == (False, ("auth", "jwt"))
    assert found["base64"].path == ("auth", "jwt", "base64")
    assert found["money"].path == ("billing", "money")


def test_composer_lock_reads_licences_scopes_and_composer_json_roots(
    sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    found = named(packages_of(sca_asset("php/bastion-written")))
    assert len(found) == 14 and "php" not in found and "ext-json" not in found
    guzzle = found["guzzlehttp/guzzle"]
    assert guzzle.purl == "pkg:composer/guzzlehttp/guzzle@7.4.1"
    assert (guzzle.licence, guzzle.scope, guzzle.direct, guzzle.line) == ("MIT", Scope.RUNTIME, True, 10)
    psr7 = found["guzzlehttp/psr7"]
    assert (psr7.direct, psr7.line, psr7.path) == (False, 60, ("guzzlehttp/guzzle", "guzzlehttp/psr7"))
    assert found["ralouphie/getallheaders"].path == ("guzzlehttp/guzzle", "guzzlehttp/psr7", "ralouphie/getallheaders")
    mailer = found["phpmailer/phpmailer"]
    assert (mailer.purl, mailer.licence, mailer.line) == (
        "pkg:composer/phpmailer/phpmailer@v6.4.1",
        "LGPL-2.1-only",
        107,
    )
    assert found["symfony/deprecation-contracts"].version == "v2.5.0"
    # packages-dev: direct ones from require-dev, their dependencies below them.
    mockery, hamcrest = found["mockery/mockery"], found["hamcrest/hamcrest-php"]
    assert (mockery.scope, mockery.direct, mockery.licence, mockery.line) == (Scope.DEV, True, "BSD-3-Clause", 277)
    assert (hamcrest.scope, hamcrest.direct) == (Scope.DEV, False)
    assert hamcrest.path == ("mockery/mockery", "hamcrest/hamcrest-php")
    # psr/log is required by monolog (runtime) and by filp/whoops (dev): the runtime path wins.
    assert (found["psr/log"].scope, found["psr/log"].path) == (Scope.RUNTIME, ("monolog/monolog", "psr/log"))


def test_pom_resolves_properties_and_managed_versions_and_skips_the_rest(
    sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    found = named(packages_of(sca_asset("maven/bastion-written")))
    assert {n: (p.version, p.scope, p.line) for n, p in found.items()} == {
        # dependencyManagement version from a property
        "org.apache.logging.log4j:log4j-api": ("2.14.1", Scope.RUNTIME, 68),
        "org.apache.logging.log4j:log4j-core": ("2.14.1", Scope.RUNTIME, 72),
        # a property that names another property
        "com.fasterxml.jackson.core:jackson-databind": ("2.13.0", Scope.RUNTIME, 76),
        "com.google.guava:guava": ("31.0.1-jre", Scope.RUNTIME, 80),
        "org.apache.commons:commons-text": ("1.9", Scope.RUNTIME, 85),
        # ${project.parent.version}, optional
        "org.springframework.boot:spring-boot-configuration-processor": ("2.6.1", Scope.OPTIONAL, 95),
        "org.projectlombok:lombok": ("1.18.22", Scope.RUNTIME, 101),  # provided is not development
        "org.mockito:mockito-core": ("4.0.0", Scope.DEV, 112),
    }
    assert found["org.apache.logging.log4j:log4j-core"].purl == "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
    assert all(p.direct is True and p.ecosystem is Ecosystem.MAVEN for p in found.values())
    # Versions from the Spring Boot parent or the imported JUnit BOM are not in the file; ranges are not pins.
    assert "org.springframework.boot:spring-boot-starter-web" not in found
    assert "org.junit.jupiter:junit-jupiter" not in found and "org.junit:junit-bom" not in found
    assert "org.slf4j:slf4j-api" not in found


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


def test_pom_lines_point_at_the_dependency_not_its_managed_entry(
    tmp_path: Path, packages_of: Callable[[Path], list[Package]]
) -> None:
    (tmp_path / "pom.xml").write_text(
        """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>junit</groupId>
        <artifactId>junit</artifactId>
        <version>4.12</version>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>junit</groupId>
      <artifactId>junit</artifactId>
      <scope>test</scope>
    </dependency>
  </dependencies>
</project>
"""
    )
    assert named(packages_of(tmp_path))["junit:junit"].line == 14


def test_gradle_lockfile_test_only_configurations_are_dev(
    sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    found = named(packages_of(sca_asset("gradle/bastion-written")))
    assert len(found) == 28 and "empty" not in found
    core = found["org.apache.logging.log4j:log4j-core"]
    assert (core.purl, core.scope, core.line) == (
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
        Scope.RUNTIME,
        17,
    )
    listenable = found["com.google.guava:listenablefuture"]
    assert listenable.version == "9999.0-empty-to-avoid-conflict-with-guava" and listenable.scope is Scope.RUNTIME
    # Used by a main configuration; lombok's compileClasspath counts though the lockfile cannot say compile-only.
    assert {n for n, p in found.items() if p.scope is Scope.RUNTIME} == {
        "com.fasterxml.jackson.core:jackson-annotations",
        "com.fasterxml.jackson.core:jackson-core",
        "com.fasterxml.jackson.core:jackson-databind",
        "com.fasterxml.jackson:jackson-bom",
        "com.google.code.findbugs:jsr305",
        "com.google.errorprone:error_prone_annotations",
        "com.google.guava:failureaccess",
        "com.google.guava:guava",
        "com.google.guava:listenablefuture",
        "com.google.j2objc:j2objc-annotations",
        "org.apache.logging.log4j:log4j-api",
        "org.apache.logging.log4j:log4j-core",
        "org.checkerframework:checker-qual",
        "org.projectlombok:lombok",
    }
    # The other 14 are used only by test configurations (testCompileClasspath, testRuntimeClasspath).
    assert (found["org.objenesis:objenesis"].scope, found["org.objenesis:objenesis"].line) == (Scope.DEV, 29)
    assert found["org.apiguardian:apiguardian-api"].scope is Scope.DEV  # testCompileClasspath only
    assert found["org.junit:junit-bom"].purl == "pkg:maven/org.junit/junit-bom@5.8.1"
    assert all(p.direct is None and p.path == () for p in found.values())  # no graph in a Gradle lockfile


def test_nuget_packages_lock(
    tmp_path: Path, sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    packages = packages_of(sca_asset("nuget/bastion-written"))
    assert len(packages) == 17 and not any(p.name == "bastion.fixture.core" for p in packages)  # Project entries
    # One package per (name, version) over net6.0 and net8.0; different versions are both kept.
    logging = [(p.purl, p.line, p.direct) for p in packages if p.name == "Microsoft.Extensions.Logging"]
    assert logging == [
        ("pkg:nuget/Microsoft.Extensions.Logging@6.0.0", 5, True),
        ("pkg:nuget/Microsoft.Extensions.Logging@8.0.0", 84, True),
    ]
    assert [(p.purl, p.line) for p in packages if p.name == "Newtonsoft.Json"] == [
        ("pkg:nuget/Newtonsoft.Json@13.0.1", 16)
    ]
    found = named(packages)
    unsafe = found["System.Runtime.CompilerServices.Unsafe"]
    assert (unsafe.purl, unsafe.direct, unsafe.line) == (
        "pkg:nuget/System.Runtime.CompilerServices.Unsafe@6.0.0",
        False,
        67,
    )
    assert unsafe.path == (
        "microsoft.extensions.logging",
        "microsoft.extensions.dependencyinjection",
        "system.runtime.compilerservices.unsafe",
    )
    serilog = found["Serilog"]  # CentralTransitive: pinned centrally, reached through the console sink
    assert (serilog.version, serilog.direct, serilog.line) == ("2.10.0", False, 77)
    assert serilog.path == ("serilog.sinks.console", "serilog")
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
