"""The lexicon and signal files: shape, coverage, CAS check digits."""

from __future__ import annotations

import pytest
from corpusgate.detectors.cbrn.lexicon import (
    CATEGORIES,
    LexiconError,
    cas_check_digit,
    is_valid_cas,
    load_lexicon,
    parse_lexicon,
    parse_signals,
)

HEADER = "id\tcategory\ttier\tkind\tstandalone\tlists\ten\tzh\tcodes\tcas\n"


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


# (CAS number, valid) — every valid one with an off-by-one neighbour.
CAS_CASES = [
    ("107-44-8", True),  # sarin, the usual worked example
    ("107-44-9", False),
    ("50782-69-9", True),  # VX
    ("50782-69-8", False),
    ("505-60-2", True),  # mustard gas
    ("505-60-3", False),
    ("9009-86-3", True),  # ricin
    ("9009-86-4", False),
    ("2387496-12-8", True),  # A-series (Novichok)
    ("2387496-12-7", False),
    ("75-44-5", True),  # phosgene
    ("75-44-6", False),
    ("7732-18-5", True),  # water, not in the lexicon but a valid number
    ("107-448", False),  # wrong shape
    ("1-44-8", False),
]


@pytest.mark.parametrize(("cas", "valid"), CAS_CASES)
def test_cas_check_digit(cas: str, valid: bool) -> None:
    assert is_valid_cas(cas) is valid


def test_cas_check_digit_worked_example() -> None:
    # 4·1 + 4·2 + 7·3 + 0·4 + 1·5 = 38 -> 8
    assert cas_check_digit("10744") == 8


def test_every_lexicon_cas_number_passes(lexicon) -> None:
    numbers = [cas for e in lexicon.entries for cas in e.cas]
    assert len(numbers) >= 50
    assert all(is_valid_cas(n) for n in numbers)


def test_loader_rejects_a_bad_check_digit() -> None:
    row = "x\tchemical\tA\tagent\t1\tCWC\tsarin\t沙林\t\t107-44-9\n"
    with pytest.raises(LexiconError, match="invalid CAS"):
        parse_lexicon(HEADER + row)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x\tweapons\tA\tagent\t1\tL\tsarin\t沙林\t\t\n", "unknown category"),
        ("x\tchemical\tD\tagent\t1\tL\tsarin\t沙林\t\t\n", "unknown tier"),
        ("x\tchemical\tA\tagent\t1\tL\tsarin\t\t\t\n", "English and Chinese"),
        ("x\tchemical\tA\tagent\t1\tL\tsarin\n", "columns"),
    ],
)
def test_loader_rejects_malformed_rows(row: str, message: str) -> None:
    with pytest.raises(LexiconError, match=message):
        parse_lexicon(HEADER + row)


def test_every_entry_is_bilingual_and_categorised(lexicon) -> None:
    assert lexicon.version != "unversioned"
    for e in lexicon.entries:
        assert e.en and e.zh, e.id
        assert e.category in CATEGORIES
        assert e.tier in "ABC"


def test_coverage_of_the_public_lists(lexicon) -> None:
    lists = {x for e in lexicon.entries for x in e.lists}
    for prefix in ("CWC-1", "CWC-2", "CWC-3", "SAT-", "MTCR", "AG-", "IAEA"):
        assert any(x.startswith(prefix) for x in lists), prefix
    tier1 = [e for e in lexicon.entries if any(x.endswith("*") for x in e.lists)]
    assert {e.id for e in tier1} >= {"bio.anthracis", "bio.variola", "bio.ebola"}
    assert {e.category for e in lexicon.entries} == set(CATEGORIES)


def test_schedule_2b_and_3_are_not_standalone(lexicon) -> None:
    for e in lexicon.entries:
        if any(x.startswith(("CWC-2B", "CWC-3")) for x in e.lists):
            assert not e.standalone, e.id
        if any(x.startswith("CWC-1") for x in e.lists):
            assert e.tier == "A" and e.standalone, e.id


def test_equipment_is_context_only(lexicon) -> None:
    equipment = [e for e in lexicon.entries if e.kind == "equipment"]
    assert equipment and all(e.is_context and not e.standalone for e in equipment)


def test_signal_file_groups(lexicon) -> None:
    names = {s.name: s.group for s in lexicon.signals}
    for name in ("production", "culture", "quantity", "steps", "evasion"):
        assert names[name] == "procedural"
    for name in ("news_history", "treaty_policy", "clinical", "encyclopedic"):
        assert names[name] == "genre"
    assert names["weaponisation"] == "intent"


def test_signal_regex_is_validated() -> None:
    text = "signal\tgroup\tkind\ten\tzh\nq\tprocedural\tregex\t(unclosed\t\n"
    with pytest.raises(LexiconError, match="bad regex"):
        parse_signals(text)
