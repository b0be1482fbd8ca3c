"""API latency under load: 50 concurrent clients on loopback against ``bastion server``, p50/p95/p99 per route.

Seeds a store with ``--findings`` findings in five projects (CODEOWNERS rules and a KEV list, so owners and
SLAs are computed), starts the real server (uvicorn, one process) on 127.0.0.1, then runs ``--clients``
concurrent httpx clients (each connects first; the clock starts once all are connected), each sending
``--requests`` requests, a fixed mix: list a page of findings (with
and without filters), show one finding, read its triage history, and change a triage state. Bounded: the
number of requests is fixed up front, and every request has a timeout.

    python bench/service/load.py [--db URL] [--findings 5000] [--clients 50] [--requests 40]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bastion.model import (
    ControlMode,
    ControlResult,
    ControlStatus,
    Finding,
    Location,
    RunRecord,
    Severity,
    Stage,
    fingerprint_of,
)
from bastion.store import open_store
from bastion.store.owners import OwnerRules
from bastion.store.project_rules import ProjectRules, ProjectRuleSet
from bastion.store.signals import Signals
from bastion.store.tokens import NewToken, Role, TokenRegistry

PROJECTS = ("shop", "payments", "search", "accounts", "gateway")
SEVERITIES = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO)
CODEOWNERS = "* @acme/appsec\n*.py @acme/backend\n/src/payments/ @alice @acme/payments\n/web/ @acme/frontend\n"


def seed(url: str, root: Path, findings: int) -> tuple[dict[str, list[str]], str, str]:
    """Record one run per project; return fingerprints per project and a global and a shop token."""
    per_project = findings // len(PROJECTS)
    ids: dict[str, list[str]] = {}
    started = datetime.now(UTC) - timedelta(days=40)
    with open_store(url, root) as store:
        for p, project in enumerate(PROJECTS):
            made = []
            for i in range(per_project):
                path = random.choice(("src/payments/", "src/app/", "web/", "lib/")) + f"m{i % 97}.py"
                made.append(
                    Finding(
                        control="sast",
                        tool="bandit",
                        rule_id=f"B{600 + i % 40}",
                        title=f"rule {i % 40}",
                        severity=SEVERITIES[i % 5],
                        location=Location(path=path, start_line=i + 1),
                        message=f"finding {i} of {project}",
                        aliases=(f"CVE-2024-{10000 + i % 500}",),
                        fingerprint=fingerprint_of(project, str(i)),
                    )
                )
            control = ControlResult(
                control="sast",
                stage=Stage.CODE,
                uses="bandit",
                mode=ControlMode.MANDATORY,
                status=ControlStatus.SUCCEEDED,
                started_at=started,
                duration_s=1.0,
                findings=tuple(made),
            )
            when = started + timedelta(minutes=p)
            store.record_run(
                RunRecord(
                    project=project, branch="main", commit=None, started_at=when, finished_at=when, controls=(control,)
                )
            )
            ProjectRules(store).set(project, ProjectRuleSet(codeowners=CODEOWNERS, owners=OwnerRules()), "bench")
            ids[project] = [f.fingerprint for f in made]
        kev = {"vulnerabilities": [{"cveID": f"CVE-2024-{10000 + n}"} for n in range(0, 500, 7)]}
        Signals(store).import_kev(json.dumps(kev).encode(), "kev.json", "bench")
        tokens = TokenRegistry(store)
        admin = tokens.create(NewToken("@bench", "*", Role.ADMIN), "bench")[1]
        security = tokens.create(NewToken("@sec", "shop", Role.SECURITY), "bench")[1]
    return ids, admin, security


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def client(
    base: str,
    token: str,
    shop_token: str,
    ids: dict[str, list[str]],
    requests: int,
    seed_: int,
    latencies: dict[str, list[float]],
    statuses: dict[int, int],
    ready: asyncio.Barrier,
    marks: list[float],
) -> None:
    """One client: connect, wait for every other client to connect, then ``requests`` requests of the mix."""
    rnd = random.Random(seed_)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base + "/api/v1", headers=headers, timeout=60) as http:
        # Open the connection before the clock starts: the figures are request latencies, not 50 TCP handshakes
        # arriving in the same millisecond (whose SYN retries alone add seconds to the tail).
        await http.get("/health")
        await ready.wait()
        marks.append(time.perf_counter())
        for n in range(requests):
            project = rnd.choice(PROJECTS)
            finding = rnd.choice(ids[project])[:12]
            kind = n % 10
            if kind < 4:
                route, call = (
                    "GET /findings?project&limit=50",
                    http.get("/findings", params={"project": project, "limit": 50}),
                )
            elif kind < 5:
                route, call = (
                    "GET /findings?sla=breached&owner",
                    http.get(
                        "/findings", params={"project": project, "sla": "breached", "owner": "@alice", "limit": 50}
                    ),
                )
            elif kind < 8:
                route, call = "GET /findings/{id}", http.get(f"/findings/{finding}")
            elif kind < 9:
                route, call = "GET /findings/{id}/triage", http.get(f"/findings/{finding}/triage")
            else:
                shop = rnd.choice(ids["shop"])[:12]
                route, call = (
                    "POST /findings/{id}/triage",
                    http.post(
                        f"/findings/{shop}/triage",
                        json={"state": "confirmed", "reason": "bench"},
                        headers={"Authorization": f"Bearer {shop_token}"},
                    ),
                )
            start = time.perf_counter()
            response = await call
            latencies[route].append(time.perf_counter() - start)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        marks.append(time.perf_counter())


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank), milliseconds."""
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


