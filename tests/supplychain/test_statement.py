"""in-toto Statement v1: the payload we sign, validated by the reference in-toto-attestation bindings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from google.protobuf import json_format
from in_toto_attestation.v1 import statement_pb2
from in_toto_attestation.v1.statement import Statement as ReferenceStatement

from bastion.supplychain import PredicateType, ResourceDescriptor, SupplyChainError, parse_statement, statement_for
from bastion.supplychain.statement import subject_of


def test_subject_is_the_file_name_and_sha256(tmp_path: Path) -> None:
    (tmp_path / "app.whl").write_bytes(b"abc")
    subject = subject_of(tmp_path / "app.whl")
    assert subject.name == "app.whl"
    assert subject.digest == {"sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}


def test_our_statements_validate_with_the_in_toto_attestation_bindings() -> None:
    subject = ResourceDescriptor(name="app.whl", digest={"sha256": "ab" * 32})
    statement = statement_for([subject], PredicateType.GATE_DECISION.value, {"outcome": "pass"})
    payload = statement.to_bytes()
    reference = ReferenceStatement.copy_from_pb(json_format.Parse(payload, statement_pb2.Statement()))
    reference.validate()
    assert reference.pb.predicate_type == PredicateType.GATE_DECISION.value
    assert parse_statement(payload, "x") == statement
    assert json.loads(payload)["_type"] == "https://in-toto.io/Statement/v1"


def test_statements_from_the_reference_bindings_parse() -> None:
    reference = ReferenceStatement([], PredicateType.SLSA_PROVENANCE.value, {"buildDefinition": {}})
    reference.pb.subject.add(name="a.tar.gz", digest={"sha256": "cd" * 32})
    statement = parse_statement(json_format.MessageToJson(reference.pb).encode(), "ref")
    assert statement.names_digest("sha256", "CD" * 32)


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ({"_type": "https://in-toto.io/Statement/v0.1", "subject": [], "predicateType": "x", "predicate": {}}, "_type"),
        ({"_type": "https://in-toto.io/Statement/v1", "subject": [], "predicateType": "x", "predicate": {}}, "subject"),
        (
            {
                "_type": "https://in-toto.io/Statement/v1",
                "subject": [{"name": "a"}],
                "predicateType": "x",
                "predicate": {},
            },
            "subject 0 has no digest",
        ),
        (
            {
                "_type": "https://in-toto.io/Statement/v1",
                "subject": [{"name": "a", "digest": {"sha256": "0"}}],
                "predicateType": "x",
                "predicate": {},
                "extra": 1,
            },
            "extra",
        ),
        (
            {
                "_type": "https://in-toto.io/Statement/v1",
                "subject": [{"name": "a", "digest": {"sha256": "0"}}],
                "predicateType": "x",
            },
            "predicate",
        ),
    ],
)
def test_malformed_statements_are_one_line_errors(document: dict[str, object], problem: str) -> None:
    with pytest.raises(SupplyChainError, match=r"^b.jsonl:2: not an in-toto Statement v1: .*") as caught:
        parse_statement(json.dumps(document).encode(), "b.jsonl:2")
    assert problem in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_payload_that_is_not_json_is_an_error() -> None:
    with pytest.raises(SupplyChainError, match=r"^x: payload is not JSON"):
        parse_statement(b"\xff\x00", "x")
