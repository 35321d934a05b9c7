"""Secrets and credentials (Framework 3.1.2(d), data leakage).

What a reviewer needs from a secret finding is whether it could open something. So:

* Fixed-format tokens (a provider prefix and a known length, private-key blocks) are
  reported at the configured severity (`high`).
* Known documentation and placeholder values (AWS's `...EXAMPLE` keys, the jwt.io
  sample token, `xxxx` / `your-key-here` / `changeme`-style values, one repeated
  character or a short repeated unit, a run of sequential characters) are `info`, with
  `details.reason`.
* A value in a test, fixture, example or documentation file (a path segment such as
  `tests/`, `fixtures/`, `examples/`, `docs/`, or a test file name) is lowered one
  level, and `details.lowered_because` says so. The path is the record's own: a
  path-like metadata field (`path`, `file_path`, `max_stars_repo_path`, ...), the
  `--source-field` value, or the input file when the file is the document (a `.txt`
  or source file, not a JSONL/Parquet/Avro container of many records).
* `password = ...`-style assignments count only when the right-hand side is a literal:
  a quoted string or bytes literal (`secret_key = b'...'`), or a bare token where
  code cannot be meant (a config/env file, a `KEY=value` line, a CJK key or a
  full-width colon). A call, subscript, attribute or variable name is never a value.
  The same assignment repeated in a run of text is one finding spanning the run.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from corpusgate.detectors.base import (
    RISK_DATA_LEAKAGE,
    SEVERITIES,
    SEVERITY_RANK,
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


# A random token of mixed-case letters: both cases present, which an identifier or a
# word run together (hf_tokenizer...) lacks and a random token of 34 letters has but
# for a chance of about 1e-10.
_MIXED_CASE = r"(?=[A-Za-z0-9]*[a-z])(?=[A-Za-z0-9]*[A-Z])"


@dataclass(frozen=True)
class SecretPattern:
    kind: str  # finding type suffix: SECRET_<KIND>
    regex: re.Pattern[str]
    score: float
    keep_start: int  # characters of the fixed, public prefix shown in the evidence
    # lower-cased substrings one of which the text must hold for the regex to run
    markers: tuple[str, ...]


def _p(
    kind: str, pattern: str, score: float, keep_start: int, *markers: str
) -> SecretPattern:
    return SecretPattern(kind, re.compile(pattern), score, keep_start, markers)


PATTERNS: tuple[SecretPattern, ...] = (
    _p(
        "PRIVATE_KEY",
        rf"-----BEGIN {_KEY_KIND}PRIVATE KEY(?: BLOCK)?-----"
        rf"[\s\S]{{16,}}?-----END {_KEY_KIND}PRIVATE KEY(?: BLOCK)?-----",
        0.99,
        0,
        "private key",
    ),
    _p(
        "AWS_ACCESS_KEY",
        _L + r"(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}" + _R,
        0.95,
        4,
        *("akia", "asia", "agpa", "aida", "aroa", "anpa", "anva", "aipa"),
    ),
    _p("GITHUB_TOKEN", _L + r"gh[pousr]_[A-Za-z0-9]{36}" + _R, 0.97, 4, "gh"),
    _p("GITHUB_TOKEN", _L + r"github_pat_[A-Za-z0-9_]{82}" + _R, 0.97, 11, "gh"),
    _p("GITLAB_TOKEN", _L + r"glpat-[A-Za-z0-9_\-]{20}" + _R, 0.95, 6, "glpat-"),
    # GitLab's other token kinds: deploy, runner, feed, SCIM, incoming mail, agent,
    # OAuth application secret, pipeline trigger
    _p(
        "GITLAB_TOKEN",
        _L
        + r"(?:(?:gldt|glrt|glft|glsoat)-[A-Za-z0-9_\-]{20}|glimt-[A-Za-z0-9_\-]{25}"
        + r"|glagent-[A-Za-z0-9_\-]{50}|gloas-[A-Za-z0-9_\-]{64}|glptt-[0-9a-f]{40})"
        + _R,
        0.95,
        3,
        *(
            "gldt-",
            "glrt-",
            "glft-",
            "glsoat-",
            "glimt-",
            "glagent-",
            "gloas-",
            "glptt-",
        ),
    ),
    _p(
        "SLACK_TOKEN",
        _L + r"xox[baprs]-[0-9A-Za-z]{10,48}(?:-[0-9A-Za-z]{10,48}){0,3}" + _R,
        0.93,
        5,
        "xox",
    ),
    _p(
        "SLACK_TOKEN",
        _L + r"xapp-\d-[A-Z0-9]{9,12}-\d{10,16}-[a-f0-9]{64}" + _R,
        0.93,
        5,
        "xapp-",
    ),
    _p(
        "SLACK_WEBHOOK",
        r"https://hooks\.slack\.com/services/T[A-Z0-9]{8,}/B[A-Z0-9]{8,}/[A-Za-z0-9]{24}",
        0.95,
        29,
        "hooks.slack",
    ),
    _p("GOOGLE_API_KEY", _L + r"AIza[0-9A-Za-z_\-]{35}" + _R, 0.93, 4, "aiza"),
    _p(
        "GOOGLE_OAUTH_SECRET",
        _L + r"GOCSPX-[A-Za-z0-9_\-]{28}" + _R,
        0.95,
        7,
        "gocspx-",
    ),
    _p("STRIPE_KEY", _L + r"(?:sk|rk)_live_[0-9A-Za-z]{24,99}" + _R, 0.95, 8, "_live_"),
    # OpenAI keys carry T3BlbkFJ ("OpenAI" in base64) between two random halves.
    _p(
        "OPENAI_API_KEY",
        _L
        + r"sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_\-]{20,74}T3BlbkFJ"
        + r"[A-Za-z0-9_\-]{20,74}"
        + _R,
        0.97,
        3,
        "t3blbkfj",
    ),
    _p(
        "ANTHROPIC_API_KEY",
        _L + r"sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_\-]{93}AA" + _R,
        0.97,
        7,
        "sk-ant-",
    ),
    _p(
        "HUGGINGFACE_TOKEN",
        _L + r"(?:hf_|api_org_)" + _MIXED_CASE + r"[A-Za-z]{34}" + _R,
        0.93,
        3,
        "hf_",
        "api_org_",
    ),
    _p(
        "NPM_TOKEN",
        _L + r"npm_" + _MIXED_CASE + r"[A-Za-z0-9]{36}" + _R,
        0.93,
        4,
        "npm_",
    ),
    # An upload token is a macaroon whose fixed header names pypi.org.
    _p(
        "PYPI_TOKEN",
        _L + r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,}" + _R,
        0.97,
        20,
        "pypi-ageichlwas5vcmc",
    ),
    _p(
        "SENDGRID_KEY",
        _L + r"SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}" + _R,
        0.95,
        3,
        "sg.",
    ),
    _p(
        "AZURE_STORAGE_KEY",
        r"(?<![A-Za-z])AccountKey=[A-Za-z0-9+/]{86}==",
        0.95,
        11,
        "accountkey=",
    ),
    _p(
        "TELEGRAM_BOT_TOKEN",
        _L + r"\d{8,10}:AA[0-9A-Za-z_\-]{33}" + _R,
        0.9,
        0,
        ":aa",
    ),
    _p(
        "SHOPIFY_TOKEN", _L + r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}" + _R, 0.95, 6, "shp"
    ),
    _p("DIGITALOCEAN_TOKEN", _L + r"do[opr]_v1_[a-f0-9]{64}" + _R, 0.95, 7, "_v1_"),
    _p("DATABRICKS_TOKEN", _L + r"dapi[a-f0-9]{32}(?:-\d)?" + _R, 0.93, 4, "dapi"),
    _p(
        "JWT",
        _L
        + r"eyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}"
        + _R,
        0.9,
        3,
        "eyj",
    ),
)

# ---------------------------------------------------------------------------------
# Documentation and placeholder values

# Words that mark a value as written for a reader, not for a machine. In a random
# 36-character token any one of them turns up with probability ~1e-5.
_PLACEHOLDER_WORDS = re.compile(
    r"xxxx|your|example|placeholder|changeme|change_me|change-me|dummy|fake|sample"
    r"|redacted|replace|insert|notareal|not_a_real|not-a-real|secret_here|key_here"
    r"|token_here|\.\.\.|…",
    re.IGNORECASE,
)
# A whole value that is a template, a variable reference or a stand-in word: it
# names where a secret would come from and is no credential at all.
_REFERENCE_VALUE = re.compile(
    r"^(?:\*+|\.+|<.*>|\{.*\}|\[.*\]|\$\{?.*|%.*%|\{\{.*\}\}|password\d*|passwd|"
    r"secret\d*|none|null|nil|true|false|undefined|test\w*|todo|tbd|n/?a)$",
    re.IGNORECASE,
)
# Credentials published for anyone to use, which documentation and code copy.
_PUBLISHED_VALUES = {
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/"
    "K1SZFPTOtr/KBHBeksoGMGw==": "the Azure Storage emulator's published account key",
}
# jwt.io's sample claims (its debugger opens with them; tutorials copy it).
_JWT_IO_CLAIMS = {"sub": "1234567890", "name": "John Doe"}
_SEQUENCES = (
    "0123456789",
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiopasdfghjklzxcvbnm",
)
_MIN_SEQUENCE = 6


def _repeated_unit(body: str) -> int | None:
    """Length (1..4) of the unit `body` repeats, if it is one repeated short unit."""
    for unit in range(1, 5):
        if (
            len(body) >= 2 * unit
            and body == (body[:unit] * (len(body) // unit + 1))[: len(body)]
        ):
            return unit
    return None


def _has_sequence(body: str) -> bool:
    low = body.lower()
    for seq in _SEQUENCES:
        for i in range(len(seq) - _MIN_SEQUENCE + 1):
            if seq[i : i + _MIN_SEQUENCE] in low:
                return True
    return False


def _jwt_claims(token: str) -> dict | None:
    try:
        payload = token.split(".")[1]
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        claims = json.loads(raw)
    except (IndexError, ValueError, binascii.Error, UnicodeDecodeError):
        return None
    return claims if isinstance(claims, dict) else None


def placeholder_reason(value: str, body: str | None = None) -> str | None:
    """Why `value` is a documentation example or a placeholder, or None.

    `body` is the part after a fixed public prefix (`AKIA`, `ghp_`): the prefix
    itself says nothing about the value.
    """
    body = value if body is None else body
    if body in _PUBLISHED_VALUES:
        return _PUBLISHED_VALUES[body]
    core = re.sub(r"[\s\-_.]", "", body)
    if not core:
        return "empty value"
    if "EXAMPLE" in body.upper():
        return "documentation example value (contains EXAMPLE)"
    m = _PLACEHOLDER_WORDS.search(body)
    if m:
        return f"placeholder word {m.group(0).lower()!r}"
    unit = _repeated_unit(core)
    if unit == 1:
        return "one repeated character"
    if unit:
        return "a short repeated pattern"
    if _has_sequence(core):
        return "sequential characters"
    return None


def _token_placeholder_reason(pattern: SecretPattern, value: str) -> str | None:
    if pattern.kind == "JWT":
        claims = _jwt_claims(value)
        if claims and all(claims.get(k) == v for k, v in _JWT_IO_CLAIMS.items()):
            return "the jwt.io sample token"
        return None
    if pattern.kind == "PRIVATE_KEY":
        lines = value.splitlines()
        body = "".join(lines[1:-1])
        m = _PLACEHOLDER_WORDS.search(body) or re.search(r"<[^>]*>", body)
        return f"placeholder in the key body ({m.group(0)!r})" if m else None
    return placeholder_reason(value, value[pattern.keep_start :])


# ---------------------------------------------------------------------------------
# Where the record comes from: test, fixture, example and documentation files

_PATH_FIELDS = (
    "path",
    "file_path",
    "filepath",
    "filename",
    "file_name",
    "file",
    "repo_path",
    "max_stars_repo_path",
)
_FIXTURE_DIRS = frozenset(
    {
        "test",
        "tests",
        "testing",
        "testdata",
        "test_data",
        "__tests__",
        "spec",
        "specs",
        "fixture",
        "fixtures",
        "__fixtures__",
        "mock",
        "mocks",
        "example",
        "examples",
        "sample",
        "samples",
        "doc",
        "docs",
        "documentation",
    }
)
_FIXTURE_FILE = re.compile(
    r"^(?:tests?_.+|.+_tests?|.+[._](?:test|spec)|conftest|.+\.(?:example|sample|dist|template))"
    r"(?:\.[A-Za-z0-9]+)?$|^\.env\.(?:example|sample|template|dist)$",
    re.IGNORECASE,
)
# Input files that hold many records: their name says nothing about one record.
_CONTAINERS = re.compile(
    r"\.(?:jsonl?|ndjson|parquet|avro)(?:\.(?:gz|zst|bz2|xz))?$", re.IGNORECASE
)
_CODE_EXTENSIONS = frozenset(
    "py pyi js jsx mjs cjs ts tsx go java kt kts scala rb php c h cc cpp hpp cs rs "
    "swift m mm lua pl r jl dart ex exs erl hs clj groovy vue svelte".split()
)
_CONFIG_EXTENSIONS = frozenset(
    "env ini cfg conf config properties toml yaml yml sh bash zsh ps1 bat cmd "
    "netrc pgpass npmrc pypirc htpasswd tfvars".split()
)


@dataclass(frozen=True)
class DocumentPath:
    """What the record's own path says about its values."""

    lowered_because: str | None  # a test/example/docs path, named
    kind: str  # "code", "config" or "unknown"


