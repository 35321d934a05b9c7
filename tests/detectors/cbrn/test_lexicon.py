"""The lexicon, signal and boundary files: shape, coverage, sources, CAS check
digits."""

from __future__ import annotations

import pytest
from corpusgate.detectors.cbrn.lexicon import (
    CATEGORIES,
    LexiconError,
    cas_check_digit,
    is_valid_cas,
    load_lexicon,
    parse_boundaries,
    parse_lexicon,
    parse_signals,
    source_of,
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


def test_precursors_are_not_standalone(lexicon) -> None:
    # Schedule 2B / 3B precursors are industrial chemicals: they need a delivery,
    # harm or evasion frame. Schedule 3A toxic chemicals (phosgene, hydrogen
    # cyanide...) are warfare agents of their own.
    for e in lexicon.entries:
        if any(x.startswith(("CWC-2B", "CWC-3B")) for x in e.lists):
            assert not e.standalone, e.id
        if any(x.startswith("CWC-1") for x in e.lists):
            assert e.tier == "A" and e.standalone, e.id


def test_equipment_is_context_only(lexicon) -> None:
    equipment = [e for e in lexicon.entries if e.kind == "equipment"]
    assert equipment and all(e.is_context and not e.standalone for e in equipment)


def test_signal_file_groups(lexicon) -> None:
    names = {s.name: s.group for s in lexicon.signals}
    frames = ("production", "enhancement", "acquisition", "evasion", "delivery", "harm")
    for name in frames:
        assert names[name] == "frame"
    for name in ("request", "plan", "question", "opener"):
        assert names[name] == "mode"
    for name in ("quantity", "condition", "steps"):
        assert names[name] == "structure"
    for name in ("news_history", "treaty_policy", "clinical", "encyclopedic", "exam"):
        assert names[name] == "genre"
    assert names["defence"] == "defence" and names["computing"] == "sense"


def test_signal_regex_is_validated() -> None:
    text = "signal\tgroup\tkind\ten\tzh\nq\tstructure\tregex\t(unclosed\t\n"
    with pytest.raises(LexiconError, match="bad regex"):
        parse_signals(text)


def test_every_entry_names_a_declared_source(lexicon) -> None:
    sources = dict(lexicon.sources)
    assert len(sources) >= 20
    assert all(desc.strip() for desc in sources.values())
    for e in lexicon.entries:
        assert e.lists, e.id
        for code in e.lists:
            assert source_of(code, sources) is not None, (e.id, code)


def test_the_control_lists_of_the_issue_are_sources(lexicon) -> None:
    # CWC schedules, WHO Ia/Ib, Rotterdam Annex III, organometallic poisons,
    # Australia Group pathogens and toxins, NSG, IAEA sources, MTCR Category I
    used = {
        source_of(x, dict(lexicon.sources)) for e in lexicon.entries for x in e.lists
    }
    for name in (
        "CWC-1", "CWC-2", "CWC-3", "WHO-Ia", "WHO-Ib", "PIC-III", "GHS-AT1",
        "AG-human", "AG-animal", "AG-toxins", "NSG-trigger", "IAEA-Cat1-2", "MTCR-CatI",
    ):  # fmt: skip
        assert name in used, name
    names = {n for e in lexicon.entries for n in e.en}
    for isotope in ("cesium-137", "cobalt-60", "iridium-192", "americium-241"):
        assert isotope in names
    for poison in ("dimethylmercury", "parathion", "tetraethyl lead", "sodium cyanide"):
        assert poison in names


def test_loader_rejects_an_undeclared_source() -> None:
    declared = "# source\tCWC-1\tChemical Weapons Convention, Schedule 1\n"
    ok = "x\tchemical\tA\tagent\t1\tCWC-1A1\tsarin\t沙林\t\t\n"
    assert parse_lexicon(declared + HEADER + ok)[1][0].lists == ("CWC-1A1",)
    bad = "y\tchemical\tA\tagent\t1\tXYZ-1\tsoman\t梭曼\t\t\n"
    with pytest.raises(LexiconError, match="undeclared source"):
        parse_lexicon(declared + HEADER + bad)
    none = "z\tchemical\tA\tagent\t1\t\ttabun\t塔崩\t\t\n"
    with pytest.raises(LexiconError, match="names no source"):
        parse_lexicon(declared + HEADER + none)


def test_dual_use_words_are_dual_use_entries(lexicon) -> None:
    # the words the issue names count only inside a CBRN frame
    dual = {n for e in lexicon.entries if e.is_dual_use for n in e.en}
    for word in (
        "host",
        "strain",
        "payload",
        "virus",
        "culture",
        "agent",
        "expression",
    ):
        assert word in dual, word
    firm = {n for e in lexicon.entries if not e.is_dual_use for n in e.en}
    assert not dual & firm


def test_boundary_exceptions_file(lexicon) -> None:
    assert {"天花板", "炭疽病"} <= lexicon.zh_block
    assert "毒气室" in lexicon.zh_allow
    text = "word\taction\twhy\n天花板\tskip\tceiling\n"
    with pytest.raises(LexiconError, match="unknown action"):
        parse_boundaries(text)
