"""Sigstore keyless signing (the ``[sigstore]`` extra), offline: options, policy, bundles the real parser and verifier
reject, the missing extra, network failures, and bundles from a private Sigstore instance (``sigstore_instance.py``)
that the real verifier accepts, whose statements then count for the verify requirements. Nothing here reaches the
network.

Not covered offline: signing against Fulcio and Rekor, and a bundle the public instance issued.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bastion.supplychain import (
    INTOTO_PAYLOAD_TYPE,
    PredicateType,
    SupplyChainError,
    load_policy,
    pae,
    statement_for,
    subject_of,
    verify_artifact,
)
from bastion.supplychain.sigstore_signing import (
    INSTALL_HINT,
    find_sigstore_bundles,
    read_sigstore_bundle,
    sigstore_bundle_path,
    verify_sigstore_bundles,
)
from tests.supplychain.conftest import Evidence
from tests.supplychain.sigstore_instance import SigstoreInstance, bundle_json
from tests.supplychain.test_verify import CLEAN_POLICY, NOW

pytest.importorskip("sigstore", reason="the [sigstore] extra is part of .[dev]")

IDENTITY = "release@example.com"
ISSUER = "https://accounts.example.com"
TRUST_IDENTITY = f"sigstore_identities:\n  - {{identity: {IDENTITY}, issuer: '{ISSUER}'}}\n"
ALLOWED = (
    "allowed_builders: ['https://ci.example.com/bastion']\nallowed_repositories: ['https://github.com/acme/shop']\n"
)
SIGSTORE_POLICY = TRUST_IDENTITY + ALLOWED
REJECTED = r"Sigstore verification failed: (CertValidationError|VerificationError): failed to build (\w+ )*chain"
"""No certificate chain to Fulcio's root (sigstore 4 says CertValidationError, sigstore 3 VerificationError)."""


