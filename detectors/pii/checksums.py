"""Check-digit algorithms for Chinese and international identifiers
(docs/standards.md, "Identifier check digits").

Every function takes the bare value (separators already removed) and returns a bool;
none of them raises on malformed input, so recognizers can call them on any match.
"""

from __future__ import annotations

import datetime as _dt

# GB 11643-1999: weights 2^(18-i) mod 11 for positions 1..17, check = table[S mod 11].
_RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RIC_CHECK = "10X98765432"
# GB/T 2260 province codes, plus 71 (Taiwan) and 81/82/83 (HK/Macau/Taiwan residence
# permits, same check algorithm).
RIC_PROVINCES = frozenset(
    [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37]
    + [41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65]
    + [71, 81, 82, 83]
)


def ric_check_char(first17: str) -> str:
    """The GB 11643 (ISO 7064 MOD 11-2) check character for 17 digits."""
    s = sum(int(c) * w for c, w in zip(first17, _RIC_WEIGHTS, strict=True))
    return _RIC_CHECK[s % 11]


def _valid_date(yyyymmdd: str, today: _dt.date | None = None) -> bool:
    try:
        d = _dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    # 1880 is a real GB example (440524188001010014): no hard floor at 1900.
    return _dt.date(1850, 1, 1) <= d <= (today or _dt.date.today())


def ric_structure_ok(value: str) -> bool:
    """Region (province) and birth date of an 18- or 15-character ID number."""
    if len(value) == 18:
        body, date = value[:17], value[6:14]
    elif len(value) == 15:
        body, date = value, "19" + value[6:12]
    else:
        return False
    if not body.isdigit() or int(value[:2]) not in RIC_PROVINCES:
        return False
    return _valid_date(date)


def ric_checksum_ok(value: str) -> bool:
    """GB 11643 MOD 11-2 check of an 18-character ID number."""
    if len(value) != 18 or not value[:17].isdigit():
        return False
    return ric_check_char(value[:17]) == value[17].upper()


def ric_15_to_18(value: str) -> str:
    """Legacy 15-digit number -> 18 characters (insert century 19, append check)."""
    first17 = value[:6] + "19" + value[6:]
    return first17 + ric_check_char(first17)


# GB 32100-2015 unified social credit code.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_charset_ok(value: str) -> bool:
    return len(value) == 18 and all(c in USCC_ALPHABET for c in value.upper())


def uscc_checksum_ok(value: str) -> bool:
    value = value.upper()
    if not uscc_charset_ok(value):
        return False
    s = sum(
        USCC_ALPHABET.index(c) * w
        for c, w in zip(value[:17], _USCC_WEIGHTS, strict=True)
    )
    return USCC_ALPHABET[(31 - s % 31) % 31] == value[17]


def luhn_ok(digits: str) -> bool:
    """Luhn mod 10: double every second digit from the right."""
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def icao_check_digit(field: str) -> int:
    """ICAO 9303 MRZ check digit: weights 7,3,1; A=10..Z=35; '<'=0."""
    total = 0
    for i, ch in enumerate(field.upper()):
        if ch.isdigit():
            v = int(ch)
        elif "A" <= ch <= "Z":
            v = ord(ch) - 55
        else:
            v = 0
        total += v * (7, 3, 1)[i % 3]
    return total % 10
