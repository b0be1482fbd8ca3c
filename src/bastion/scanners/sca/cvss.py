"""CVSS: base scores computed from v3.0/v3.1 and v2 vectors, so every advisory with a vector gets a number.

Written here (about forty lines of the specification's formulas) rather than taken from a library, to keep the
dependency list short. CVSS v4 vectors need the specification's large lookup tables: they are scored with the
``cvss`` package when it is installed, and otherwise fall back to the advisory's own severity word.
"""

from __future__ import annotations

import math

__all__ = ["base_score"]

_V3 = {
    "AV": {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2},
    "AC": {"L": 0.77, "H": 0.44},
    "UI": {"N": 0.85, "R": 0.62},
    "C": {"H": 0.56, "L": 0.22, "N": 0.0},
}
_PR = {"U": {"N": 0.85, "L": 0.62, "H": 0.27}, "C": {"N": 0.85, "L": 0.68, "H": 0.5}}
_V2 = {
    "AV": {"L": 0.395, "A": 0.646, "N": 1.0},
    "AC": {"H": 0.35, "M": 0.61, "L": 0.71},
    "Au": {"M": 0.45, "S": 0.56, "N": 0.704},
    "C": {"N": 0.0, "P": 0.275, "C": 0.660},
}


def base_score(vector: str) -> float | None:
    """The base score of a CVSS vector; ``None`` when the vector is malformed or its version unsupported."""
    vector = vector.strip()
    try:
        if vector.startswith("CVSS:3."):
            return _v3(_metrics(vector.split("/", 1)[1]))
        if vector.startswith("CVSS:4."):
            return _v4(vector)
        if vector.startswith("AV:") or vector.startswith("(AV:"):
            return _v2(_metrics(vector.strip("()")))
    except (KeyError, IndexError, ValueError):
        return None
    return None


def _metrics(text: str) -> dict[str, str]:
    return dict(part.split(":", 1) for part in text.split("/") if part)


def _roundup(value: float) -> float:
    scaled = round(value * 100_000)
    return scaled / 100_000 if scaled % 10_000 == 0 else (math.floor(scaled / 10_000) + 1) / 10


def _v3(m: dict[str, str]) -> float:
    scope = m["S"]
    iss = 1 - (1 - _V3["C"][m["C"]]) * (1 - _V3["C"][m["I"]]) * (1 - _V3["C"][m["A"]])
    impact = 6.42 * iss if scope == "U" else 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15
    exploitability = 8.22 * _V3["AV"][m["AV"]] * _V3["AC"][m["AC"]] * _PR[scope][m["PR"]] * _V3["UI"][m["UI"]]
    if impact <= 0:
        return 0.0
    total = impact + exploitability if scope == "U" else 1.08 * (impact + exploitability)
    return _roundup(min(total, 10.0))


def _v2(m: dict[str, str]) -> float:
    impact = 10.41 * (1 - (1 - _V2["C"][m["C"]]) * (1 - _V2["C"][m["I"]]) * (1 - _V2["C"][m["A"]]))
    exploitability = 20 * _V2["AV"][m["AV"]] * _V2["AC"][m["AC"]] * _V2["Au"][m["Au"]]
    factor = 0.0 if impact == 0 else 1.176
    return round(((0.6 * impact) + (0.4 * exploitability) - 1.5) * factor, 1)


def _v4(vector: str) -> float | None:
    try:
        from cvss import CVSS4
    except ImportError:
        return None
    try:
        return float(CVSS4(vector).base_score)
    except Exception:  # the library raises its own error types for malformed vectors
        return None