@pytest.fixture(autouse=True)
def _private_sigstore_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """sigstore keeps its TUF trust root under the XDG folders: one of our own per test, never the user's."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg-cache"), "XDG_DATA_HOME": str(tmp_path / "xdg-data")}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def _bastion(
    *args: str, cwd: Path, env: dict[str, str], hide_sigstore: bool = False
) -> subprocess.CompletedProcess[str]:
    """The real CLI in a child process; ``hide_sigstore`` makes ``import sigstore`` fail there as if not installed."""
    hide = "sys.modules['sigstore'] = None; " if hide_sigstore else ""
    code = f"import sys; {hide}sys.argv = ['bastion', *sys.argv[1:]]; from bastion.cli.main import main; main()"
    ambient = ("GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "CIRCLECI", "SIGSTORE_IDENTITY_TOKEN", "SIGSTORE_ID_TOKEN")
    base = {k: v for k, v in os.environ.items() if k not in ambient}
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**base, **env},
        timeout=120,
        check=False,
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _jwt(**claims: object) -> str:
    """An unsigned OIDC token with the claims Sigstore needs (sigstore forwards it to Fulcio unverified)."""
    now = int(time.time())
    body = {"aud": "sigstore", "sub": IDENTITY, "email": IDENTITY, "iss": ISSUER, "iat": now, "exp": now + 600}

    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part({**body, **claims})}.c2ln"


def _forged_bundle(payload: bytes) -> str:
    """A well-formed Sigstore bundle v0.3 whose DSSE signature is good, but by a self-made certificate claiming
    the trusted identity (no Fulcio chain) and with made-up Rekor evidence: what an attacker without Fulcio can
    produce."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    public = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "sigstore.dev")]))
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(minutes=10))
        .add_extension(x509.SubjectAlternativeName([x509.RFC822Name(IDENTITY)]), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False)
        .add_extension(
            x509.UnrecognizedExtension(ObjectIdentifier("1.3.6.1.4.1.57264.1.1"), ISSUER.encode()), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    signature = key.sign(pae(INTOTO_PAYLOAD_TYPE, payload), ec.ECDSA(hashes.SHA256()))
    digest = _b64(hashlib.sha256(payload).digest())
    entry = {
        "logIndex": "1",
        "logId": {"keyId": digest},
        "kindVersion": {"kind": "dsse", "version": "0.0.1"},
        "integratedTime": str(int(now.timestamp())),
        "inclusionPromise": {"signedEntryTimestamp": _b64(b"forged")},
        "inclusionProof": {
            "logIndex": "1",
            "rootHash": digest,
            "treeSize": "2",
            "hashes": [digest],
            "checkpoint": {"envelope": f"rekor.sigstore.dev - 1\n2\n{digest}\n\n\u2014 rekor.sigstore.dev AAAA\n"},
        },
        "canonicalizedBody": _b64(json.dumps({"apiVersion": "0.0.1", "kind": "dsse", "spec": {}}).encode()),
    }
    return bundle_json(certificate, entry, payload, signature)


def _gate_statement(made: Evidence) -> bytes:
    """The DSSE payload of the fixture's gate decision, as a keyless signer would have signed it."""
    for line in made.bundle.read_text().splitlines():
        payload = base64.b64decode(json.loads(line)["payload"])
        if json.loads(payload)["predicateType"] == PredicateType.GATE_DECISION.value:
            return payload
    raise AssertionError("the fixture signed no gate decision")


# --- naming ----------------------------------------------------------------------------------------------------


def test_bundles_are_named_per_kind_and_found_beside_the_artifact_only(tmp_path: Path) -> None:
    artifact = tmp_path / "shop[1].tar.gz"
    artifact.write_bytes(b"x")
    assert {sigstore_bundle_path(artifact, kind).name for kind in PredicateType} == {
        f"shop[1].tar.gz.{kind}.sigstore.json"
        for kind in ("slsa-provenance", "gate-decision", "scan-results", "cyclonedx", "spdx")
    }
    for name in (
        "shop[1].tar.gz.gate-decision.sigstore.json",
        "shop[1].tar.gz.slsa-provenance.sigstore.json",
        "shop[1].tar.gz.intoto.jsonl",  # the DSSE bundle
        "shop[1].tar.gz2.provenance.sigstore.json",  # another artifact's
        "shop[1].tar.gz.sigstore.json.bak",
    ):
        (tmp_path / name).write_text("{}")
    assert [p.name for p in find_sigstore_bundles(artifact)] == [
        "shop[1].tar.gz.gate-decision.sigstore.json",
        "shop[1].tar.gz.slsa-provenance.sigstore.json",
    ]


# --- policy ----------------------------------------------------------------------------------------------------


def test_a_policy_may_trust_sigstore_identities_instead_of_keys(tmp_path: Path) -> None:
    path = tmp_path / "policy.yml"
    path.write_text(SIGSTORE_POLICY + "sigstore_instance: staging\n")
    policy, keys = load_policy(path)
    assert keys == []
    assert [(i.identity, i.issuer) for i in policy.sigstore_identities] == [(IDENTITY, ISSUER)]
    assert policy.sigstore_instance == "staging"


@pytest.mark.parametrize(
    ("entries", "problem"),
    [
        (f"[{{identity: {IDENTITY}}}]", "sigstore_identities.0.issuer: Field required"),
        (f"[{{identity: '', issuer: '{ISSUER}'}}]", "sigstore_identities.0.identity: String should have at least 1"),
        (f"[{{identity: {IDENTITY}, issuer: '{ISSUER}', san: x}}]", "sigstore_identities.0.san: Extra inputs"),
        (f"{{identity: {IDENTITY}, issuer: '{ISSUER}'}}", "sigstore_identities: Input should be a valid tuple"),
        (f"['{IDENTITY}']", "sigstore_identities.0: Input should be a valid dictionary"),
        ("[]", "trusted_keys: the policy trusts no signer: list a key, or sigstore_identities"),
    ],
)
def test_bad_sigstore_identities_are_one_line_errors_naming_the_policy(
    tmp_path: Path, entries: str, problem: str
) -> None:
    path = tmp_path / "policy.yml"
    path.write_text(f"sigstore_identities: {entries}\n{ALLOWED}")
    with pytest.raises(SupplyChainError) as caught:
        load_policy(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {problem}"), message
    assert "\n" not in message


# --- verify ----------------------------------------------------------------------------------------------------

NOT_BUNDLES = {
    "not JSON": "definitely not json",
    "empty": "",
    "a JSON list": "[]",
    "an empty object": "{}",
}


@pytest.mark.parametrize("content", list(NOT_BUNDLES.values()), ids=list(NOT_BUNDLES))
def test_a_file_that_is_not_a_sigstore_bundle_fails_signature_in_one_line(
    evidence: Callable[..., Evidence], osv_db: Path, content: str
) -> None:
    made = evidence()
    made.policy.write_text(made.policy.read_text() + TRUST_IDENTITY)
    stray = sigstore_bundle_path(made.artifact, PredicateType.GATE_DECISION)
    stray.write_text(content)
    policy, keys = load_policy(made.policy)
    result = verify_artifact(made.artifact, made.bundle, policy, keys, store_path=osv_db)
    signature = result.results[0]
    assert not signature.passed
    # sigstore 4 wraps every parse error in InvalidBundle; sigstore 3 lets json's and pydantic's through
    message = signature.message
    assert re.fullmatch(rf"{re.escape(str(stray))}: not a Sigstore bundle: \w+: .+", message), message
    assert "\n" not in message


def test_a_dsse_envelope_renamed_to_sigstore_json_is_not_a_bundle(evidence: Callable[..., Evidence]) -> None:
    made = evidence()
    path = sigstore_bundle_path(made.artifact, PredicateType.SLSA_PROVENANCE)
    path.write_text(made.bundle.read_text().splitlines()[0])
    with pytest.raises(SupplyChainError, match=r"not a Sigstore bundle: InvalidBundle: "):
        read_sigstore_bundle(path)


def test_a_bundle_with_a_certificate_that_is_not_der_is_rejected(tmp_path: Path) -> None:
    document = json.loads(_forged_bundle(b"{}"))
    document["verificationMaterial"]["certificate"]["rawBytes"] = "AAAA"
    path = tmp_path / "a.gate-decision.sigstore.json"
    path.write_text(json.dumps(document))
    with pytest.raises(SupplyChainError, match=r"a.gate-decision.sigstore.json: not a Sigstore bundle: ValueError: "):
        read_sigstore_bundle(path)


def test_a_forged_bundle_is_rejected_by_the_real_verifier_offline(
    evidence: Callable[..., Evidence], osv_db: Path
) -> None:
    """Well-formed, signature good, the trusted identity claimed, but no chain to Fulcio: signature fails, and the
    statement it carries is not used for the other requirements."""
    made = evidence(attestations=(PredicateType.SLSA_PROVENANCE,))  # no DSSE gate decision
    forged = sigstore_bundle_path(made.artifact, PredicateType.GATE_DECISION)
    gate = statement_for([subject_of(made.artifact)], PredicateType.GATE_DECISION.value, {"outcome": "pass"})
    forged.write_text(_forged_bundle(gate.to_bytes()))
    made.policy.write_text(made.policy.read_text() + TRUST_IDENTITY)
    policy, keys = load_policy(made.policy)
    result = verify_artifact(made.artifact, made.bundle, policy, keys, store_path=osv_db, sigstore_offline=True)
    lines = {r.requirement.value: r for r in result.results}
    assert not lines["signature"].passed
    assert re.match(rf"{re.escape(str(forged))}: {REJECTED}", lines["signature"].message), lines["signature"].message
    assert lines["provenance"].passed  # the DSSE provenance still counts
    assert lines["gate"].message == "no verified gate decision attestation for the artifact"


def test_without_a_dsse_bundle_only_the_sigstore_bundles_are_read(tmp_path: Path) -> None:
    artifact = tmp_path / "app.whl"
    artifact.write_bytes(b"wheel")
    statement = statement_for([subject_of(artifact)], PredicateType.SLSA_PROVENANCE.value, {})
    sigstore_bundle_path(artifact, PredicateType.SLSA_PROVENANCE).write_text(_forged_bundle(statement.to_bytes()))
    policy_file = tmp_path / "policy.yml"
    policy_file.write_text(SIGSTORE_POLICY)
    policy, keys = load_policy(policy_file)
    result = verify_artifact(
        artifact, tmp_path / "app.whl.intoto.jsonl", policy, keys, store_path=tmp_path / "osv.db", sigstore_offline=True
    )
    message = result.results[0].message
    assert "cannot read attestation bundle" not in message
    assert re.search(rf"app\.whl\.slsa-provenance\.sigstore\.json: {REJECTED}", message), message


def test_sigstore_bundles_need_a_trusted_identity_in_the_policy(
    evidence: Callable[..., Evidence], osv_db: Path
) -> None:
    made = evidence()
    bundle = sigstore_bundle_path(made.artifact, PredicateType.SLSA_PROVENANCE)
    bundle.write_text(_forged_bundle(b"{}"))
    policy, keys = load_policy(made.policy)  # trusted_keys only
    result = verify_artifact(made.artifact, made.bundle, policy, keys, store_path=osv_db)
    assert result.results[0].line() == (
        f"FAIL signature: {bundle}: the verify policy trusts no Sigstore identity (sigstore_identities)"
    )


def test_verify_sigstore_bundles_without_bundles_does_nothing() -> None:
    assert verify_sigstore_bundles([], []) == ([], [])


# --- the CLI ---------------------------------------------------------------------------------------------------


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "app.tgz").write_bytes(b"app\n")
    return tmp_path


PROVENANCE = (
    "attest",
    "provenance",
    "app.tgz",
    "--builder-id",
    "https://ci.example.com/bastion",
    "--repository",
    "https://github.com/acme/shop",
    "--commit",
    "3f2a9c1d",
)


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ((), "error: give exactly one of --key KEY or --sigstore"),
        (("--key", "release", "--sigstore"), "error: give exactly one of --key KEY or --sigstore"),
        (("--key", "release", "--identity-token", "t"), "error: --identity-token and --staging go with --sigstore"),
        (("--key", "release", "--staging"), "error: --identity-token and --staging go with --sigstore"),
        (("--sigstore", "--passphrase-env", "P"), "error: --passphrase-env goes with --key, not --sigstore"),
    ],
)
def test_exactly_one_of_key_and_sigstore(
    workdir: Path, _private_sigstore_dirs: dict[str, str], options: tuple[str, ...], problem: str
) -> None:
    done = _bastion(*PROVENANCE, *options, cwd=workdir, env=_private_sigstore_dirs)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(problem), done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert sorted(p.name for p in workdir.iterdir() if p.is_file()) == ["app.tgz"]


