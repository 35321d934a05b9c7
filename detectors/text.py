"""Text normalisation and model-free language routing shared by detectors."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")


def normalize_for_hash(text: str) -> str:
    """NFKC with whitespace runs folded to one space and the ends stripped."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF  # CJK unified ideographs
        or 0x3400 <= o <= 0x4DBF  # extension A
        or 0x20000 <= o <= 0x2FA1F  # extensions B.. and compatibility supplement
        or 0xF900 <= o <= 0xFAFF  # compatibility ideographs
    )


def detect_language(text: str, sample: int = 4000) -> str:
    """zh | en | mixed | other | empty, from the script of the letters (no model).

    Latin letters are counted per word so that one English word in Chinese text does
    not outweigh a sentence of ideographs. Only the first `sample` characters are read.
    """
    cjk = latin_words = other = 0
    in_word = False
    for ch in text[:sample]:
        if _is_cjk(ch):
            cjk += 1
            in_word = False
        elif ch.isascii() and ch.isalpha():
            if not in_word:
                latin_words += 1
            in_word = True
        else:
            in_word = False
            if ch.isalpha():
                other += 1
    total = cjk + latin_words + other
    if total == 0:
        return "empty"
    if cjk / total >= 0.8:
        return "zh"
    if latin_words / total >= 0.8:
        return "en"
    if cjk and latin_words and (cjk + latin_words) / total >= 0.8:
        return "mixed"
    return "other"
