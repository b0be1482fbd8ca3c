"""Attestation bundles: JSON lines of envelopes, a single indented envelope, and malformed files."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.supplychain import KeyAlgorithm, SupplyChainError, append_envelope, generate_key, read_bundle
from bastion.supplychain.dsse import sign


def test_appended_envelopes_are_read_back_with_their_line(tmp_path: Path) -> None:
    key = generate_key(KeyAlgorithm.ED25519)
    bundle = tmp_path / "a.intoto.jsonl"
    append_envelope(bundle, sign(b"one", [key]))
    append_envelope(bundle, sign(b"two", [key]))
    read = read_bundle(bundle)
    assert [b.source for b in read] == [f"{bundle}:1", f"{bundle}:2"]


def test_a_single_indented_envelope_is_read(tmp_path: Path) -> None:
    envelope = sign(b"one", [generate_key(KeyAlgorithm.ED25519)])
    (tmp_path / "e.json").write_text(envelope.model_dump_json(by_alias=True, indent=2))
    assert read_bundle(tmp_path / "e.json")[0].envelope == envelope


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "holds no envelope"),
        ('{"payload": "", "payloadType": "x", "signatures": []}\n{not json\n', ":2: not a JSON envelope"),
        ('{"payload": "", "signatures": []}\n', ":1: not a DSSE envelope: payloadType: Field required"),
        ('{"payload": "", "payloadType": "x", "signatures": [], "extra": 1}\n', ":1: not a DSSE envelope: extra"),
    ],
)
def test_malformed_bundles_are_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "b.jsonl").write_text(text)
    with pytest.raises(SupplyChainError, match=message):
        read_bundle(tmp_path / "b.jsonl")


def test_a_missing_bundle_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(SupplyChainError, match=r"b.jsonl: cannot read attestation bundle: No such file"):
        read_bundle(tmp_path / "b.jsonl")