def test_without_the_extra_attest_sigstore_says_how_to_install_it(
    workdir: Path, _private_sigstore_dirs: dict[str, str]
) -> None:
    done = _bastion(*PROVENANCE, "--sigstore", cwd=workdir, env=_private_sigstore_dirs, hide_sigstore=True)
    assert done.returncode == 2
    assert done.stderr == f"error: {INSTALL_HINT}\n"
    assert 'pip install "bastion[sigstore]"' in done.stderr


def test_without_the_extra_verify_fails_sigstore_bundles_and_says_why(
    workdir: Path, _private_sigstore_dirs: dict[str, str]
) -> None:
    (workdir / "policy.yml").write_text(SIGSTORE_POLICY)
    (workdir / "app.tgz.slsa-provenance.sigstore.json").write_text("{}")
    done = _bastion(
        "verify", "app.tgz", "--policy", "policy.yml", cwd=workdir, env=_private_sigstore_dirs, hide_sigstore=True
    )
    assert done.returncode == 1
    first = done.stdout.splitlines()[0]
    assert (
        first
        == f"FAIL signature: app.tgz.slsa-provenance.sigstore.json: cannot verify a Sigstore bundle: {INSTALL_HINT}"
    )
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("instance", ["production", "staging"])
def test_a_network_failure_is_one_line_and_exit_1(
    workdir: Path, _private_sigstore_dirs: dict[str, str], instance: str
) -> None:
    """The token comes from GitLab's ambient credential (``SIGSTORE_ID_TOKEN``); every HTTPS request goes to a
    proxy on a closed local port, so the TUF refresh fails like an unreachable network, without using one."""
    env = {
        **_private_sigstore_dirs,
        "GITLAB_CI": "true",
        "SIGSTORE_ID_TOKEN": _jwt(),
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
        "NO_PROXY": "",
        "no_proxy": "",
    }
    staging = ("--staging",) if instance == "staging" else ()
    done = _bastion(*PROVENANCE, "--sigstore", *staging, cwd=workdir, env=env)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(f"error: Sigstore {instance}: TUFError: Failed to refresh TUF metadata"), done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert not sigstore_bundle_path(workdir / "app.tgz", PredicateType.SLSA_PROVENANCE).exists()


