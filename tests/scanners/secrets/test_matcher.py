"""The matcher's checks: decoys and placeholders, inline allow comments, masking, generic yielding, bytes."""

from __future__ import annotations

import pytest

from bastion.scanners.secrets.detectors import builtin_detectors
from bastion.scanners.secrets.matcher import Matcher, mask
from tests.scanners.secrets.conftest import example_line, secret_in

MATCHER = Matcher(builtin_detectors())


def ids(text: str | bytes) -> list[str]:
    return [m.detector_id for m in MATCHER.scan(text if isinstance(text, bytes) else text.encode())]


@pytest.mark.parametrize(
    "decoy",
    [
        'aws_access_key_id = "AKIAIOSFODNN7EXAMPLE"',
        'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
        'GITHUB_TOKEN = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"',
        'token = "${GITHUB_TOKEN}"',
        'password = "<your-password>"',
        'password = "changeme"',
        'api_key = "{{ api_key }}"',
        'stripe_key = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"',
        'checksum = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"',
        'request_id = "550e8400-e29b-41d4-a716-446655440000"',
        'password_hash = "$2b$12$KIXQJ9r1l0aQG3/UfD2lxeY5uQk7z1ZJ6n1m3U1fYj5mQ2s0aB9Cy"',
        "token = get_token(request)",
        'password = os.environ["DB_PASSWORD"]',
        'logo = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="',
    ],
)
def test_documented_keys_placeholders_and_decoys_are_not_findings(decoy: str) -> None:
    assert ids(decoy) == []


def test_github_token_with_a_wrong_checksum_is_a_decoy() -> None:
    line = example_line("github-pat")
    assert ids(line) == ["github-pat"]
    broken = line[:-8] + ("A" if line[-8] != "A" else "B") + line[-7:]
    assert ids(broken) == []


def test_inline_allow_comment_suppresses_only_the_named_detector() -> None:
    line = example_line("stripe-secret-key")
    assert ids(line + "  # bastion:allow stripe-secret-key") == []
    assert ids(line + "  # bastion:allow github-pat") == ["stripe-secret-key"]
    assert ids(line + "  // bastion:allow slack-bot-token, stripe-secret-key") == []


def test_allowed_specific_secret_is_not_reported_again_by_a_generic_detector() -> None:
    line = 'token = "' + secret_in("stripe-secret-key") + '"  # bastion:allow stripe-secret-key'
    assert ids(line) == []


def test_mask_shows_at_most_four_characters_and_fewer_for_short_secrets() -> None:
    assert mask(b"ghp_abcdefghijklmnopqrstuvwxyz0123456789") == "ghp_…"
    assert mask(b"hunter2hun") == "hu…"
    assert mask(b"abc") == "…"


def test_line_and_column_are_reported_and_non_utf8_bytes_do_not_matter() -> None:
    data = b"\xff\xfe latin-1 \xe9\xe8\n\n  " + example_line("slack-bot-token").encode() + b"\n"
    [found] = MATCHER.scan(data)
    assert (found.detector_id, found.line) == ("slack-bot-token", 3)
    assert found.column == data.split(b"\n")[2].index(b"xoxb-") + 1


def test_secret_split_over_a_private_key_block_is_found_once_with_its_first_line() -> None:
    text = "config = 1\n" + example_line("private-key-openssh") + "\n"
    [found] = MATCHER.scan(text.encode())
    assert (found.detector_id, found.line) == ("private-key-openssh", 2)


def test_generic_assignment_finds_high_entropy_literals_but_not_references() -> None:
    assert ids('DB_PASSWORD = "Xk9#mQ2vLp8$wR4tZ"') == ["generic-secret-assignment"]
    assert ids("DB_PASSWORD = settings.DB_PASSWORD") == []
    assert ids('DB_PASSWORD = "correcthorsebattery"') == []


def test_translation_catalogues_and_lockfiles_get_only_format_specific_detectors(tmp_path: object) -> None:
    from pathlib import Path

    from bastion.scanners.secrets.tree import scan_files

    root = Path(str(tmp_path))
    line = 'password = "Xk9#mQ2vLp8$wR4tZ"\n' + example_line("gitlab-pat") + "\n"
    for name in ("django.po", "package-lock.json", "app.py"):
        (root / name).write_text(line)
    scan = scan_files(root, ["app.py", "django.po", "package-lock.json"], MATCHER, jobs=1)
    assert sorted((h.path, h.detector_id) for h in scan.hits) == [
        ("app.py", "generic-secret-assignment"),
        ("app.py", "gitlab-pat"),
        ("django.po", "gitlab-pat"),
        ("package-lock.json", "gitlab-pat"),
    ]