_UNKNOWN_PATH = DocumentPath(None, "unknown")


def document_path(record: Record) -> DocumentPath:
    paths = [v for k in _PATH_FIELDS if isinstance(v := record.meta.get(k), str) and v]
    if record.source_name:
        paths.append(record.source_name)
    if not paths and record.source and not _CONTAINERS.search(record.source):
        paths.append(record.source)  # a one-document file: its name is the record's
    if not paths:
        return _UNKNOWN_PATH
    lowered, kind = None, "unknown"
    for path in paths:
        parts = [p for p in re.split(r"[/\\]", path) if p]
        if not parts:
            continue
        name = parts[-1]
        for part in parts[:-1]:
            if part.lower() in _FIXTURE_DIRS:
                lowered = lowered or f"path segment '{part}/'"
        if _FIXTURE_FILE.match(name):
            lowered = lowered or f"test or example file name ({name})"
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else name.lower()
        if name.lower().startswith(".env") or ext in _CONFIG_EXTENSIONS:
            kind = "config"
        elif ext in _CODE_EXTENSIONS and kind == "unknown":
            kind = "code"
    return DocumentPath(lowered, kind)


# ---------------------------------------------------------------------------------
# Assignments

_KEYWORDS = (
    r"password|passwd|pwd|passphrase|secret|secret[_\-]?key|api[_\-]?key|access[_\-]?token"
    r"|auth[_\-]?token|client[_\-]?secret|private[_\-]?key|aws_secret_access_key"
)
_CJK_KEYWORDS = r"密码|口令|密钥"
# The keyword ends the key (`db_password`, `SECRET_KEY`, `"api-key"`), then a
# separator, then the right-hand side, which is classified after the match. The key
# is found without a leading identifier class, so a long identifier run cannot make
# the regex backtrack over it.
_ASSIGNMENT = re.compile(
    rf"(?P<key>{_KEYWORDS}|{_CJK_KEYWORDS})(?![A-Za-z0-9_])[\"'`]?\]?[ \t]*"
    r"(?P<sep>:=|=>|(?<![=!<>])=(?!=)|:(?!:)|：)[ \t]*",
    re.IGNORECASE,
)
_QUOTED = re.compile(
    r"(?P<prefix>[bBrRuUfF]{0,2})(?P<quote>\"|'|`)"
    r"(?P<value>(?:\\.|(?!(?P=quote))[^\\\n]){0,256})(?P=quote)"
)
_BARE_CHARS = r"[^\s\"'`,;，。；()\[\]{}<>=]"
_BARE = re.compile(_BARE_CHARS + "{1,256}={0,2}")
# A word hyphenated at a line's end by a typesetter (a manual page's U+2010 HYPHEN,
# a soft hyphen: --password=DB_PASS\u2010 / WORD) goes on at the next line's first word.
_HYPHENATED_BREAK = re.compile(
    r"[\u2010\u00ad]\n[ \t]*(?P<rest>" + _BARE_CHARS + "{1,256})"
)
# After a literal: `.` (method), `[` (subscript), `(` (call), `+`/`%` (an expression).
_EXPRESSION_AFTER = re.compile(r"[ \t]*(?:\.[A-Za-z_]|\[|\(|\+|%[ \t(])")
_REST_OF_LINE = re.compile(r"[ \t]*(?:[#;].*)?$", re.MULTILINE)
# What may precede the key on a `KEY=value` line (shell, YAML list, quoted key).
_LINE_PREFIX = re.compile(r"[ \t]*(?:export[ \t]+|set[ \t]+|-[ \t]+)?[\"']?")
_IDENT_CHAR = re.compile(r"[A-Za-z0-9_.\-\u4e00-\u9fff]")
# Names, words and dotted attributes: a variable or a reference, not a secret.
_WORDS_ONLY = re.compile(r"^[A-Za-z$@]+(?:[\-_. ][A-Za-z]+)*$")
# A constant's, an environment variable's or a command's metavariable name, which
# manuals put where the secret goes (--client-secret=OAUTH2_CLIENT_SECRET).
_CONSTANT_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
_PATHLIKE = re.compile(r"^(?:[./~]|[A-Za-z]:\\|[a-z][a-z0-9+.\-]*://)")
_MIN_SECRET_LENGTH = 8
_MIN_VALUE_LENGTH = 6  # shorter literals are not reported even as placeholders
_MAX_RUN_GAP = 64  # characters between two copies of one assignment in a run


