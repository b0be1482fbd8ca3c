"""Supply-chain benchmark: SBOM generation, bastion vs ``cyclonedx-py``, on the same installed environment.

Run from the repository root with the dev virtualenv active (``pip install cyclonedx-bom`` for the peer)::

    python bench/supplychain/run.py         # prints the table and the component comparison for docs/benchmarks.md

Both read the dev virtualenv's ``site-packages`` (``*.dist-info`` metadata); both write CycloneDX 1.6 JSON.
Component counts are compared by purl (qualifiers dropped, names PEP 503-normalised).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness import compare, markdown_table, time_command

WORK = Path(__file__).resolve().parents[1] / ".work" / "supplychain"
SITE = Path(sysconfig.get_paths()["purelib"])
BASTION = [sys.executable, "-m", "bastion"]
PEER = shutil.which("cyclonedx-py") or str(Path(sys.executable).with_name("cyclonedx-py"))


def _purls(sbom: Path) -> set[str]:
    document = json.loads(sbom.read_text())
    found = set()
    for component in document.get("components", []):
        purl = component.get("purl", "").split("?")[0]
        name, _, version = purl.removeprefix("pkg:pypi/").partition("@")
        found.add(f"{re.sub(r'[-_.]+', '-', name).lower()}@{version}")
    return found


def main() -> None:
    """Time both tools (five runs each), then compare what they found."""
    WORK.mkdir(parents=True, exist_ok=True)
    ours, theirs = WORK / "bastion.cdx.json", WORK / "cyclonedx-py.cdx.json"
    bastion = [*BASTION, "sbom", str(SITE), "-o", str(ours)]
    peer = [PEER, "environment", sys.executable, "--sv", "1.6", "--of", "JSON", "-o", str(theirs), "--no-validate"]
    timings = [time_command("bastion sbom site-packages", bastion), time_command("cyclonedx-py environment", peer)]
    print(markdown_table(compare(timings, baseline=timings[1].label)))
    a, b = _purls(ours), _purls(theirs)
    print(f"\ncomponents: bastion {len(a)}, cyclonedx-py {len(b)}, both {len(a & b)}")
    print(f"only bastion: {sorted(a - b)[:20]}")
    print(f"only cyclonedx-py: {sorted(b - a)[:20]}")
    version = subprocess.run([PEER, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    print(f"peer: cyclonedx-py {version}; environment: {SITE}")


if __name__ == "__main__":
    main()
