"""Generates the labelled secrets quality set: realistic files holding fake-but-well-formed secrets and decoys.

No live secret is ever committed: tokens are random (seeded, so the set is identical on every machine) in each
provider's published format, with correct checksums where the format defines one (GitHub, npm). Decoys are what
real repositories are full of: documented example keys, placeholders, template variables, hashes, UUIDs, base64
blobs, public keys and certificates, code that reads secrets from elsewhere, and test fixtures whose tokens fail
their format's checksum. Labels go to ``manifest.json``: every true secret with its file and line range, every
decoy with its file and line; any other line is a negative too.

Usage: ``python bench/secrets/labelled/generate.py [OUT]`` (default ``bench/.work/secrets/labelled``).
"""

from __future__ import annotations

import base64
import binascii
import json
import random
import subprocess
import sys
import textwrap
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / ".work" / "secrets" / "labelled"
rng = random.Random(20240601)
AN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
HEX = "0123456789abcdef"
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def r(chars: str, n: int) -> str:
    return "".join(rng.choice(chars) for _ in range(n))


def crc62(body: str) -> str:
    value, out = binascii.crc32(body.encode()), ""
    while value:
        value, rest = divmod(value, 62)
        out = B62[rest] + out
    return out.rjust(6, "0")


def github(prefix: str = "ghp_", valid: bool = True) -> str:
    body = r(AN, 30)
    return prefix + body + (crc62(body) if valid else r(AN, 6))


def uuid() -> str:
    return "-".join(r(HEX, n) for n in (8, 4, 4, 4, 12))


def pem(label: str, size: int = 1190) -> list[str]:
    body = textwrap.wrap(base64.b64encode(rng.randbytes(size)).decode(), 64)
    return [f"-----BEGIN {label}-----", *body, f"-----END {label}-----"]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt() -> str:
    head = b64url(b'{"alg":"HS256","typ":"JWT"}')
    body = b64url(json.dumps({"sub": uuid(), "role": "service", "iat": 1717200000}).encode())
    return f"{head}.{body}.{b64url(rng.randbytes(32))}"


S, D = "secret", "decoy"  # line labels; None = ordinary line


