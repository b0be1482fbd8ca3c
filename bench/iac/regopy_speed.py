"""regopy strategies measured: why bastion evaluates one combined query per document, on resources by type.

Usage: python bench/iac/regopy_speed.py [--resources 1300]

Prints, for a synthetic Terraform-shaped document: the cost of reading the input, of a rule scanning every
resource versus one looking its type up, of a set of whole resources versus a list, and of one query per check
versus one combined query.
"""

from __future__ import annotations

import argparse
import json
import time

from regopy import Interpreter


def _document(n: int) -> dict[str, object]:
    resources = [
        {
            "type": f"aws_type_{i % 40}",
            "address": f"aws_type_{i % 40}.r{i}",
            "file": "main.tf",
            "line": i,
            "config": {"acl": "private", "tags": {"Name": f"r{i}"}, "__line__": i, "__lines__": {"acl": i}},
        }
        for i in range(n)
    ]
    by_type: dict[str, list[object]] = {}
    for r in resources:
        by_type.setdefault(str(r["type"]), []).append(r)
    return {"flat": resources, "by_type": by_type}


RULES = {
    "scan every resource": 'deny{i} contains r.address if {{ some r in input.flat; r.type == "aws_type_{i}"; '
    'r.config.acl == "public-read" }}',
    "look the type up": 'deny{i} contains r.address if {{ some r in object.get(input.by_type, "aws_type_{i}", []); '
    'r.config.acl == "public-read" }}',
    "set of whole resources": 'pairs{i} contains [r, r.config] if {{ some r in input.flat; r.type == "aws_type_{i}" }}',
    "list of whole resources": 'pairs{i} := [[r, r.config] | some r in input.flat; r.type == "aws_type_{i}"]',
}


def _time(label: str, rule: str, payload: str, checks: int) -> None:
    rego = Interpreter()
    body = "\n".join(rule.format(i=i) for i in range(checks))
    name = "deny" if rule.startswith("deny") else "pairs"
    rego.add_module(
        "m.rego",
        f"package m\nimport rego.v1\n{body}\nall := [count({name}{{i}}) | true]\n".replace("{i}", "0")
        + "\n".join(f"c{i} := count({name}{i})" for i in range(checks)),
    )
    plan = rego.build("x := [" + ", ".join(f"data.m.c{i}" for i in range(checks)) + "]", [])
    start = time.perf_counter()
    rego.set_input_term(payload)
    read = time.perf_counter()
    rego.query_bundle(plan)
    done = time.perf_counter()
    print(f"| {label} | {checks} | {read - start:.2f} | {done - read:.3f} |")


def main() -> None:
    """Run every strategy on the same document."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--resources", type=int, default=1300)
    args = parser.parse_args()
    payload = json.dumps(_document(args.resources), separators=(",", ":"))
    print(f"{args.resources} resources, {len(payload) / 1e6:.2f} MB of JSON input\n")
    print("| strategy | rules | read input s | query s |\n|---|---|---|---|")
    for label, rule in RULES.items():
        _time(label, rule, payload, 10)


if __name__ == "__main__":
    main()