def _shannon_entropy(value: str) -> float:
    counts = Counter(value)
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def _looks_like_a_secret(value: str) -> bool:
    classes = sum(
        (
            any(c.islower() for c in value),
            any(c.isupper() for c in value),
            any(c.isdigit() for c in value),
            any(not c.isalnum() for c in value),
        )
    )
    return (
        len(value) >= _MIN_SECRET_LENGTH
        and value == value.strip()  # ` | :u55b6: | ` is text between two quotes
        and classes >= 2
        and _shannon_entropy(value) >= 2.5
        and not _WORDS_ONLY.match(value)
        and not _CONSTANT_NAME.match(value)
        and not _PATHLIKE.match(value)
    )


@dataclass(frozen=True)
class Assignment:
    key: str  # the whole key as written (`DB_PASSWORD`)
    value: str
    start: int  # the value's span
    end: int
    literal: str  # "quoted", "bytes" or "bare"


def find_assignments(text: str, path_kind: str = "unknown") -> Iterator[Assignment]:
    """Assignments of a literal to a credential-like key, in text order."""
    for m in _ASSIGNMENT.finditer(text):
        key_start = m.start("key")
        while key_start > 0 and _IDENT_CHAR.match(text[key_start - 1]):
            key_start -= 1
        key = text[key_start : m.end("key")]
        pos = m.end()
        q = _QUOTED.match(text, pos)
        if q:
            if _EXPRESSION_AFTER.match(text, q.end()):
                continue  # "...".format(), "..." + x, "..."[0]
            value = q.group("value")
            prefix = q.group("prefix").lower()
            if ("f" in prefix or q.group("quote") == "`") and "{" in value:
                continue  # an interpolated template
            yield Assignment(
                key,
                value,
                q.start("value"),
                q.end("value"),
                "bytes" if "b" in prefix else "quoted",
            )
            continue
        b = _BARE.match(text, pos)
        if not b or path_kind == "code":
            continue  # in a source file an unquoted right-hand side is code
        if _EXPRESSION_AFTER.match(text, b.end()) or text[b.end() : b.end() + 1] in (
            "(",
            "[",
        ):
            continue
        prose_key = bool(re.match(_CJK_KEYWORDS, m.group("key"))) or m.group("sep") in (
            "：",
        )
        line_start = text.rfind("\n", 0, key_start) + 1
        line_shaped = bool(
            _LINE_PREFIX.fullmatch(text, line_start, key_start)
            and _REST_OF_LINE.match(text, b.end())
        )
        if not (path_kind == "config" or prose_key or line_shaped):
            continue
        value, end = b.group(0), b.end()
        joined = _HYPHENATED_BREAK.match(text, end - 1)
        if joined:
            value, end = value[:-1] + joined.group("rest"), joined.end()
        yield Assignment(key, value, b.start(), end, "bare")