async def load(
    base: str, token: str, shop_token: str, ids: dict[str, list[str]], clients: int, requests: int
) -> tuple[dict[str, list[float]], dict[int, int], float]:
    """Run every client at once; return latencies per route, status counts and the wall time."""
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: dict[int, int] = {}
    ready, marks = asyncio.Barrier(clients), []
    await asyncio.gather(
        *(client(base, token, shop_token, ids, requests, n, latencies, statuses, ready, marks) for n in range(clients))
    )
    return latencies, statuses, max(marks) - min(marks)


def main() -> None:
    """Seed, serve, load, print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="Store URL (default: a fresh SQLite file).")
    parser.add_argument("--findings", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=40, help="Requests per client.")
    parser.add_argument("--workers", type=int, default=1, help="Server worker processes.")
    args = parser.parse_args()
    random.seed(7)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        url = args.db or f"sqlite:///{root / 'bench.db'}"
        ids, token, shop_token = seed(url, root, args.findings)
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bastion",
                "server",
                "--port",
                str(port),
                "--db",
                url,
                "--workers",
                str(args.workers),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=os.environ.copy(),
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(base + "/api/v1/health", timeout=2)
                    break
                except httpx.TransportError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit("the server did not start") from None
                    time.sleep(0.1)
            latencies, statuses, wall = asyncio.run(load(base, token, shop_token, ids, args.clients, args.requests))
        finally:
            server.terminate()
            server.wait(timeout=10)
    backend = url.split(":", 1)[0]
    total = sum(len(v) for v in latencies.values())
    everything = [x for v in latencies.values() for x in v]
    print(
        f"{backend}, {args.workers} worker(s), {args.findings} findings, "
        f"{args.clients} clients x {args.requests} requests: {total} requests in {wall:.1f} s "
        f"({total / wall:.0f} req/s); statuses {dict(sorted(statuses.items()))}"
    )
    print("| route | requests | p50 ms | p95 ms | p99 ms | max ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for route, values in sorted(latencies.items()):
        print(
            f"| `{route}` | {len(values)} | {percentile(values, 0.5):.0f} | {percentile(values, 0.95):.0f} | "
            f"{percentile(values, 0.99):.0f} | {1000 * max(values):.0f} |"
        )
    print(
        f"| **all** | {total} | {percentile(everything, 0.5):.0f} | {percentile(everything, 0.95):.0f} | "
        f"{percentile(everything, 0.99):.0f} | {1000 * max(everything):.0f} |"
    )
    print(f"mean {1000 * statistics.mean(everything):.0f} ms")


if __name__ == "__main__":
    main()
