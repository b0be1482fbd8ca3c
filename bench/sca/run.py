"""SCA benchmark: ``db import`` of the whole OSV subset, matching 10,000 packages, ``bastion sca`` end to end.

Run from the repository root with the dev virtualenv active::

    python bench/sca/run.py            # builds bench/.work/sca, prints the tables for docs/benchmarks.md

Peers: pip-audit needs the PyPI JSON API's vulnerability data or api.osv.dev and cannot run offline here; trivy
and osv-scanner are single Go binaries not available from PyPI or npm. Both are probed and reported.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import OSV, REPO, WORK, npm_lockfile, pypi_requirements, real_pins
from harness import compare, markdown_table, time_command

BASTION = [sys.executable, "-m", "bastion"]
STORE = WORK / "osv.db"
PIP_AUDIT = Path("/tmp/peers/pip-audit/bin/pip-audit")


def bench_import() -> list[dict[str, str]]:
    """Time ``db import`` of every zip into a fresh store (three runs)."""
    script = f"rm -f {STORE} && {' '.join(BASTION)} db import {OSV} --osv-db {STORE}"
    timing = time_command("bastion db import ../shared/osv", ["sh", "-c", script], runs=3, warmup=0)
    return compare([timing], baseline=timing.label)


def _packages_from_pins(pins: list[tuple[str, str, str]], total: int, *, newest: bool) -> list[object]:
    """``total`` packages round-robin over ecosystems; ``newest`` keeps each package's highest version only."""
    from bastion.scanners.sca import Ecosystem
    from bastion.scanners.sca.package import Package
    from bastion.scanners.sca.versions import parse_version

    by_ecosystem: dict[str, list[tuple[str, str, str]]] = {}
    if newest:
        best: dict[tuple[str, str], tuple[str, str, str]] = {}
        for pin in pins:
            base = Ecosystem(pin[0].split(":")[0])
            old = best.get(pin[:2])
            new_key, old_key = parse_version(base, pin[2]), parse_version(base, old[2]) if old else None
            if new_key is not None and (old is None or old_key is None or new_key > old_key):
                best[pin[:2]] = pin
        pins = list(best.values())
    for pin in pins:
        by_ecosystem.setdefault(pin[0].split(":")[0], []).append(pin)
    queues = [iter(v) for v in by_ecosystem.values()]
    packages: list[object] = []
    while len(packages) < total and queues:
        for queue in list(queues):
            pin = next(queue, None)
            if pin is None:
                queues.remove(queue)
                continue
            ecosystem, name, version = pin
            base, _, distro = ecosystem.partition(":")
            packages.append(Package(Ecosystem(base), name, version, "bench", distro=distro or None))
            if len(packages) == total:
                break
    return packages


def _real_lockfile_packages() -> list[object]:
    from bastion.scanners.sca.inventory import files_under, read_inventory

    packages: list[object] = []
    for folder in (npm_lockfile().parent, REPO / "tests" / "assets" / "sca"):
        root, files = files_under(folder)
        packages += read_inventory(root, files).packages
    return packages