def _lower(severity: str) -> str:
    return SEVERITIES[max(SEVERITY_RANK[severity] - 1, 0)]


class SecretsDetector(RecordDetector):
    name: ClassVar[str] = "secrets"
    version: ClassVar[str] = "2.1.0"
    finding_types: ClassVar[tuple[str, ...]] = tuple(
        dict.fromkeys(f"SECRET_{p.kind}" for p in PATTERNS)
    ) + ("SECRET_PASSWORD_ASSIGNMENT",)
    DEFAULTS: ClassVar[dict] = {
        "assignments": True,
        "severity": "high",
        "lower_in_fixtures": True,
    }
    PLACEHOLDER_SCORE: ClassVar[float] = 0.1
    ASSIGNMENT_SCORE: ClassVar[float] = 0.7

    def setup(self) -> None:
        self._hash = ValueHasher(self.context.salt)
        # One cheap screen before the patterns: most text holds none of these markers
        # (substring tests on the lower-cased text run in C, unlike a long alternation).
        markers = [m for p in PATTERNS for m in p.markers]
        if self.config["assignments"]:
            markers += ["pass", "pwd", "secret", "key", "token", "密码", "口令", "密钥"]
        self._markers = tuple(dict.fromkeys(markers))

    def scan(self, record: Record) -> list[Finding]:
        text = record.text
        lowered = text.lower()
        # Each marker is looked for once; a format's regex runs only if one of its
        # own markers is here.
        found = {marker for marker in self._markers if marker in lowered}
        if not found:
            return []
        where = document_path(record) if self.config["lower_in_fixtures"] else None
        findings: list[Finding] = []
        taken: list[tuple[int, int]] = []
        for pattern in PATTERNS:
            if found.isdisjoint(pattern.markers):
                continue
            for m in pattern.regex.finditer(text):
                start, end = m.span()
                value = m.group(0)
                taken.append((start, end))
                findings.append(
                    self._finding(
                        f"SECRET_{pattern.kind}",
                        pattern.score,
                        self._evidence(pattern, value),
                        start,
                        end,
                        value,
                        _token_placeholder_reason(pattern, value),
                        where,
                        {"length": len(value)},
                    )
                )
        if self.config["assignments"]:
            path_kind = where.kind if where else "unknown"
            findings += self._assignments(text, path_kind, taken, where)
        return findings

    def _assignments(self, text, path_kind, taken, where) -> list[Finding]:
        runs: list[list] = []  # [assignment, run end, copies]
        for a in find_assignments(text, path_kind):
            if any(s < a.end and a.start < e for s, e in taken):
                continue  # already reported as a fixed-format token
            last = runs[-1] if runs else None
            if (
                last
                and last[0].value == a.value
                and last[0].key.lower() == a.key.lower()
                and a.start - last[1] <= _MAX_RUN_GAP
            ):
                last[1], last[2] = a.end, last[2] + 1
                continue
            runs.append([a, a.end, 1])
        findings = []
        for a, run_end, copies in runs:
            if len(a.value) < _MIN_VALUE_LENGTH or _REFERENCE_VALUE.match(a.value):
                continue
            reason = placeholder_reason(a.value)
            if reason is None and not _looks_like_a_secret(a.value):
                continue  # a short or plain value: not a credential
            details = {
                "length": len(a.value),
                "key": a.key.lower(),
                "literal": a.literal,
            }
            if copies > 1:
                details["copies_in_run"] = copies
            findings.append(
                self._finding(
                    "SECRET_PASSWORD_ASSIGNMENT",
                    self.ASSIGNMENT_SCORE,
                    f"{a.key}={mask_value(a.value)}",
                    a.start,
                    run_end,
                    a.value,
                    reason,
                    where,
                    details,
                )
            )
        return findings

    def _finding(
        self, finding_type, score, evidence, start, end, value, reason, where, details
    ) -> Finding:
        severity = self.config["severity"]
        if reason:
            severity, score = "info", min(score, self.PLACEHOLDER_SCORE)
            details["reason"] = reason
        elif where and where.lowered_because:
            severity = _lower(severity)
            details["lowered_because"] = where.lowered_because
        return Finding(
            finding_type=finding_type,
            severity=severity,
            score=score,
            risk_code=RISK_DATA_LEAKAGE,
            annex_a="A.3.c",
            evidence=evidence,
            start=start,
            end=end,
            value_hash=self._hash(value),
            details=details,
        )

    @staticmethod
    def _evidence(pattern: SecretPattern, value: str) -> str:
        if pattern.kind == "PRIVATE_KEY":
            return f"{value.splitlines()[0]} [{len(value)} chars masked]"
        return mask_value(value, keep_start=pattern.keep_start)
