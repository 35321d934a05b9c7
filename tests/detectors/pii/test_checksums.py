"""Check digits: a valid and an off-by-one invalid vector for each (the standards' worked examples)."""

import re

import pytest
from corpusgate.detectors.pii.checksums import (
    icao_check_digit,
    luhn_ok,
    ric_15_to_18,
    ric_checksum_ok,
    ric_structure_ok,
    uscc_charset_ok,
    uscc_checksum_ok,
)
from corpusgate.detectors.pii.sensitive import trie_regex


@pytest.mark.parametrize(
    "value, checksum, structure",
    [
        ("11010519491231002X", True, True),
        ("440524188001010014", True, True),  # born 1880: no floor at 1900
        ("360426199101010071", True, True),
        ("110105194912310021", False, True),  # check digit off
        ("360426199101010072", False, True),  # off by one
        ("110105194902300021", False, False),  # 30 February
        ("990105194912310021", False, False),  # no province 99
    ],
)
def test_resident_id(value, checksum, structure):
    assert ric_checksum_ok(value) is checksum
    assert ric_structure_ok(value) is structure


def test_resident_id_15_to_18():
    assert ric_15_to_18("110105491231002") == "11010519491231002X"
    assert ric_structure_ok("110105491231002")


@pytest.mark.parametrize(
    "value, ok, charset",
    [
        ("91110000600037341L", True, True),
        ("91110000600037341M", False, True),
        ("91110000600037341I", False, False),
    ],
)
def test_uscc(value, ok, charset):
    assert uscc_checksum_ok(value) is ok
    assert uscc_charset_ok(value) is charset


@pytest.mark.parametrize(
    "value, ok",
    [
        ("6200000000000005", True),
        ("6200000000000006", False),
        ("6212345678901232", True),
        ("6212345678901234", False),
        ("4111111111111111", True),
        ("4111111111111112", False),
    ],
)
def test_luhn(value, ok):
    assert luhn_ok(value) is ok


@pytest.mark.parametrize(
    "field, digit", [("L898902C3", 6), ("740812", 2), ("120415", 9)]
)
def test_icao(field, digit):
    assert icao_check_digit(field) == digit
    assert icao_check_digit(field[:-1] + str((int(field[-1]) + 1) % 10)) != digit


@pytest.mark.parametrize(
    "words, text, expected",
    [
        (["ab", "abc", "b"], "xabcx", ["abc"]),
        (["ab", "abc", "b"], "xabx b", ["ab", "b"]),
        (["糖尿病", "糖尿"], "患糖尿病", ["糖尿病"]),
    ],
)
def test_trie_regex_longest_match(words, text, expected):
    regex = re.compile(trie_regex(words))
    assert [m.group() for m in regex.finditer(text)] == expected
