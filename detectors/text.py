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


_CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_CJK_RUN = re.compile(f"[{_CJK_RANGES}]+")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
# Letters that are neither ASCII nor CJK ideographs (Cyrillic, kana, Arabic, ...).
_OTHER_LETTER = re.compile(f"[^\\W\\d_\\x00-\\x7f{_CJK_RANGES}]+")


def detect_language(text: str, sample: int = 2000) -> str:
    """zh | en | mixed | other | empty, from the script of the letters (no model).

    Latin letters are counted per word so that one English word in Chinese text does
    not outweigh a sentence of ideographs. Only the first `sample` characters are read.
    """
    head = text[:sample]
    cjk = sum(map(len, _CJK_RUN.findall(head)))
    latin_words = len(_LATIN_WORD.findall(head))
    other = sum(map(len, _OTHER_LETTER.findall(head)))
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
