"""Loads the CBRN lexicon and the context-signal vocabulary from the data files.

Both files are versioned TSV under `data/` (names, codes and CAS numbers only, never
procedures). Loading validates them: every entry has English and Chinese names, a
known category, tier and kind, and every CAS number passes its check digit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

CATEGORIES = ("chemical", "biological", "nuclear_radiological", "missile")
TIERS = ("A", "B", "C")
KINDS = (
    "agent",
    "precursor",
    "toxin",
    "toxic",
    "material",
    "design",
    "delivery",
    "source",
    "facility",
    "concept",
    "weapon",
    "dualuse",
    "lab",
    "equipment",
)
# Kinds that describe context, never a finding of their own.
CONTEXT_KINDS = frozenset({"lab", "equipment"})
# Everyday words with a CBRN sense (virus, host, strain, payload, agent): an anchor
# only inside a CBRN frame, never a mention of their own.
DUAL_USE_KIND = "dualuse"
# frame: what makes text uplift (production, enhancement, acquisition, evasion,
# delivery, harm); mode: a request, instruction or plan; structure: quantities,
# conditions, numbered steps; defence: prevention / protection / treatment in the
# same sentence; genre: document-wide lowering genres.
SIGNAL_GROUPS = ("frame", "mode", "structure", "defence", "sense", "genre")

_CAS = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")


class LexiconError(ValueError):
    """A malformed lexicon or signal file; the message names the file and line."""


def cas_check_digit(body: str) -> int:
    """Check digit for the CAS digits before it (`'10744'` for 107-44-8 -> 8).

    Σ(i·d_i) mod 10, with i = 1, 2, … counted from the right.
    """
    return sum(i * int(d) for i, d in enumerate(reversed(body), start=1)) % 10


def is_valid_cas(cas: str) -> bool:
    """True when `cas` has the CAS shape and its check digit is right."""
    m = _CAS.match(cas)
    if not m:
        return False
    return cas_check_digit(m.group(1) + m.group(2)) == int(m.group(3))


@dataclass(frozen=True)
class LexiconEntry:
    id: str
    category: str
    tier: str
    kind: str
    standalone: bool
    lists: tuple[str, ...]
    en: tuple[str, ...]
    zh: tuple[str, ...]
    codes: tuple[str, ...]  # case-sensitive whole tokens
    weak_codes: tuple[str, ...]  # ambiguous codes: count only beside a named hit
    cas: tuple[str, ...]

    @property
    def is_context(self) -> bool:
        return self.kind in CONTEXT_KINDS

    @property
    def is_dual_use(self) -> bool:
        return self.kind == DUAL_USE_KIND


@dataclass(frozen=True)
class Signal:
    name: str
    group: str
    kind: str  # "term", "unit" (after a number) or "regex"
    en: tuple[str, ...]
    zh: tuple[str, ...]
    regex: str | None = None


@dataclass(frozen=True)
class Lexicon:
    version: str
    entries: tuple[LexiconEntry, ...]
    signals_version: str
    signals: tuple[Signal, ...]
    # list code -> the public list (or project vocabulary) it stands for
    sources: tuple[tuple[str, str], ...] = ()
    # Chinese word-boundary exceptions (data/zh_boundaries.tsv)
    zh_block: frozenset[str] = frozenset()
    zh_allow: frozenset[str] = frozenset()

    @cached_property
    def frame_verb_stems(self) -> frozenset[str]:
        """The English frame words the frames' vocabulary inflects as verbs (breed ->
        breeding, enhance -> enhancing, traffic -> trafficking): base forms, whatever
        their ending (the scorer's test of an imperative). A -sis noun is none
        (synthesis + ing only spells synthesising)."""
        words = {
            t.split()[0].lower()
            for sig in self.signals
            if sig.group == "frame" and sig.kind == "term"
            for t in sig.en
        }
        return frozenset(
            w
            for w in words
            if not w.endswith("sis")
            and (
                w + "ing" in words
                or w + "king" in words
                or (w.endswith("e") and w[:-1] + "ing" in words)
            )
        )


def source_of(list_code: str, sources: dict[str, str]) -> str | None:
    """The declared source a list code names (`CWC-1A1` -> `CWC-1`): the longest
    declared code that equals it or is its prefix; None when none is declared."""
    code = list_code.rstrip("*")
    best = None
    for name in sources:
        if code == name or code.startswith(name):
            if best is None or len(name) > len(best):
                best = name
    return best


def _split(cell: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in cell.split("|") if v.strip())


def _rows(text: str, where: str) -> tuple[dict[str, str], list[tuple[int, list[str]]]]:
    """Comment lines may carry `# key<TAB>value` metadata; the first other line is
    the header."""
    meta: dict[str, str] = {}
    sources: list[str] = []
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if line.startswith("#"):
            parts = line[1:].strip().split("\t")
            if len(parts) == 2:
                meta[parts[0].strip()] = parts[1].strip()
            elif len(parts) == 3 and parts[0].strip() == "source":
                sources.append(f"{parts[1].strip()}\t{parts[2].strip()}")
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        if len(cells) != len(header):
            raise LexiconError(
                f"{where}:{lineno}: {len(cells)} columns, expected {len(header)}"
            )
        rows.append((lineno, cells))
    if header is None:
        raise LexiconError(f"{where}: no header line")
    return meta | {
        "__header__": "\t".join(header),
        "__sources__": "\n".join(sources),
    }, rows


def parse_sources(text: str, where: str = "lexicon.tsv") -> dict[str, str]:
    """The `# source<TAB>LIST<TAB>description` declarations of a lexicon file."""
    meta, _ = _rows(text, where)
    return dict(
        line.split("\t", 1) for line in meta["__sources__"].splitlines() if line
    )


def parse_lexicon(
    text: str, where: str = "lexicon.tsv"
) -> tuple[str, list[LexiconEntry]]:
    """Entries of a lexicon file; every entry must name at least one list, and every
    list must be declared by a `# source` line (files without any declaration are
    accepted as they are, for small test lexicons)."""
    meta, rows = _rows(text, where)
    sources = dict(
        line.split("\t", 1) for line in meta["__sources__"].splitlines() if line
    )
    entries: list[LexiconEntry] = []
    seen: set[str] = set()
    for lineno, c in rows:
        id_, category, tier, kind, standalone, lists, en, zh, codes, cas = c
        here = f"{where}:{lineno} ({id_})"
        if id_ in seen:
            raise LexiconError(f"{here}: duplicate id")
        seen.add(id_)
        if category not in CATEGORIES:
            raise LexiconError(f"{here}: unknown category {category!r}")
        if tier not in TIERS:
            raise LexiconError(f"{here}: unknown tier {tier!r}")
        if kind not in KINDS:
            raise LexiconError(f"{here}: unknown kind {kind!r}")
        if standalone not in ("0", "1"):
            raise LexiconError(f"{here}: standalone must be 0 or 1")
        en_names, zh_names = _split(en), _split(zh)
        if not en_names or not zh_names:
            raise LexiconError(f"{here}: needs English and Chinese names")
        cas_numbers = _split(cas)
        bad = [n for n in cas_numbers if not is_valid_cas(n)]
        if bad:
            raise LexiconError(f"{here}: invalid CAS number(s) {', '.join(bad)}")
        all_codes = _split(codes)
        list_codes = _split(lists.replace(";", "|"))
        if sources:
            if not list_codes:
                raise LexiconError(f"{here}: names no source list")
            unknown = [x for x in list_codes if source_of(x, sources) is None]
            if unknown:
                raise LexiconError(f"{here}: undeclared source list(s) {unknown}")
        entries.append(
            LexiconEntry(
                id=id_,
                category=category,
                tier=tier,
                kind=kind,
                standalone=standalone == "1",
                lists=list_codes,
                en=en_names,
                zh=zh_names,
                codes=tuple(x for x in all_codes if not x.startswith("~")),
                weak_codes=tuple(x[1:] for x in all_codes if x.startswith("~")),
                cas=cas_numbers,
            )
        )
    return meta.get("lexicon_version", "unversioned"), entries


def parse_signals(text: str, where: str = "signals.tsv") -> tuple[str, list[Signal]]:
    meta, rows = _rows(text, where)
    signals: list[Signal] = []
    for lineno, c in rows:
        name, group, kind, en, zh = c
        here = f"{where}:{lineno} ({name})"
        if group not in SIGNAL_GROUPS:
            raise LexiconError(f"{here}: unknown group {group!r}")
        if kind in ("term", "unit"):
            signals.append(Signal(name, group, kind, _split(en), _split(zh)))
        elif kind == "regex":
            pattern = "|".join(p for p in (en.strip(), zh.strip()) if p)
            try:
                re.compile(pattern)
            except re.error as exc:
                raise LexiconError(f"{here}: bad regex: {exc}") from exc
            signals.append(Signal(name, group, kind, (), (), regex=pattern))
        else:
            raise LexiconError(f"{here}: unknown kind {kind!r}")
    return meta.get("signals_version", "unversioned"), signals


def parse_boundaries(
    text: str, where: str = "zh_boundaries.tsv"
) -> tuple[frozenset[str], frozenset[str]]:
    """The Chinese boundary exceptions: (block words, allow words)."""
    _, rows = _rows(text, where)
    block, allow = set(), set()
    for lineno, (word, action, _why) in rows:
        if action not in ("block", "allow"):
            raise LexiconError(f"{where}:{lineno} ({word}): unknown action {action!r}")
        (block if action == "block" else allow).add(word)
    return frozenset(block), frozenset(allow)


def _read(path: str | None, default_name: str) -> tuple[str, str]:
    if path:
        return Path(path).read_text(encoding="utf-8"), path
    ref = resources.files("corpusgate.detectors.cbrn").joinpath("data", default_name)
    return ref.read_text(encoding="utf-8"), default_name


def load_lexicon(
    lexicon_path: str | None = None, signals_path: str | None = None
) -> Lexicon:
    """Reads and validates both files (the packaged ones unless paths are given)."""
    text, where = _read(lexicon_path, "lexicon.tsv")
    version, entries = parse_lexicon(text, where)
    sources = tuple(parse_sources(text, where).items())
    text, where = _read(signals_path, "signals.tsv")
    signals_version, signals = parse_signals(text, where)
    block, allow = parse_boundaries(*_read(None, "zh_boundaries.tsv"))
    return Lexicon(
        version, tuple(entries), signals_version, tuple(signals), sources, block, allow
    )