@pytest.mark.parametrize(
    ("token", "problem"),
    [
        ("not-a-jwt", "error: the OIDC identity token is not usable for Sigstore: IdentityError: Identity token is"),
        (_jwt(aud="someone-else"), "error: the OIDC identity token is not usable for Sigstore: IdentityError: "),
    ],
)
def test_an_unusable_identity_token_is_bad_input(
    workdir: Path, _private_sigstore_dirs: dict[str, str], token: str, problem: str
) -> None:
    env = {**_private_sigstore_dirs, "HTTPS_PROXY": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"}
    done = _bastion(*PROVENANCE, "--sigstore", "--identity-token", token, cwd=workdir, env=env)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(problem), done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_no_identity_at_all_is_bad_input(workdir: Path, _private_sigstore_dirs: dict[str, str]) -> None:
    done = _bastion(*PROVENANCE, "--sigstore", cwd=workdir, env=_private_sigstore_dirs)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: no OIDC identity for Sigstore: pass --identity-token, set SIGSTORE_")
    assert len(done.stderr.splitlines()) == 1


def test_verify_cli_reports_a_forged_bundle_in_one_line(
    evidence: Callable[..., Evidence], osv_db: Path, _private_sigstore_dirs: dict[str, str]
) -> None:
    made = evidence()
    made.policy.write_text(made.policy.read_text() + TRUST_IDENTITY)
    sigstore_bundle_path(made.artifact, PredicateType.GATE_DECISION).write_text(_forged_bundle(_gate_statement(made)))
    done = _bastion(
        "verify",
        made.artifact.name,
        "--policy",
        "policy.yml",
        "--osv-db",
        str(osv_db),
        "--sigstore-offline",
        cwd=made.folder,
        env=_private_sigstore_dirs,
    )
    assert done.returncode == 1
    first = done.stdout.splitlines()[0]
    assert re.match(rf"FAIL signature: shop-1\.0\.tar\.gz\.gate-decision\.sigstore\.json: {REJECTED}", first), first
    assert done.stderr == ""


def test_verify_without_the_network_cannot_refresh_the_trust_root_and_says_so(
    evidence: Callable[..., Evidence], osv_db: Path, _private_sigstore_dirs: dict[str, str]
) -> None:
    """Without ``--sigstore-offline`` the trust root is refreshed over TUF; here every request hits a closed port."""
    made = evidence()
    made.policy.write_text(made.policy.read_text() + TRUST_IDENTITY)
    sigstore_bundle_path(made.artifact, PredicateType.GATE_DECISION).write_text(_forged_bundle(_gate_statement(made)))
    env = {**_private_sigstore_dirs, "HTTPS_PROXY": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"}
    env |= {"NO_PROXY": "", "no_proxy": ""}
    done = _bastion(
        "verify", made.artifact.name, "--policy", "policy.yml", "--osv-db", str(osv_db), cwd=made.folder, env=env
    )
    assert done.returncode == 1
    assert done.stdout.splitlines()[0].startswith(
        "FAIL signature: shop-1.0.tar.gz.gate-decision.sigstore.json: cannot verify: the Sigstore production trust"
        " root: TUFError: "
    ), done.stdout
    assert done.stderr == ""


# --- a private Sigstore instance: bundles the real verifier accepts, offline ---------------------------------


@pytest.fixture
def instance(tmp_path: Path) -> SigstoreInstance:
    """A private Sigstore instance whose trusted root is ``trusted_root.json`` in the test folder."""
    import sigstore.models

    if not hasattr(sigstore.models, "TrustedRoot"):
        pytest.skip("a sigstore_trust_root needs sigstore 4")
    made = SigstoreInstance()
    (tmp_path / "trusted_root.json").write_text(made.trusted_root())
    return made


PRIVATE = TRUST_IDENTITY + "sigstore_trust_root: trusted_root.json\n"


def _sign_keyless(instance: SigstoreInstance, made: Evidence, kind: PredicateType, identity: str = IDENTITY) -> Path:
    predicate = _predicates(made)[kind]
    statement = statement_for([subject_of(made.artifact)], kind.value, predicate)
    path = sigstore_bundle_path(made.artifact, kind)
    path.write_text(instance.bundle(statement.to_bytes(), identity, ISSUER))
    return path


def _move_gate_to_sigstore(instance: SigstoreInstance, made: Evidence) -> Path:
    """Sign the gate decision keyless, and leave the DSSE bundle everything else."""
    gate = _sign_keyless(instance, made, PredicateType.GATE_DECISION)
    kept = [line for line in made.bundle.read_text().splitlines() if "gate-decision" not in _predicate_type(line)]
    made.bundle.write_text("\n".join(kept) + "\n")
    return gate


def _predicate_type(line: str) -> str:
    return str(json.loads(base64.b64decode(json.loads(line)["payload"]))["predicateType"])


def _predicates(made: Evidence) -> dict[PredicateType, dict[str, object]]:
    """The predicates the fixture signed with its key, read back from its DSSE bundle."""
    found = {}
    for line in made.bundle.read_text().splitlines():
        statement = json.loads(base64.b64decode(json.loads(line)["payload"]))
        found[PredicateType(statement["predicateType"])] = statement["predicate"]
    return found


def test_a_keyless_gate_decision_counts_like_a_signed_one(
    evidence: Callable[..., Evidence], osv_db: Path, instance: SigstoreInstance
) -> None:
    made = evidence()
    gate = _move_gate_to_sigstore(instance, made)
    made.policy.write_text(CLEAN_POLICY + PRIVATE)
    policy, keys = load_policy(made.policy)
    result = verify_artifact(made.artifact, made.bundle, policy, keys, store_path=osv_db, now=NOW)
    lines = [r.line() for r in result.results]
    assert result.passed, lines
    key = made.key.public.keyid[:12]
    assert lines[0] == (
        f"PASS signature: 3 attestation(s) in shop-1.0.tar.gz.intoto.jsonl signed by trusted key(s) {key}; 1 Sigstore"
        f" bundle(s) signed by trusted identity(ies) {IDENTITY} ({ISSUER})"
    )
    assert lines[1].endswith("is the subject of 4 attestation(s)")
    assert lines[3] == "PASS gate: gate pass by policy default 3.1 day(s) ago"
    assert gate.name == "shop-1.0.tar.gz.gate-decision.sigstore.json"


def test_keyless_evidence_alone_passes_every_requirement(
    evidence: Callable[..., Evidence], osv_db: Path, instance: SigstoreInstance, _private_sigstore_dirs: dict[str, str]
) -> None:
    made = evidence()
    for kind in (PredicateType.SLSA_PROVENANCE, PredicateType.GATE_DECISION, PredicateType.CYCLONEDX):
        _sign_keyless(instance, made, kind)
    made.bundle.unlink()
    clean = CLEAN_POLICY.replace("trusted_keys: [release.pub]\n", "")
    made.policy.write_text(clean + PRIVATE)
    policy, keys = load_policy(made.policy)
    result = verify_artifact(made.artifact, made.bundle, policy, keys, store_path=osv_db, now=NOW)
    assert result.passed, [r.line() for r in result.results]
    assert result.results[0].line() == (
        f"PASS signature: 3 Sigstore bundle(s) signed by trusted identity(ies) {IDENTITY} ({ISSUER})"
    )
    # and through the real CLI, whose clock is today's: only the gate's age differs
    done = _bastion(
        "verify", made.artifact.name, "--policy", "policy.yml", "--osv-db", str(osv_db),
        cwd=made.folder, env=_private_sigstore_dirs,
    )  # fmt: skip
    assert done.stderr == ""
    assert done.stdout.splitlines()[0] == result.results[0].line()
    assert "FAIL gate: " in done.stdout and "gate attestation expired" in done.stdout


@pytest.mark.parametrize(
    ("trusted", "problem"),
    [
        (
            f"{{identity: someone@example.com, issuer: '{ISSUER}'}}",
            "Certificate's SANs do not match someone@example.com",
        ),
        (
            f"{{identity: {IDENTITY}, issuer: 'https://other.example.com'}}",
            "Certificate's OIDCIssuer does not match",
        ),
    ],
)
def test_a_keyless_signature_by_another_identity_is_not_trusted(
    evidence: Callable[..., Evidence], osv_db: Path, instance: SigstoreInstance, trusted: str, problem: str
) -> None:
    made = evidence()
    gate = _move_gate_to_sigstore(instance, made)
    made.policy.write_text(CLEAN_POLICY + f"sigstore_identities: [{trusted}]\nsigstore_trust_root: trusted_root.json\n")
    policy, keys = load_policy(made.policy)
    result = verify_artifact(made.artifact, made.bundle, policy, keys, store_path=osv_db, now=NOW)
    failed = {r.requirement.value: r.message for r in result.results if not r.passed}
    assert failed["signature"].startswith(f"{gate}: Sigstore verification failed: VerificationError: {problem}")
    assert failed["gate"] == "no verified gate decision attestation for the artifact"


def test_a_tampered_keyless_statement_fails(
    evidence: Callable[..., Evidence], osv_db: Path, instance: SigstoreInstance
) -> None:
    made = evidence()
    gate = _sign_keyless(instance, made, PredicateType.GATE_DECISION)
    document = json.loads(gate.read_text())
    statement = json.loads(base64.b64decode(document["dsseEnvelope"]["payload"]))
    statement["predicate"]["outcome"] = "pass" if statement["predicate"]["outcome"] != "pass" else "warn"
    document["dsseEnvelope"]["payload"] = base64.b64encode(json.dumps(statement).encode()).decode()
    gate.write_text(json.dumps(document))
    made.policy.write_text(CLEAN_POLICY + PRIVATE)
    policy, keys = load_policy(made.policy)
    result = verify_artifact(made.artifact, made.bundle, policy, keys, store_path=osv_db, now=NOW)
    assert result.results[0].message.startswith(f"{gate}: Sigstore verification failed: "), result.results[0]


def test_a_missing_or_unusable_trust_root_is_one_line(
    evidence: Callable[..., Evidence], osv_db: Path, instance: SigstoreInstance
) -> None:
    made = evidence()
    _sign_keyless(instance, made, PredicateType.GATE_DECISION)
    made.policy.write_text(CLEAN_POLICY + TRUST_IDENTITY + "sigstore_trust_root: nowhere.json\n")
    with pytest.raises(SupplyChainError, match=r"policy.yml: sigstore_trust_root: .*nowhere.json: no such file$"):
        load_policy(made.policy)
    (made.folder / "trusted_root.json").write_text("{}")
    made.policy.write_text(CLEAN_POLICY + PRIVATE)
    policy, keys = load_policy(made.policy)
    message = verify_artifact(made.artifact, made.bundle, policy, keys, store_path=osv_db, now=NOW).results[0].message
    assert re.fullmatch(r".*gate-decision.sigstore.json: cannot verify: .*trusted_root.json: not a usable Sigstore"
                        r" trusted root: ValidationError: .+", message), message  # fmt: skip
    assert "\n" not in message


def test_with_several_trusted_identities_any_one_will_do(
    evidence: Callable[..., Evidence], osv_db: Path, instance: SigstoreInstance
) -> None:
    made = evidence()
    gate = _move_gate_to_sigstore(instance, made)
    others = f"  - {{identity: other@example.com, issuer: '{ISSUER}'}}\n"
    made.policy.write_text(CLEAN_POLICY + PRIVATE.replace("sigstore_identities:\n", "sigstore_identities:\n" + others))
    policy, keys = load_policy(made.policy)
    assert verify_artifact(made.artifact, made.bundle, policy, keys, store_path=osv_db, now=NOW).passed
    made.policy.write_text(
        CLEAN_POLICY
        + f"sigstore_identities:\n{others}  - {{identity: third@example.com, issuer: '{ISSUER}'}}\n"
        + "sigstore_trust_root: trusted_root.json\n"
    )
    policy, keys = load_policy(made.policy)
    result = verify_artifact(made.artifact, made.bundle, policy, keys, store_path=osv_db, now=NOW)
    assert result.results[0].message.startswith(
        f"{gate}: Sigstore verification failed: the certificate's identity is none of the 2 sigstore_identities ("
    ), result.results[0].message
