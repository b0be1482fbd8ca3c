"""Supply chain: SBOMs, in-toto attestations in DSSE envelopes, signing keys, and verification before deploy."""

from __future__ import annotations

from bastion.supplychain.attestation import VerifiedStatement, attest, verified_statements
from bastion.supplychain.bundle import BundledEnvelope, append_envelope, bundle_path, read_bundle
from bastion.supplychain.dsse import INTOTO_PAYLOAD_TYPE, Envelope, EnvelopeSignature, VerifiedPayload, pae
from bastion.supplychain.errors import SupplyChainError
from bastion.supplychain.keys import (
    KeyAlgorithm,
    KeyId,
    PrivateKey,
    PublicKey,
    generate_key,
    load_private_key,
    load_public_key,
    write_key_pair,
)
from bastion.supplychain.policy import VerifyPolicy, VulnerabilityException, VulnerabilityPolicy, load_policy
from bastion.supplychain.predicates import GatePredicate, PredicateType, gate_predicate, scan_predicate
from bastion.supplychain.provenance import (
    BuildSource,
    ProvenanceFacts,
    provenance_predicate,
    read_provenance,
    source_of,
)
from bastion.supplychain.run_report import ReportDocument, read_report
from bastion.supplychain.statement import ResourceDescriptor, Statement, parse_statement, statement_for, subject_of
from bastion.supplychain.verify import Requirement, RequirementResult, Verification, verify_artifact

__all__ = [
    "INTOTO_PAYLOAD_TYPE",
    "BuildSource",
    "BundledEnvelope",
    "Envelope",
    "EnvelopeSignature",
    "GatePredicate",
    "KeyAlgorithm",
    "KeyId",
    "PredicateType",
    "PrivateKey",
    "ProvenanceFacts",
    "PublicKey",
    "ReportDocument",
    "Requirement",
    "RequirementResult",
    "ResourceDescriptor",
    "Statement",
    "SupplyChainError",
    "Verification",
    "VerifiedPayload",
    "VerifiedStatement",
    "VerifyPolicy",
    "VulnerabilityException",
    "VulnerabilityPolicy",
    "append_envelope",
    "attest",
    "bundle_path",
    "gate_predicate",
    "generate_key",
    "load_policy",
    "load_private_key",
    "load_public_key",
    "pae",
    "parse_statement",
    "provenance_predicate",
    "read_bundle",
    "read_provenance",
    "read_report",
    "scan_predicate",
    "source_of",
    "statement_for",
    "subject_of",
    "verified_statements",
    "verify_artifact",
    "write_key_pair",
]
