"""Package digests: every lockfile that records one gives it to its packages, in one spelling, for the SBOM.

Expected values were decoded from the lockfiles' own text with ``base64 -d | xxd -p`` (SRI) or read as written
(hex), so a parser that decodes the wrong field or the wrong way fails here.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest

from bastion.scanners.sca.digests import Digest, digest_from_hex, digest_from_prefixed, digests_from_sri
from bastion.scanners.sca.inventory import files_under, read_inventory
from bastion.scanners.sca.package import Package
from tests.scanners.sca.conftest import ASSETS

FAST_DEEP_EQUAL_SHA512 = Digest(
    "SHA-512",
    "7f7a90f68432f63d808417bf1fd542f75c0b98a042094fe00ce9ca340606e61b"
    "303bb04b2a3d3d1dce4760dcfd70623efb19690c22200da8ad56cd3701347ce1",
)


def packages(relative: str) -> dict[tuple[str, str], Package]:
    root, files = files_under((ASSETS / relative).resolve())
    inventory = read_inventory(root, files)
    assert not inventory.errors
    return {(p.name, p.version): p for p in inventory.packages}


def test_sri_decodes_to_hex_and_rejects_what_is_not_a_digest() -> None:
    raw = hashlib.sha256(b"bastion").digest()
    assert digests_from_sri(f"sha256-{base64.b64encode(raw).decode()}") == [Digest("SHA-256", raw.hex())]
    assert digests_from_sri("sha512-not*base64") == []
    assert digests_from_sri(f"sha512-{base64.b64encode(raw).decode()}") == []  # 32 bytes is not a SHA-512
    assert digests_from_sri(f"md5-{base64.b64encode(raw[:16]).decode()}") == []  # not an algorithm we trust
    assert digests_from_sri(None) == []


def test_hex_and_prefixed_digests_check_the_length() -> None:
    value = hashlib.sha1(b"bastion").hexdigest().upper()
    assert digest_from_hex("sha1", value) == Digest("SHA-1", value.lower())
    assert digest_from_hex("sha256", value) is None
    assert digest_from_hex("sha1", "") is None  # Composer writes an empty shasum for VCS dists
    assert digest_from_prefixed(f"sha256:{hashlib.sha256(b'x').hexdigest()}") is not None
    assert digest_from_prefixed("sha256:zz") is None
    assert digest_from_prefixed(42) is None


@pytest.mark.parametrize("relative", ["npm/panel-lock-v3/package-lock.json", "npm/jupyterlab-yarn-v1/yarn.lock"])
def test_npm_and_yarn_classic_integrity(relative: str) -> None:
    assert packages(relative)[("fast-deep-equal", "3.1.3")].digests == (FAST_DEEP_EQUAL_SHA512,)


def test_npm_lock_v1_keeps_sha1_integrity() -> None:
    found = packages("npm/panel-lock-v1/package-lock.json")
    assert found[("fast-deep-equal", "2.0.1")].digests == (Digest("SHA-1", "7b05218ddf9667bf7f370bf7fdb2cb15fdd0aa49"),)


def test_pnpm_resolution_integrity() -> None:
    found = packages("npm/gradio-pnpm-v9/pnpm-lock.yaml")
    assert found[("@ampproject/remapping", "2.3.0")].digests == (
        Digest(
            "SHA-512",
            "df4899b403e0cfe2d3218a1e8afa98a3ce777f4da305849de6e1a71a99055743"
            "37c4eb7d68def77ab920600999538df1e157ea7272f15bd2a98374792c2e1863",
        ),
    )


def test_yarn_berry_cache_checksums_are_not_package_digests() -> None:
    assert not any(p.digests for p in packages("npm/jupyterlab-yarn-berry/yarn.lock").values())


def test_cargo_checksum() -> None:
    found = packages("rust/orjson/Cargo.lock")
    assert found[("itoa", "1.0.9")].digests == (
        Digest("SHA-256", "af150ab688ff2122fcef229be89cb50dd66af9e01a4ff320cc137eecc9bacc38"),
    )


def test_python_lockfiles_keep_every_file_hash() -> None:
    poetry = packages("python/poetry-up-to-date/poetry.lock")[("idna", "2.10")]
    assert {d.value[:8] for d in poetry.digests} == {"b97d804b", "b307872f"}
    pdm = packages("python/pdm-demo/pdm.lock")[("click", "7.1.2")]
    assert {d.value[:8] for d in pdm.digests} == {"dacca89f", "d2b5255c"}
    uv = packages("python/uv.lock")[("anyio", "4.6.2.post1")]
    assert {d.value[:8] for d in uv.digests} == {"4c8bc31c", "6d170c36"}  # the sdist and the wheel
    pipfile = packages("python/pipenv-example/Pipfile.lock")
    (certifi,) = [p for (name, _), p in pipfile.items() if name == "certifi"]
    assert {d.value[:8] for d in certifi.digests} == {"539cc1d1", "92d60375"}
    assert all(d.algorithm == "SHA-256" for p in (poetry, pdm, uv, certifi) for d in p.digests)


def test_requirements_hash_options(tmp_path: Path) -> None:
    wheel, sdist = hashlib.sha256(b"wheel").hexdigest(), hashlib.sha256(b"sdist").hexdigest()
    (tmp_path / "requirements.txt").write_text(
        f"requests==2.32.3 \\\n    --hash=sha256:{wheel} \\\n    --hash sha256:{sdist}\nidna==3.7\n"
    )
    found = packages_in(tmp_path)
    assert {d.value for d in found[("requests", "2.32.3")].digests} == {wheel, sdist}
    assert found[("idna", "3.7")].digests == ()


def test_nuget_content_hash_composer_shasum_and_bundler_checksums(tmp_path: Path) -> None:
    nupkg = hashlib.sha512(b"nupkg").digest()
    (tmp_path / "packages.lock.json").write_text(
        '{"version": 1, "dependencies": {"net8.0": {"Newtonsoft.Json": {"type": "Direct", "requested": "[13.0.3, )",'
        f' "resolved": "13.0.3", "contentHash": "{base64.b64encode(nupkg).decode()}"}}}}}}}}'
    )
    shasum = hashlib.sha1(b"zip").hexdigest()
    (tmp_path / "composer.lock").write_text(
        '{"packages": [{"name": "monolog/monolog", "version": "3.5.0",'
        f' "dist": {{"type": "zip", "shasum": "{shasum}"}}}},'
        ' {"name": "psr/log", "version": "3.0.0", "dist": {"type": "zip", "shasum": ""}}], "packages-dev": []}'
    )
    gem = hashlib.sha256(b"gem").hexdigest()
    (tmp_path / "Gemfile.lock").write_text(
        "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (3.0.8)\n    nokogiri (1.16.3-x86_64-linux)\n\n"
        f"PLATFORMS\n  x86_64-linux\n\nDEPENDENCIES\n  rack\n\nCHECKSUMS\n  rack (3.0.8) sha256={gem}\n"
        "  nokogiri (1.16.3-arm64-darwin) sha256=" + "0" * 64 + "\n\nBUNDLED WITH\n   2.5.3\n"
    )
    found = packages_in(tmp_path)
    assert found[("Newtonsoft.Json", "13.0.3")].digests == (Digest("SHA-512", nupkg.hex()),)
    assert found[("monolog/monolog", "3.5.0")].digests == (Digest("SHA-1", shasum),)
    assert found[("psr/log", "3.0.0")].digests == ()
    assert found[("rack", "3.0.8")].digests == (Digest("SHA-256", gem),)
    assert found[("nokogiri", "1.16.3")].digests == ()  # that checksum is for another platform's gem


def packages_in(folder: Path) -> dict[tuple[str, str], Package]:
    root, files = files_under(folder.resolve())
    inventory = read_inventory(root, files)
    assert not inventory.errors, inventory.errors
    return {(p.name, p.version): p for p in inventory.packages}
