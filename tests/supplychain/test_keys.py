"""Keys: Ed25519 and ECDSA P-256 pairs, 0600 private files, passphrases, key ids and unknown formats."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from bastion.supplychain import (
    KeyAlgorithm,
    SupplyChainError,
    generate_key,
    load_private_key,
    load_public_key,
    write_key_pair,
)
from tests.supplychain.conftest import supplychain_asset


@pytest.mark.parametrize("algorithm", list(KeyAlgorithm))
def test_key_pair_round_trips_through_files_with_a_private_mode_0600(tmp_path: Path, algorithm: KeyAlgorithm) -> None:
    key = generate_key(algorithm)
    private, public = write_key_pair(key, tmp_path / "release")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert public.name == "release.pub"
    assert load_private_key(private).public.keyid == key.public.keyid == load_public_key(public).keyid
    assert load_public_key(public).algorithm is algorithm
    signature = load_private_key(private).sign(b"data")
    assert load_public_key(public).verifies(signature, b"data")
    assert not load_public_key(public).verifies(signature, b"datb")


def test_passphrase_encrypts_the_private_key(tmp_path: Path) -> None:
    private, _ = write_key_pair(generate_key(KeyAlgorithm.ECDSA_P256), tmp_path / "k", b"correct horse")
    assert b"ENCRYPTED PRIVATE KEY" in private.read_bytes()
    assert load_private_key(private, b"correct horse").algorithm is KeyAlgorithm.ECDSA_P256
    with pytest.raises(SupplyChainError, match=r"k: wrong passphrase"):
        load_private_key(private, b"wrong")
    with pytest.raises(SupplyChainError, match=r"k: private key is encrypted: a passphrase is needed"):
        load_private_key(private)


def test_key_files_are_never_overwritten(tmp_path: Path) -> None:
    write_key_pair(generate_key(KeyAlgorithm.ED25519), tmp_path / "k")
    with pytest.raises(SupplyChainError, match="already exists"):
        write_key_pair(generate_key(KeyAlgorithm.ED25519), tmp_path / "k")


def test_unknown_key_format_is_one_line_naming_the_file() -> None:
    path = supplychain_asset("key.unknown-format.pub")
    with pytest.raises(SupplyChainError) as caught:
        load_public_key(path)
    assert str(caught.value) == f"{path}: unknown key format: not a PEM Ed25519 or ECDSA P-256 public key"
    with pytest.raises(SupplyChainError, match="unknown key format"):
        load_private_key(path)


def test_other_key_types_are_refused(tmp_path: Path) -> None:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    (tmp_path / "rsa.pub").write_bytes(
        rsa_key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    with pytest.raises(SupplyChainError, match=r"rsa.pub: unsupported key type RSA: use Ed25519 or ECDSA P-256"):
        load_public_key(tmp_path / "rsa.pub")
    p384 = ec.generate_private_key(ec.SECP384R1())
    (tmp_path / "p384.pem").write_bytes(
        p384.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    with pytest.raises(SupplyChainError, match="unsupported key type ECDSA secp384r1"):
        load_private_key(tmp_path / "p384.pem")


def test_missing_key_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(SupplyChainError, match=r"nope.pub: cannot read key: No such file"):
        load_public_key(tmp_path / "nope.pub")


def test_key_id_is_the_sha256_of_the_public_key_der() -> None:
    import hashlib

    key = generate_key(KeyAlgorithm.ED25519)
    der = key.public.key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert key.public.keyid == hashlib.sha256(der).hexdigest()
