"""Secrets in a commit's tree (HEAD by default), read through ``git cat-file --batch`` without a checkout.

The history scan uses it to tell, for each secret ever committed, whether it is still in HEAD.
"""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

from bastion.scanners.secrets.errors import SecretsError
from bastion.scanners.secrets.git import git_output
from bastion.scanners.secrets.matcher import Matcher

__all__ = ["secrets_in_head"]


def secrets_in_head(root: Path, matcher: Matcher, max_file_bytes: int = 0, rev: str = "HEAD") -> set[tuple[str, str]]:
    """(detector id, SHA-256) of every secret in the text blobs of ``rev``'s tree; empty without commits."""
    try:
        listing = git_output(root, "ls-tree", "-r", "-z", "-l", rev)
    except SecretsError:  # an unborn HEAD: nothing is in it
        return set()
    blobs = []
    for entry in listing.split(b"\0"):
        meta, _, _path = entry.partition(b"\t")
        fields = meta.split()
        if len(fields) == 4 and fields[1] == b"blob" and fields[0] != b"120000":
            size = int(fields[3]) if fields[3].isdigit() else 0
            if not max_file_bytes or size <= max_file_bytes:
                blobs.append(fields[2])
    if not blobs:
        return set()
    process = subprocess.Popen(
        ["git", "-C", str(root), "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdin is not None and process.stdout is not None
    stdin = process.stdin

    def feed() -> None:
        try:
            stdin.write(b"".join(b + b"\n" for b in blobs))
        finally:
            stdin.close()

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    found: set[tuple[str, str]] = set()
    out = process.stdout
    for _ in blobs:
        header = out.readline().split()
        if len(header) < 3 or header[1] != b"blob":
            continue
        content = out.read(int(header[2]))
        out.read(1)
        if b"\0" in content[:8192]:
            continue
        found.update((m.detector_id, m.sha256) for m in matcher.scan(content))
    feeder.join()
    process.wait()
    return found
