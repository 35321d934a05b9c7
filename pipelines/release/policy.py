"""Gate policies (docs/policy-and-gate.md): parsing and validation of POLICY.toml.

A policy file overlays the default policy (`pipelines/data/default_policy.toml`):
each `[rules.<id>]` table changes that rule's parameters, `enabled = false` switches
it off. Every mistake (TOML syntax, unknown rule or key, wrong type, threshold out of
range) is a `PolicyError` whose message names the file and the line.
"""

from __future__ import annotations

import copy
import hashlib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpusgate.detectors.base import SEVERITIES
from corpusgate.detectors.registry import CONTRACT_NAMES
from corpusgate.pipelines.errors import UsageError

DEFAULT_POLICY_PATH = Path(__file__).parent.parent / "data" / "default_policy.toml"


class PolicyError(UsageError):
    """A policy file that cannot be used; the message is `FILE:LINE: problem`."""


# --- parameter kinds -----------------------------------------------------------------
# Each check returns None when the value is fine, else what is wrong with it.


def _rate(v: Any) -> str | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return f"expected a number between 0 and 1, got {_show(v)}"
    return None if 0.0 <= v <= 1.0 else f"expected a number between 0 and 1, got {v}"


def _confidence(v: Any) -> str | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return f"expected a number between 0 and 1 (exclusive), got {_show(v)}"
    return (
        None
        if 0.0 < v < 1.0
        else f"expected a number strictly between 0 and 1, got {v}"
    )


def _count(v: Any) -> str | None:
    if isinstance(v, bool) or not isinstance(v, int):
        return f"expected a whole number >= 0, got {_show(v)}"
    return None if v >= 0 else f"expected a whole number >= 0, got {v}"


def _positive(v: Any) -> str | None:
    if isinstance(v, bool) or not isinstance(v, int):
        return f"expected a whole number >= 1, got {_show(v)}"
    return None if v >= 1 else f"expected a whole number >= 1, got {v}"


def _bool(v: Any) -> str | None:
    return None if isinstance(v, bool) else f"expected true or false, got {_show(v)}"


def _text(v: Any) -> str | None:
    return (
        None if isinstance(v, str) and v.strip() else f"expected a text, got {_show(v)}"
    )


def _severity(v: Any) -> str | None:
    if v in SEVERITIES:
        return None
    return f"expected one of {', '.join(SEVERITIES)}, got {_show(v)}"


def _choice(*options: str) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        return (
            None
            if v in options
            else f"expected one of {', '.join(options)}, got {_show(v)}"
        )

    return check


def _detectors(v: Any) -> str | None:
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        return f"expected a list of detector names, got {_show(v)}"
    unknown = [x for x in v if x not in CONTRACT_NAMES]
    if unknown:
        return f"unknown detector {unknown[0]!r}; known: {', '.join(CONTRACT_NAMES)}"
    return None


def _show(v: Any) -> str:
    kind = {bool: "boolean", int: "integer", float: "number", str: "text"}.get(
        type(v), type(v).__name__
    )
    return f"{kind} {v!r}" if not isinstance(v, dict | list) else kind


_COMMON = {"enabled": _bool, "clause": _text}

RULE_PARAMETERS: dict[str, dict[str, Callable[[Any], str | None]]] = {
    "source_flagged_rate": {
        "max_rate": _rate,
        "confidence": _confidence,
        "min_severity": _severity,
        "on_review": _choice("review", "fail"),
    },
    "critical_findings": {"max_count": _count},
    "sensitive_pi_without_consent": {"max_rate": _rate, "exclude_remediated": _bool},
    "source_traceability": {"require_acquisition": _bool},
    "technical_check": {
        "min_coverage": _rate,
        "min_pass_rate": _rate,
        "detectors": _detectors,
        "min_severity": _severity,
        "after_remediation": _bool,
    },
    "manual_check": {
        "min_reviewed": _positive,
        "min_pass_rate": _rate,
        "confidence": _confidence,
    },
}
RULE_IDS = tuple(RULE_PARAMETERS)
_TOP_LEVEL = {"name": _text, "strict": _bool, "rules": None}


@dataclass
class Policy:
    name: str
    strict: bool
    rules: dict[str, dict[str, Any]]  # rule id -> parameters (incl. enabled, clause)
    source: str  # "default" or the policy file's path
    sha256: str  # of the policy file(s) that made it

    def enabled_rules(self) -> list[tuple[str, dict[str, Any]]]:
        return [(rid, p) for rid, p in self.rules.items() if p.get("enabled", True)]


