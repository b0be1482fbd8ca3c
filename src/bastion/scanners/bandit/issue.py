"""A bandit issue as a bastion ``Finding``: ranks, location, masked evidence and remediation advice."""

from __future__ import annotations

from typing import Any

from bastion.model import Confidence, Finding, Location, Severity

__all__ = ["MAX_EVIDENCE_CHARS", "PASSWORD_RULES", "finding_from_issue", "mask_literals"]

MAX_EVIDENCE_CHARS = 200
PASSWORD_RULES = frozenset({"B105", "B106", "B107"})
"""Hard-coded password rules: their evidence and message quote the credential, so its literals are masked."""

_SEVERITY = {"HIGH": Severity.HIGH, "MEDIUM": Severity.MEDIUM, "LOW": Severity.LOW, "UNDEFINED": Severity.INFO}
_CONFIDENCE = {"HIGH": Confidence.HIGH, "MEDIUM": Confidence.MEDIUM, "LOW": Confidence.LOW}

_SHELL = "Pass the command as a list without shell=True, and never build it from user input."
_HASH = (
    "Hash passwords with a password KDF (argon2, bcrypt, scrypt or hashlib.pbkdf2_hmac); elsewhere use "
    "SHA-256 or better, or pass usedforsecurity=False when the hash is not a security control."
)
_PICKLE = "Never unpickle untrusted data; exchange JSON or another format that cannot run code."
_CREDENTIAL = "Read the credential from the environment or a secret store; rotate it if it was committed."
_XML = "Parse untrusted XML with defusedxml."
_REMEDIATION = {
    "B101": "Raise an exception instead: asserts are removed when Python runs with -O.",
    "B102": "Do not exec() code built at run time; dispatch to known functions instead.",
    "B104": "Bind to a specific interface (such as 127.0.0.1) or make the address configurable.",
    "B105": _CREDENTIAL,
    "B106": _CREDENTIAL,
    "B107": _CREDENTIAL,
    "B108": "Create temporary files with the tempfile module instead of fixed paths.",
    "B113": "Pass a timeout to every requests call.",
    "B201": "Never run Flask with debug=True outside development: its debugger executes arbitrary code.",
    "B301": _PICKLE,
    "B303": _HASH,
    "B307": "Use ast.literal_eval, or a real parser, instead of eval().",
    "B310": "Allow only http and https URLs before opening them.",
    "B311": "Use the secrets module for tokens, keys and anything security-sensitive.",
    "B314": _XML,
    "B320": _XML,
    "B324": _HASH,
    "B403": _PICKLE,
    "B404": _SHELL,
    "B405": _XML,
    "B501": "Keep TLS certificate verification on (verify=True, the default).",
    "B506": "Use yaml.safe_load (or Loader=yaml.SafeLoader).",
    "B602": _SHELL,
    "B604": _SHELL,
    "B605": _SHELL,
    "B607": "Call programs by absolute path so PATH cannot substitute another one.",
    "B608": "Use parameterised queries (cursor.execute(sql, params)); never format values into SQL.",
}


def finding_from_issue(issue: Any, *, control: str, path: str, line: str, title: str, help_uri: str) -> Finding:
    """Convert one ``bandit.core.issue.Issue``; ``line`` is the source text of the line it points at."""
    rule = str(issue.test_id)
    # bandit's lineno is the line it points at (and the column's line); linerange spans the whole statement.
    start = int(issue.lineno)
    end = max([start, *(int(n) for n in issue.linerange or ())])
    message = str(issue.text)
    evidence = line.strip()
    if rule in PASSWORD_RULES:
        message, evidence = mask_literals(message), mask_literals(evidence)
    if len(evidence) > MAX_EVIDENCE_CHARS:
        evidence = evidence[: MAX_EVIDENCE_CHARS - 1] + "…"
    cwe = int(issue.cwe.id) if issue.cwe is not None else 0
    column = int(issue.col_offset)
    return Finding(
        control=control,
        tool="bandit",
        rule_id=rule,
        title=title,
        severity=_SEVERITY.get(str(issue.severity), Severity.INFO),
        confidence=_CONFIDENCE.get(str(issue.confidence), Confidence.LOW),
        location=Location(
            path=path,
            start_line=start,
            end_line=end,
            start_column=column + 1 if column >= 0 else None,
        ),
        message=message,
        cwe=(cwe,) if cwe else (),
        remediation=_REMEDIATION.get(rule, ""),
        evidence=evidence,
        help_uri=help_uri,
    )


def mask_literals(text: str, keep: int = 4) -> str:
    """Mask the body of every quoted string in ``text``: at most ``keep`` characters, then ``…``.

    Fewer characters are kept from short strings (never more than half), and a string left open at the end of
    the text is masked to the end, so a credential on a line that starts a multi-line string is hidden too.
    """
    out: list[str] = []
    i = 0
    while i < len(text):
        quote = text[i]
        if quote not in "'\"":
            out.append(quote)
            i += 1
            continue
        delimiter = quote * 3 if text.startswith(quote * 3, i) else quote
        start = i + len(delimiter)
        end = start
        while end < len(text) and not text.startswith(delimiter, end):
            end += 2 if text[end] == "\\" else 1
        body = text[start : min(end, len(text))]
        shown = body[: min(keep, len(body) // 2)] + "…" if body else ""
        out.append(delimiter + shown + (delimiter if end < len(text) else ""))
        i = end + len(delimiter)
    return "".join(out)