def files() -> dict[str, list[tuple[str | None, str]]]:
    """Each file as (label, line) pairs; a secret spanning lines is labelled on every one of its lines."""
    key = pem("RSA PRIVATE KEY")
    ssh = pem("OPENSSH PRIVATE KEY", 1400)
    gcp_key = "\\n".join(pem("PRIVATE KEY", 1210)) + "\\n"
    return {
        "app/settings/production.py": [
            (None, "import os"),
            (None, ""),
            (S, f"SECRET_KEY = '{r(AN + '!@#%^&*(-_=+)', 50)}'"),
            (D, 'DATABASE_PASSWORD = os.environ["DATABASE_PASSWORD"]'),
            (S, f'AWS_ACCESS_KEY_ID = "AKIA{r("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}"'),
            (S, f'AWS_SECRET_ACCESS_KEY = "{r(AN + "/+", 40)}"'),
            (S, f'STRIPE_SECRET_KEY = "sk_live_{r(AN, 99)}"'),
            (D, f'STRIPE_PUBLISHABLE_KEY = "pk_live_{r(AN, 99)}"'),
            (S, f'SENDGRID_API_KEY = "SG.{r(AN + "_-", 22)}.{r(AN + "_-", 43)}"'),
            (D, 'SLACK_TOKEN = settings.get("slack_token")'),
            (S, f'DATABASES_URL = "postgres://app:{r(AN, 24)}@db.prod.internal:5432/app"'),
            (D, 'CACHE_URL = "redis://:${REDIS_PASSWORD}@cache:6379/0"'),
            (D, f'STATIC_VERSION = "{r(HEX, 40)}"'),
            (D, f'REQUEST_ID_NAMESPACE = "{uuid()}"'),
        ],
        ".env.production": [
            (S, f"GITHUB_TOKEN={github()}"),
            (S, f"GITLAB_TOKEN=glpat-{r(AN + '_-', 20)}"),
            (S, f"SLACK_BOT_TOKEN=xoxb-{r('0123456789', 12)}-{r('0123456789', 13)}-{r(AN, 24)}"),
            (S, f"OPENAI_API_KEY=sk-proj-{r(AN + '_-', 74)}T3BlbkFJ{r(AN + '_-', 74)}"),
            (S, f"ANTHROPIC_API_KEY=sk-ant-api03-{r(AN + '_-', 93)}AA"),
            (S, f"HF_TOKEN=hf_{r('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 34)}"),
            (S, f"DATADOG_API_KEY={r(HEX, 32)}"),
            (S, f"TWILIO_AUTH_TOKEN={r(HEX, 32)}"),
            (D, "SENTRY_DSN_PUBLIC=true"),
            (D, "GITHUB_TOKEN=${{ secrets.GITHUB_TOKEN }}"),
            (S, f"DB_PASSWORD={r(AN, 14)}9{r(AN, 5)}"),
            (D, "LOG_LEVEL=info"),
        ],
        "deploy/.npmrc": [
            (S, f"//registry.npmjs.org/:_authToken={github('npm_')}"),
            (D, "//npm.pkg.github.com/:_authToken=${NODE_AUTH_TOKEN}"),
        ],
        "deploy/.pypirc": [
            (None, "[pypi]"),
            (None, "username = __token__"),
            (S, "password = pypi-AgEIcHlwaS5vcmc" + b64url(rng.randbytes(96))),
        ],
        "deploy/service-account.json": [
            (None, "{"),
            (None, '  "type": "service_account",'),
            (None, '  "project_id": "shop-prod",'),
            (S, f'  "private_key_id": "{r(HEX, 40)}",'),
            (S, f'  "private_key": "{gcp_key}",'),
            (None, '  "client_email": "deployer@shop-prod.iam.gserviceaccount.com",'),
            (D, f'  "client_id": "{r("0123456789", 21)}"'),
            (None, "}"),
        ],
        "deploy/id_rsa": [(S, line) for line in key],
        "deploy/id_ed25519": [(S, line) for line in ssh],
        "deploy/id_ed25519.pub": [(D, f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{r(AN + '+/', 43)} deploy@ci")],
        "deploy/server.crt": [(D, line) for line in pem("CERTIFICATE", 900)],
        "deploy/public.pem": [(D, line) for line in pem("PUBLIC KEY", 294)],
        "infra/main.tf": [
            (None, 'provider "azurerm" {'),
            (None, "  features {}"),
            (None, "}"),
            (
                S,
                f'  connection_string = "DefaultEndpointsProtocol=https;AccountName=shopprod;'
                f'AccountKey={base64.b64encode(rng.randbytes(64)).decode()};EndpointSuffix=core.windows.net"',
            ),
            (D, "  client_secret = var.client_secret"),
            (S, f'  heroku_api_key = "{uuid()}"'),
            (S, f'  vault_token = "hvs.{r(AN + "_-", 91)}"'),
        ],
        ".github/workflows/release.yml": [
            (None, "jobs:"),
            (None, "  publish:"),
            (None, "    steps:"),
            (D, "      - run: echo ${{ secrets.PYPI_TOKEN }}"),
            (S, f"      - run: curl -H 'Authorization: Bearer {jwt()}' https://api.internal/deploy"),
            (S, f"      - run: curl -d @m https://hooks.slack.com/services/T{r(UPPER, 8)}/B{r(UPPER, 10)}/{r(AN, 24)}"),
            (D, "        env: { DOCKER_PASSWORD: '${{ secrets.DOCKER_PASSWORD }}' }"),
            (S, f"        env: {{ DOCKERHUB_TOKEN: dckr_pat_{r(AN + '_-', 27)} }}"),
        ],
        "web/src/config.js": [
            (D, "export const apiKey = process.env.API_KEY;"),
            (S, f'export const shopifyToken = "shpat_{r(HEX, 32)}";'),
            (S, f"const googleMapsKey = 'AIza{r(AN + '_-', 35)}';"),
            (D, "const password = '<your-password-here>';"),
            (D, "const token = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';"),
            (D, f'const integrity = "sha512-{base64.b64encode(rng.randbytes(64)).decode()}";'),
            (D, f'const logo = "data:image/png;base64,{base64.b64encode(rng.randbytes(120)).decode()}";'),
            (S, f'const telegram = "{r("0123456789", 10)}:AA{r(AN + "_-", 33)}";'),
            (S, f'const discordHook = "https://discord.com/api/webhooks/{r("0123456789", 18)}/{r(AN + "_-", 68)}";'),
        ],
        "docs/quickstart.md": [
            (None, "Configure your credentials:"),
            (None, "```"),
            (D, "aws_access_key_id = AKIAIOSFODNN7EXAMPLE"),
            (D, "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            (D, "export GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
            (D, "export STRIPE_KEY=sk_test_4eC39HqLyjWDarjtT1zdp7dc"),
            (
                D,
                "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6"
                "IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
            ),
            (D, "password: changeme"),
            (None, "```"),
        ],
        "tests/test_auth.py": [
            (None, "import pytest"),
            (None, ""),
            (D, f'FAKE_GITHUB_TOKEN = "{github(valid=False)}"'),
            (D, f'FAKE_NPM_TOKEN = "{github("npm_", valid=False)}"'),
            (D, 'TEST_PASSWORD = "test-password"'),
            (D, f'SESSION_ID = "{uuid()}"'),
            (D, f'COMMIT = "{r(HEX, 40)}"'),
            (None, "def test_login(client):"),
            (D, "    client.login(username='admin', password='password')"),
        ],
        "app/models.py": [
            (None, "class User(Model):"),
            (D, "    password: str"),
            (D, "    password_hash = Column(String(128))"),
            (D, f'    DEFAULT_AVATAR_SHA256 = "{r(HEX, 64)}"'),
            (D, "    token = models.CharField(max_length=64)"),
            (D, '    api_key_label = "Your API key"'),
            (None, "    def check(self, password):"),
            (D, "        return hmac.compare_digest(self.password_hash, hash_password(password))"),
        ],
        "config/application.properties": [
            (S, f"spring.datasource.password={r(AN, 12)}#{r(AN, 8)}"),
            (D, "spring.datasource.username=app"),
            (S, f"mailgun.api.key=key-{r(HEX, 32)}"),
            (D, "jwt.secret=${JWT_SECRET}"),
            (D, f"build.checksum={r(HEX, 64)}"),
        ],
        "k8s/secret.yaml": [
            (None, "apiVersion: v1"),
            (None, "kind: Secret"),
            (None, "data:"),
            (D, f"  ca.crt: {base64.b64encode(rng.randbytes(60)).decode()}"),
            (S, f"  api-token: {r(AN, 40)}"),
        ],
    }


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    # Its own (empty) repository, so that the checkout's .gitignore of bench/.work does not hide the set.
    subprocess.run(["git", "init", "-q", str(out)], check=True)
    labels = []
    for rel, lines in files().items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(text for _, text in lines) + "\n")
        n = 0
        while n < len(lines):
            label = lines[n][0]
            end = n
            while label == S and end + 1 < len(lines) and lines[end + 1][0] == S and rel.startswith("deploy/id_"):
                end += 1  # a multi-line key block is one secret
            if label is not None:
                labels.append({"file": rel, "line": n + 1, "end_line": end + 1, "label": label})
            n = end + 1
    manifest = {
        "secrets": sum(1 for x in labels if x["label"] == S),
        "decoys": sum(1 for x in labels if x["label"] == D),
        "labels": labels,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"{out}: {manifest['secrets']} secrets, {manifest['decoys']} decoys")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