def default_policy() -> Policy:
    text = DEFAULT_POLICY_PATH.read_text(encoding="utf-8")
    data = _parse(text, str(DEFAULT_POLICY_PATH))
    _validate(data, text, str(DEFAULT_POLICY_PATH), require_complete=True)
    rules = {rid: {"enabled": True, **data["rules"][rid]} for rid in RULE_IDS}
    return Policy(
        name=data.get("name", "default"),
        strict=data.get("strict", False),
        rules=rules,
        source="default",
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )


def load_policy(path: str | Path | None = None) -> Policy:
    """The default policy, overlaid with the file at `path` when given."""
    policy = default_policy()
    if path is None:
        return policy
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(f"{path}: no such policy file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise PolicyError(f"{path}: cannot read ({e})") from None
    data = _parse(text, str(path))
    _validate(data, text, str(path), require_complete=False)
    rules = copy.deepcopy(policy.rules)
    for rid, params in data.get("rules", {}).items():
        rules[rid].update(params)
    return Policy(
        name=data.get("name", f"{policy.name} + {path.name}"),
        strict=data.get("strict", policy.strict),
        rules=rules,
        source=str(path),
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )


def _parse(text: str, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        # tomllib's message ends with "(at line L, column C)"
        m = re.search(r"\(at line (\d+), column \d+\)", str(e))
        problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(e))
        line = m.group(1) if m else "?"
        raise PolicyError(f"{where}:{line}: invalid TOML: {problem}") from None


def _validate(
    data: dict[str, Any], text: str, where: str, require_complete: bool
) -> None:
    lines = KeyLines(text)

    def fail(path: tuple[str, ...], problem: str) -> None:
        raise PolicyError(f"{where}:{lines.line_of(path)}: {problem}")

    for key, value in data.items():
        if key not in _TOP_LEVEL:
            fail((key,), f"unknown key {key!r}; expected {', '.join(_TOP_LEVEL)}")
        check = _TOP_LEVEL[key]
        if check is not None and (problem := check(value)):
            fail((key,), f"{key}: {problem}")
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        fail(("rules",), "rules: expected tables [rules.<id>]")
    for rid, params in rules.items():
        if rid not in RULE_PARAMETERS:
            fail(
                ("rules", rid),
                f"unknown rule {rid!r}; known rules: {', '.join(RULE_IDS)}",
            )
        if not isinstance(params, dict):
            fail(("rules", rid), f"rules.{rid}: expected a table of parameters")
        allowed = {**_COMMON, **RULE_PARAMETERS[rid]}
        for key, value in params.items():
            if key not in allowed:
                fail(
                    ("rules", rid, key),
                    f"rules.{rid}: unknown parameter {key!r}; expected "
                    f"{', '.join(allowed)}",
                )
            if problem := allowed[key](value):
                fail(("rules", rid, key), f"rules.{rid}.{key}: {problem}")
        if require_complete:
            missing = set(RULE_PARAMETERS[rid]) | {"clause"}
            missing -= set(params)
            if missing:
                fail(
                    ("rules", rid), f"rules.{rid}: missing {', '.join(sorted(missing))}"
                )
    if require_complete and set(rules) != set(RULE_IDS):
        missing = ", ".join(sorted(set(RULE_IDS) - set(rules)))
        fail(("rules",), f"missing rule(s) {missing}")


class KeyLines:
    """Where each key of a TOML text is defined (tomllib gives no positions).

    Understands table headers (`[a.b]`, `[[a]]`), dotted and quoted keys; a key that
    cannot be located is reported at the line of its nearest located parent.
    """

    _HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
    _KEY = re.compile(
        r"""^\s*((?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*'))*)\s*="""
    )

    def __init__(self, text: str) -> None:
        self.lines: dict[tuple[str, ...], int] = {}
        table: tuple[str, ...] = ()
        in_multiline = None
        for number, line in enumerate(text.splitlines(), start=1):
            if in_multiline:
                if line.count(in_multiline) % 2 == 1:
                    in_multiline = None
                continue
            if m := self._HEADER.match(line):
                table = self._split(m.group(1))
                self.lines.setdefault(table, number)
                continue
            if m := self._KEY.match(line):
                path = table + self._split(m.group(1))
                self.lines.setdefault(path, number)
                for i in range(1, len(path)):
                    self.lines.setdefault(path[:i], number)
                rest = line[m.end() :]
                for quote in ('"""', "'''"):
                    if rest.count(quote) % 2 == 1:
                        in_multiline = quote

    @staticmethod
    def _split(dotted: str) -> tuple[str, ...]:
        parts = re.findall(r'"([^"]*)"|\'([^\']*)\'|([A-Za-z0-9_\-]+)', dotted)
        return tuple(a or b or c for a, b, c in parts)

    def line_of(self, path: tuple[str, ...]) -> int | str:
        for i in range(len(path), 0, -1):
            if path[:i] in self.lines:
                return self.lines[path[:i]]
        return 1
