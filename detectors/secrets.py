"""Secrets and credentials with fixed formats (Framework 3.1.2(d), data leakage).

Fixed-format tokens (a provider prefix and a known length) are reported with a high
score; `password = ...`-style assignments only when the value looks like a real secret
(not a placeholder, long enough, several character classes).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import ClassVar

from corpusgate.detectors.base import (
    RISK_DATA_LEAKAGE,
    Finding,
    Record,
    RecordDetector,
)
from corpusgate.detectors.masking import ValueHasher, mask_value

# Tokens are delimited by anything that is not part of a token (ASCII letters, digits,
# and the token alphabets' punctuation), not by \b, which treats CJK as word characters.
_L = r"(?<![A-Za-z0-9_\-])"
_R = r"(?![A-Za-z0-9_\-])"
_KEY_KIND = r"(?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?"


@dataclass(frozen=True)
class SecretPattern:
    kind: str  # finding type suffix: SECRET_<KIND>
    regex: re.Pattern[str]
    score: float
    keep_start: int  # characters of the fixed, public prefix shown in the evidence
    value_group: int = 0


def _p(kind: str, pattern: str, score: float, keep_start: int, flags: int = 0):
    return SecretPattern(kind, re.compile(pattern, flags), score, keep_start)


PATTERNS: tuple[SecretPattern, ...] = (
    _p(
        "PRIVATE_KEY",
        rf"-----BEGIN {_KEY_KIND}PRIVATE KEY(?: BLOCK)?-----"
        rf"[\s\S]{{16,}}?-----END {_KEY_KIND}PRIVATE KEY(?: BLOCK)?-----",
        0.99,
        0,
    ),
    _p(
        "AWS_ACCESS_KEY",
        _L + r"(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}" + _R,
        0.95,
        4,
    ),
    _p("GITHUB_TOKEN", _L + r"gh[pousr]_[A-Za-z0-9]{36}" + _R, 0.97, 4),
    _p("GITHUB_TOKEN", _L + r"github_pat_[A-Za-z0-9_]{82}" + _R, 0.97, 11),
    _p("GITLAB_TOKEN", _L + r"glpat-[A-Za-z0-9_\-]{20}" + _R, 0.95, 6),
    _p(
        "SLACK_TOKEN",
        _L + r"xox[baprs]-[0-9A-Za-z]{10,48}(?:-[0-9A-Za-z]{10,48}){0,3}" + _R,
        0.93,
        5,
    ),
    _p(
        "SLACK_WEBHOOK",
        r"https://hooks\.slack\.com/services/T[A-Z0-9]{8,}/B[A-Z0-9]{8,}/[A-Za-z0-9]{24}",
        0.95,
        29,
    ),
    _p("GOOGLE_API_KEY", _L + r"AIza[0-9A-Za-z_\-]{35}" + _R, 0.93, 4),
    _p("STRIPE_KEY", _L + r"(?:sk|rk)_live_[0-9A-Za-z]{24,99}" + _R, 0.95, 8),
    _p(
        "JWT",
        _L
        + r"eyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}"
        + _R,
        0.9,
        3,
    ),
)

# `password = "..."`, `api_key: ...`, `密码：...`; the value is group "value".
_ASSIGNMENT = re.compile(
    r"(?P<key>(?:password|passwd|pwd|passphrase|secret(?:_key)?|api[_\-]?key|access[_\-]?token"
    r"|auth[_\-]?token|client[_\-]?secret|aws_secret_access_key|密码|口令|密钥))"
    r"[\"']?\s*(?:=|:|：|=>)\s*[\"']?(?P<value>[^\s\"'，。；;,]{6,128})",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(
    r"^(?:x+|\*+|\.+|<.*>|\{.*\}|\[.*\]|\$\{?.*|%.*%|your[_\-]?.*|changeme|password\d*|"
    r"example.*|dummy.*|test.*|none|null|true|false|undefined|secret|redacted)$",
    re.IGNORECASE,
)


def _shannon_entropy(value: str) -> float:
    counts = Counter(value)
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def _looks_like_real_secret(value: str) -> bool:
    if _PLACEHOLDER.match(value):
        return False
    classes = sum(
        (
            any(c.islower() for c in value),
            any(c.isupper() for c in value),
            any(c.isdigit() for c in value),
            any(not c.isalnum() for c in value),
        )
    )
    return len(value) >= 8 and classes >= 2 and _shannon_entropy(value) >= 2.5


class SecretsDetector(RecordDetector):
    name: ClassVar[str] = "secrets"
    version: ClassVar[str] = "1.0.0"
    finding_types: ClassVar[tuple[str, ...]] = tuple(
        dict.fromkeys(f"SECRET_{p.kind}" for p in PATTERNS)
    ) + ("SECRET_PASSWORD_ASSIGNMENT",)
    DEFAULTS: ClassVar[dict] = {"assignments": True, "severity": "high"}

    def setup(self) -> None:
        self._hash = ValueHasher(self.context.salt)
        # One cheap screen before the patterns: most text holds none of these markers
        # (substring tests on the lower-cased text run in C, unlike a long alternation).
        markers = [
            "private key",
            "akia",
            "asia",
            "agpa",
            "aida",
            "aroa",
            "anpa",
            "anva",
            "aipa",
            "gh",
            "glpat-",
            "xox",
            "hooks.slack",
            "aiza",
            "_live_",
            "eyj",
        ]
        if self.config["assignments"]:
            markers += ["pass", "pwd", "secret", "key", "token", "密码", "口令", "密钥"]
        self._markers = tuple(markers)

    def scan(self, record: Record) -> list[Finding]:
        text = record.text
        lowered = text.lower()
        if not any(marker in lowered for marker in self._markers):
            return []
        severity = self.config["severity"]
        findings: list[Finding] = []
        taken: list[tuple[int, int]] = []
        for pattern in PATTERNS:
            for m in pattern.regex.finditer(text):
                start, end = m.span()
                value = m.group(0)
                taken.append((start, end))
                findings.append(
                    Finding(
                        finding_type=f"SECRET_{pattern.kind}",
                        severity=severity,
                        score=pattern.score,
                        risk_code=RISK_DATA_LEAKAGE,
                        annex_a="A.3.c",
                        evidence=self._evidence(pattern, value),
                        start=start,
                        end=end,
                        value_hash=self._hash(value),
                        details={"length": len(value)},
                    )
                )
        if self.config["assignments"]:
            for m in _ASSIGNMENT.finditer(text):
                start, end = m.span("value")
                value = m.group("value")
                if any(s < end and start < e for s, e in taken):
                    continue  # already reported as a fixed-format token
                if not _looks_like_real_secret(value):
                    continue
                findings.append(
                    Finding(
                        finding_type="SECRET_PASSWORD_ASSIGNMENT",
                        severity=severity,
                        score=0.7,
                        risk_code=RISK_DATA_LEAKAGE,
                        annex_a="A.3.c",
                        evidence=f"{m.group('key')}={mask_value(value)}",
                        start=start,
                        end=end,
                        value_hash=self._hash(value),
                        details={"length": len(value), "key": m.group("key").lower()},
                    )
                )
        return findings

    @staticmethod
    def _evidence(pattern: SecretPattern, value: str) -> str:
        if pattern.kind == "PRIVATE_KEY":
            return f"{value.splitlines()[0]} [{len(value)} chars masked]"
        return mask_value(value, keep_start=pattern.keep_start)