def bench_matching(total: int = 10_000) -> list[dict[str, str]]:
    """Match packages against the loaded store, in process: real lockfiles, then 10,000 pins of advised packages."""
    from bastion.scanners.sca import match_packages
    from bastion.scanners.sca.osv.store import VulnStore, _range
    from bastion.scanners.sca.versions import parse_version

    pins = real_pins()
    scenarios = {
        "real lockfiles (npm-big and the test assets)": _real_lockfile_packages(),
        "10,000 advised packages at their newest named version": _packages_from_pins(pins, total, newest=True),
        "10,000 advised packages at affected versions (worst case)": _packages_from_pins(pins, total, newest=False),
    }
    rows = []
    preloaded = VulnStore(STORE)
    start, cpu = time.perf_counter(), time.process_time()
    loaded = preloaded.preload()
    load_seconds, load_cpu = time.perf_counter() - start, time.process_time() - cpu
    for label, packages in scenarios.items():
        timings = {}
        for mode in ("query", "preloaded"):
            store = VulnStore(STORE) if mode == "query" else preloaded
            parse_version.cache_clear()
            if mode == "query":
                _range.cache_clear()
            start, cpu = time.perf_counter(), time.process_time()
            matches = match_packages(store, packages)  # type: ignore[arg-type]
            timings[mode] = time.perf_counter() - start
            timings[f"{mode} cpu"] = time.process_time() - cpu
            if mode == "query":
                store.close()
        rows.append(
            {
                "packages matched": label,
                "count": str(len(packages)),
                "vulnerable": str(len(matches)),
                "vulnerabilities": str(sum(len(m.vulnerabilities) for m in matches)),
                "s, SQLite queries (CPU)": f"{timings['query']:.3f} ({timings['query cpu']:.3f})",
                "s, store preloaded (CPU)": f"{timings['preloaded']:.3f} ({timings['preloaded cpu']:.3f})",
            }
        )
    preloaded.close()
    print(f"preload: {loaded} affected-package rows in {load_seconds:.3f} s")
    rows.append(
        {
            "packages matched": f"(preload and compile of the whole store: {loaded} rows)",
            "count": "",
            "vulnerable": "",
            "vulnerabilities": "",
            "s, SQLite queries (CPU)": "",
            "s, store preloaded (CPU)": f"{load_seconds:.3f} ({load_cpu:.3f})",
        }
    )
    print(markdown_table(rows))
    return rows


def bench_cli() -> list[dict[str, str]]:
    """``bastion sca scan`` and ``inventory`` on large real lockfiles."""
    lock = npm_lockfile()
    pypi = pypi_requirements(real_pins())
    yarn = REPO / "tests" / "assets" / "sca" / "npm" / "jupyterlab-yarn-v1"
    env = {"BASTION_OSV_DB": str(STORE)}
    count = len(json.loads(lock.read_text())["packages"]) - 1
    timings = [
        time_command(
            f"sca inventory npm-big ({count} packages)",
            [*BASTION, "sca", "inventory", str(lock.parent)],
            runs=3,
            env=env,
        ),
        time_command(
            f"sca scan npm-big ({count} packages)", [*BASTION, "sca", "scan", str(lock.parent)], runs=3, env=env
        ),
        time_command(
            "sca scan jupyterlab yarn.lock v1 (901 packages)", [*BASTION, "sca", "scan", str(yarn)], runs=3, env=env
        ),
        time_command(
            "sca scan 10,000 PyPI pins (requirements files)", [*BASTION, "sca", "scan", str(pypi)], runs=3, env=env
        ),
    ]
    return compare(timings, baseline=timings[0].label)


def probe_peers() -> list[dict[str, str]]:
    """Whether pip-audit and trivy can run offline here, and what they say."""
    rows = []
    sample = WORK / "peer-sample.txt"
    sample.write_text("jinja2==2.10\nrequests==2.30.0\npyyaml==5.3.1\n")
    if PIP_AUDIT.exists():
        for service in ("pypi", "osv"):
            done = subprocess.run(
                [
                    str(PIP_AUDIT),
                    "-s",
                    service,
                    "-r",
                    str(sample),
                    "--no-deps",
                    "--disable-pip",
                    "--progress-spinner",
                    "off",
                ],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            tail = (done.stdout + done.stderr).strip().splitlines()[-1][:140]
            rows.append({"peer": f"pip-audit -s {service}", "exit": str(done.returncode), "result": tail})
    else:
        rows.append({"peer": "pip-audit", "exit": "-", "result": f"not installed at {PIP_AUDIT}"})
    for tool in ("trivy", "osv-scanner"):
        rows.append(
            {
                "peer": tool,
                "exit": "-",
                "result": "found" if shutil.which(tool) else "not installed (Go binary; not on PyPI or npm)",
            }
        )
    print(markdown_table(rows))
    return rows


if __name__ == "__main__":
    WORK.mkdir(parents=True, exist_ok=True)
    sections = {
        "db import": bench_import(),
        "matching": bench_matching(),
        "cli": bench_cli(),
        "peers": probe_peers(),
    }
    (WORK / "results.json").write_text(json.dumps(sections, indent=2))
