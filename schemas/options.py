"""Every configuration key corpusgate accepts, with its type and allowed range.

One table for the `[audit]` section of a configuration file and one per detector for
its `[detectors.<name>]` options. The CLI checks `[audit]` with `check_audit_section`
and every detector checks its options through `check_option` (detectors/base.py), all
before the job starts: a value out of range is one line naming the key, the value and
what is allowed (exit 2), never a run with wrong results or one that exhausts memory.

The bounds are what the code can use, not tuning advice: memory-sized options
(`bands`, `cms_width`, `buckets`, ...) stop where one worker's tables would no longer
fit in a few GiB; shares and probabilities are 0..1.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SEVERITY_CHOICES = ("info", "low", "medium", "high", "critical")


class OptionError(ValueError):
    """A configuration value that cannot be used; the message is one line."""


@dataclass(frozen=True)
class Option:
    """The type of a key and what values it allows. `low`/`high` bound numbers
    (inclusive unless `low_open`), `choices` bound strings, `min_length` bounds
    strings and lists."""

    type: type
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    choices: tuple[str, ...] | None = None
    min_length: int | None = None
    item_type: type | None = None
    secret: bool = False  # errors say the value's length, never the value
    # A table (`type` dict) of these keys, each value one of `choices`; a table
    # given in a file changes only the keys it names.
    keys: tuple[str, ...] | None = None

    def allowed(self) -> str:
        if self.keys is not None:
            return f"a table of {', '.join(self.keys)}, each one of " + ", ".join(
                self.choices or ()
            )
        if self.choices is not None:
            return "one of " + ", ".join(self.choices)
        if self.low is not None or self.high is not None:
            low = "" if self.low is None else _number(self.low)
            high = "" if self.high is None else _number(self.high)
            if self.low is not None and self.high is not None:
                opener = "(" if self.low_open else "["
                return f"{self.type.__name__} in {opener}{low}, {high}]"
            if self.low is not None:
                return f"{self.type.__name__} {'>' if self.low_open else '>='} {low}"
            return f"{self.type.__name__} <= {high}"
        if self.min_length == 1:
            return f"a non-empty {self.type.__name__}"
        if self.min_length:
            return f"a {self.type.__name__} of at least {self.min_length} characters"
        if self.item_type is not None:
            return f"a list of {self.item_type.__name__}"
        return self.type.__name__

    def check(self, where: str, key: str, value: Any) -> Any:
        """Returns the value (an int given for a float becomes a float), or raises
        OptionError: '<where> <key> = <value>: expected <allowed>'."""

        def fail() -> OptionError:
            shown = repr(value)
            if self.secret:
                shown = f"<{len(value) if isinstance(value, str) else '?'} characters>"
            elif len(shown) > 60:
                shown = shown[:57] + "..."
            return OptionError(f"{where} {key} = {shown}: expected {self.allowed()}")

        expected = self.type
        if isinstance(value, bool) and expected is not bool:
            raise fail()
        if expected is float and isinstance(value, int):
            value = float(value)
        if not isinstance(value, expected):
            raise fail()
        if self.keys is not None:
            for k, v in value.items():
                if k not in self.keys or (self.choices and v not in self.choices):
                    raise OptionError(
                        f"{where} {key}.{k} = {v!r}: expected "
                        + (
                            f"a key among {', '.join(self.keys)}"
                            if k not in self.keys
                            else "one of " + ", ".join(self.choices or ())
                        )
                    )
            return value
        if isinstance(value, float) and not math.isfinite(value):
            raise fail()
        if isinstance(value, int | float) and not isinstance(value, bool):
            if self.low is not None and (
                value < self.low or (self.low_open and value == self.low)
            ):
                raise fail()
            if self.high is not None and value > self.high:
                raise fail()
        if self.choices is not None and value not in self.choices:
            raise fail()
        if self.min_length is not None and len(value) < self.min_length:
            raise fail()
        if self.item_type is not None and not all(
            isinstance(v, self.item_type) for v in value
        ):
            raise fail()
        return value


def _number(x: float) -> str:
    if float(x).is_integer() and abs(x) >= 1024 and (int(x) & (int(x) - 1)) == 0:
        return f"2^{int(x).bit_length() - 1}"
    return f"{x:g}" if isinstance(x, float) else str(x)


def _int(low: int, high: int) -> Option:
    return Option(int, low, high)


def _share(low_open: bool = False) -> Option:
    return Option(float, 0.0, 1.0, low_open=low_open)


# What a PII finding is, for its severity: a sensitive statement about a person (and
# the person it is about), a direct identifier (and a name an identifier makes
# reachable), a name or named place on its own, a statement about a public figure,
# an unverified result (score < 0.5), a value that identifies no one (a place's
# coordinates, a private IP address, a network), an organisation's code or address.
PII_SEVERITY_KEYS = (
    "sensitive",
    "identifier",
    "bare_name",
    "public_figure",
    "unverified",
    "not_personal",
    "organisation",
)

BOOL = Option(bool)
PATH = Option(str)  # "" means the packaged default
SEVERITY = Option(str, choices=SEVERITY_CHOICES)
FANOUT = _int(1, 1024)
MIB = 1024 * 1024

AUDIT_OPTIONS: dict[str, Option] = {
    "text_field": Option(str, min_length=1),
    "id_field": Option(str, min_length=1),
    "label_field": Option(str, min_length=1),
    "source_field": Option(str, min_length=1),
    # One record is held whole in memory by a worker (and read at most this far).
    "max_record_bytes": _int(1024, 1024 * MIB),
    "max_findings_per_record": _int(1, 1_000_000),
    "batch_size": _int(1, 100_000),
    "salt": Option(str, min_length=8, secret=True),
    "salt_env": Option(str, min_length=1),
}

DETECTOR_OPTIONS: dict[str, dict[str, Option]] = {
    "pii": {
        "min_score": _share(),
        "names": BOOL,
        "zh_segmenter": BOOL,
        "zh_person_model": BOOL,
        "zh_person_crf": BOOL,
        "english_ner_model": PATH,
        "sensitive_window": _int(0, 10_000),
        "countries": Option(list, item_type=str),
        "disabled_entities": Option(list, item_type=str),
        # The severity of each kind of PII finding (PiiDetector.DEFAULTS["severity"]
        # holds the defaults; docs/policy-and-gate.md explains them).
        "severity": Option(dict, choices=SEVERITY_CHOICES, keys=PII_SEVERITY_KEYS),
        "public_figures": BOOL,
        "text_kind": Option(str, choices=("auto", "prose", "code", "markup")),
    },
    "secrets": {
        "assignments": BOOL,
        "severity": SEVERITY,
        "lower_in_fixtures": BOOL,
    },
    "cbrn": {
        "window_chars": _int(1, 100_000),
        "stage2": BOOL,
        "stage2_threshold": _share(),
        "stage2_min_density": Option(float, 0.0, 1000.0),
        "stage2_path": PATH,
        "report_mentions": BOOL,
        "lexicon_path": PATH,
        "signals_path": PATH,
    },
    "exact_duplicate": {"severity": SEVERITY, "fanout": FANOUT},
    "near_duplicate": {
        "severity": SEVERITY,
        "word_ngram": _int(1, 32),
        "cjk_ngram": _int(1, 32),
        # bands * rows MinHash values per record: 512 * 32 at most.
        "bands": _int(1, 512),
        "rows": _int(1, 32),
        "jaccard_threshold": _share(low_open=True),
        "containment_threshold": _share(low_open=True),
        "containment_min_ratio": _share(),
        "min_shingles_containment": _int(1, 1_000_000),
        "hot_bucket": _int(2, 1_000_000),
        "fanout": FANOUT,
        "max_rounds": _int(1, 100),
        "seed": _int(0, 2**32 - 1),
    },
    "copyright": {
        "severity": SEVERITY,
        "severity_high_coverage": _share(),
        "shingle_chars": _int(8, 10_000),
        "window": _int(1, 1_000),
        "min_cjk_chars": _int(1, 1_000_000),
        "min_words": _int(1, 1_000_000),
        "max_reference_positions": _int(1, 10_000),
    },
    "poisoning": {
        "max_tokens": _int(1, 1_000_000),
        "trigger_min_support": _int(1, 1_000_000_000),
        "trigger_max_df": _share(low_open=True),
        "trigger_planted_max_df": _share(),
        "trigger_rare_floor": _int(0, 1_000_000_000),
        "trigger_rare_floor_share": _share(),
        "trigger_min_purity": _share(),
        "trigger_max_log10_p": Option(float, -1000.0, 0.0),
        "trigger_max_candidates": _int(1, 1_000_000),
        "nb_buckets": _int(16, 2**26),
        "burst_rare_df": _int(1, 1_000_000),
        "burst_min_tail": _int(1, 1_000_000),
        "burst_min_tail_rare": _share(),
        "burst_max_head_rare": _share(),
        "burst_max_ngram": _int(1, 16),
        "burst_slack": _int(0, 1_000),
        "burst_min_group": _int(2, 1_000_000_000),
        "burst_min_coherence": _share(),
        "burst_max_candidates": _int(1, 1_000_000),
        # count-min sketch width: 4 rows of this many 8-byte counters per worker
        "cms_width": _int(16, 2**26),
        "outlier": BOOL,
        "outlier_sample": _int(10, 1_000_000),
        "outlier_mad": Option(float, 0.0, 100.0, low_open=True),
        "outlier_buckets": _int(16, 2**20),
        # one worker holds this many candidate vectors and their similarity matrix
        "outlier_max_candidates": _int(2, 20_000),
        "outlier_min_group": _int(2, 1_000_000),
        "outlier_group_similarity": _share(low_open=True),
        "outlier_lone_info": BOOL,
        "tamper_new_records": BOOL,
        "fanout": FANOUT,
    },
    "labels": {
        "conflict_majority": Option(float, 0.5, 1.0),
        "folds": _int(2, 50),
        "max_train_per_fold": _int(1, 10_000_000),
        "buckets": _int(16, 2**26),
        "ngram": _int(1, 5),
        "max_tokens": _int(1, 1_000_000),
        "c": Option(float, 0.0, 1e6, low_open=True),
        "min_labelled": _int(2, 1_000_000_000),
        "choose_filter": BOOL,
        "filter_sample": _int(50, 10_000_000),
        "max_self_confidence": _share(),
        "fanout": FANOUT,
    },
}


def check_option(detector: str, key: str, value: Any, default: Any) -> Any:
    """Checks one detector option; a detector not in the table (a plug-in) gets its
    default's type checked only."""
    rule = DETECTOR_OPTIONS.get(detector, {}).get(key)
    if rule is None:
        rule = Option(float if isinstance(default, float) else type(default))
    checked = rule.check(f"[detectors.{detector}]", key, value)
    if rule.keys is not None and isinstance(default, dict):
        return {**default, **checked}  # a table overlays its defaults
    return checked


def check_audit_section(section: Mapping[str, Any]) -> dict[str, Any]:
    """The `[audit]` section with every value checked; unknown keys are errors."""
    checked = {}
    for key, value in section.items():
        rule = AUDIT_OPTIONS.get(key)
        if rule is None:
            raise OptionError(
                f"[audit] has unknown key {key!r}; known: "
                + ", ".join(sorted(AUDIT_OPTIONS))
            )
        checked[key] = rule.check("[audit]", key, value)
    return checked
