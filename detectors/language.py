"""Language and script of a document and of its spans, offline.

CLD2 (`pycld2`, Google's Compact Language Detector 2; its tables ship inside the
wheel) names the language of the whole text and of each run of it; it tells
simplified from traditional Chinese itself. Where CLD2 is unsure (short text, a
name and a number), the script decides: kana makes Japanese, hangul Korean, Han
characters Chinese (traditional when OpenCC's traditional-to-simplified conversion
changes more characters than the reverse one), Latin letters English.

Values: `zh-Hans`, `zh-Hant`, `ja`, `ko`, `en`, `other` (any other language, or no
letters at all).

`to_simplified` converts traditional Chinese to simplified with OpenCC and returns an
offset map back to the original text, exact even where a conversion changes the
number of characters (a phrase of three characters becoming four).
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass
from functools import cache, lru_cache

import pycld2

LANGUAGES = ("zh-Hans", "zh-Hant", "ja", "ko", "en", "other")
_CLD2 = {"zh": "zh-Hans", "zh-Hant": "zh-Hant", "ja": "ja", "ko": "ko", "en": "en"}
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_KANA = re.compile("[\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]{2,}")
# CLD2 reads bytes; invalid UTF-8 (lone surrogates) and control characters make it
# raise, so they are replaced by spaces first (same character count).
_BAD = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Text shorter than this is decided by its script (CLD2 is often unsure there).
SHORT = 40


@dataclass(frozen=True)
class LanguageSpan:
    start: int
    end: int
    language: str


# One converter per configuration, kept: t2s and s2t (han_variant) and tw2sp (the
# pii detector's name view) are all used per document, and building one costs
# milliseconds (with room for two, the three evicted each other on every document).
@cache
def opencc_converter(config: str):
    import opencc

    return opencc.OpenCC(config)


@lru_cache(maxsize=65536)
def _changes(config: str, char: str) -> bool:
    """Whether OpenCC's `config` converts the character alone."""
    return opencc_converter(config).convert(char) != char


def han_variant(text: str) -> str:
    """zh-Hant when more of its Han characters are traditional-only (OpenCC's
    traditional-to-simplified table changes them) than simplified-only (the
    reverse table changes them); a text of shared characters counts as
    simplified. Character by character, each answer cached: no conversion call
    per text."""
    trad = simp = 0
    for c in _HAN.findall(text):
        if _changes("t2s", c):
            trad += 1
        elif _changes("s2t", c):
            simp += 1
    return "zh-Hant" if trad > simp else "zh-Hans"


def script_language(text: str) -> str:
    """The language its letters' script implies (no model): kana -> ja, hangul -> ko,
    Han -> zh-Hans/zh-Hant, Latin -> en."""
    if _KANA.search(text):
        return "ja"
    hangul = len(_HANGUL.findall(text))
    han = len(_HAN.findall(text))
    if hangul and hangul >= han:
        return "ko"
    if han:
        latin = sum(len(w) for w in _LATIN.findall(text))
        # A Chinese sentence with an English word is Chinese; two English
        # sentences with one Chinese name are English.
        if han * 3 >= latin:
            return han_variant(text)
    if _LATIN.search(text):
        return "en"
    return "other"


def _cld2(text: str, vectors: bool):
    clean = _BAD.sub(" ", text)
    try:
        return pycld2.detect(clean, returnVectors=vectors), clean
    except pycld2.error:
        return None, clean


def document_language(text: str, sample: int = 4000) -> str:
    """One of LANGUAGES for the document (its first `sample` characters)."""
    head = text[:sample]
    if len(head.strip()) < SHORT:
        return script_language(head)
    found, _ = _cld2(head, vectors=False)
    if found is None:
        return script_language(head)
    reliable, _, details = found
    code = details[0][1]
    lang = _CLD2.get(code)
    if lang is None:
        if code == "un" or not reliable:
            return script_language(head)
        return "other"
    if lang in ("zh-Hans", "zh-Hant", "ja", "ko") and not _HAN.search(head):
        return script_language(head)
    if lang == "zh-Hans" and _KANA.search(head):
        # Kana never occur in Chinese; a kanji-heavy Japanese text is Japanese.
        kana = len(_KANA.findall(head))
        return "ja" if kana * 20 >= len(_HAN.findall(head)) else lang
    return lang


# Prose at least this long that CLD2 reliably reads as one other language.
OTHER_PROSE_MIN = 400
OTHER_PROSE_PERCENT = 70


def other_language_prose(text: str, sample: int = 4000) -> bool:
    """Whether `text` is prose in a language other than the ones corpusgate reads
    names in (German, French, Spanish...): long enough for CLD2 to be sure, sure,
    and at least OTHER_PROSE_PERCENT of it in that one language. Short text, mixed
    text and text CLD2 cannot name (a list of names, a table) are not."""
    head = text[:sample]
    if len(head) < OTHER_PROSE_MIN:
        return False
    found, _ = _cld2(head, vectors=False)
    if found is None:
        return False
    reliable, _, details = found
    code, percent = details[0][1], details[0][2]
    return (
        reliable
        and code not in ("un", "en")
        and code not in _CLD2
        and percent >= OTHER_PROSE_PERCENT
    )


def language_spans(text: str) -> list[LanguageSpan]:
    """Runs of `text` by language (CLD2's per-chunk verdicts, in character
    offsets), each of LANGUAGES; chunks CLD2 cannot name are decided by script."""
    if not text:
        return []
    found, clean = _cld2(text, vectors=True)
    if found is None or len(found) < 4 or not found[3]:
        return [LanguageSpan(0, len(text), document_language(text))]
    # Byte offsets -> character offsets.
    byte_at = [0]
    for c in clean:
        byte_at.append(byte_at[-1] + len(c.encode("utf-8")))
    out: list[LanguageSpan] = []
    for offset, length, _, code in found[3]:
        s = bisect.bisect_left(byte_at, offset)
        e = bisect.bisect_left(byte_at, offset + length)
        if e <= s:
            continue
        lang = _CLD2.get(code)
        piece = text[s:e]
        if lang is None:
            lang = script_language(piece) if code == "un" else "other"
        elif lang.startswith("zh"):
            # CLD2's simplified/traditional verdict on a short chunk is a guess;
            # OpenCC's character tables decide.
            lang = "ja" if _KANA.search(piece) else han_variant(piece)
        if out and out[-1].language == lang and out[-1].end == s:
            out[-1] = LanguageSpan(out[-1].start, e, lang)
        else:
            out.append(LanguageSpan(s, e, lang))
    return out


def span_language(text: str, start: int, end: int, document: str) -> str:
    """Language of the span text[start:end] inside a document of language
    `document`: its script decides (a Latin name in a Chinese document is `en`),
    and Han characters take the document's Chinese variant, or Japanese/Korean."""
    piece = text[start:end]
    if _HAN.search(piece) and not _KANA.search(piece):
        if document in ("zh-Hans", "zh-Hant", "ja", "ko"):
            return document
        return han_variant(piece)
    return script_language(piece)


# -- traditional -> simplified with offsets ------------------------------------------
# Converted piece by piece: OpenCC's phrases never cross punctuation or line breaks,
# so pieces of equal length map character for character and only the rare piece
# whose length changed is aligned.
_BREAKS = r"\n。！？；，、：「」『』（）()!?;,:\s"
# A piece: a maximal run of characters other than breaks that holds a Han character
# (the look-behind starts it only where a run starts; the lazy part stops at the
# run's first Han character or its end, so each run is read once). As a group, so
# that re.split returns the pieces at the odd places.
_HAN_PIECE = re.compile(f"((?<![^{_BREAKS}])[^{_BREAKS}]*?{_HAN.pattern}[^{_BREAKS}]*)")


def to_simplified(text: str, config: str = "t2s") -> tuple[str, list[int]]:
    """(converted text, offsets): `offsets[i]` is the position in `text` of the
    converted text's character i, plus one final entry len(text), so a span (s, e) of
    the converted text is (offsets[s], offsets[e]) in the original. Where a phrase
    changed length, its characters map within the phrase and a span covering the
    phrase maps to the whole original phrase. `config` is an OpenCC configuration
    (t2s; tw2sp also converts Taiwanese vocabulary)."""
    parts = _HAN_PIECE.split(text)
    pieces = parts[1::2]
    if pieces:
        cc = opencc_converter(config)
        # One OpenCC call for all pieces, joined by line breaks: a dictionary's key
        # never holds one (its source files are one entry a line), so no phrase
        # crosses a join and each piece converts as it does alone. Fewer parts than
        # pieces would mean otherwise: then piece by piece.
        converted = cc.convert("\n".join(pieces)).split("\n")
        if len(converted) != len(pieces):
            converted = [cc.convert(p) for p in pieces]
        parts[1::2] = converted
        if list(map(len, converted)) != list(map(len, pieces)):
            return "".join(parts), _offsets(parts, pieces)
    return "".join(parts), list(range(len(text) + 1))


def _offsets(parts: list[str], pieces: list[str]) -> list[int]:
    """`to_simplified`'s offsets: the text between pieces maps one to one, so does
    a converted piece of its original length; another is aligned (`_align`)."""
    offsets: list[int] = []
    at = 0
    for i, part in enumerate(parts):
        piece = pieces[i // 2] if i % 2 else part
        if len(part) == len(piece):
            offsets.extend(range(at, at + len(piece)))
        else:
            offsets.extend(at + k for k in _align(piece, part))
        at += len(piece)
    offsets.append(at)
    return offsets


def _align(src: str, dst: str) -> list[int]:
    """For each character of `dst`, the index in `src` it came from: equal runs map
    one to one; a replaced run maps proportionally inside the run, its first and
    last characters onto the run's first and last."""
    pos: list[int] = []
    sm = difflib.SequenceMatcher(a=src, b=dst, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            pos.extend(range(i1, i2))
        elif tag in ("replace", "insert"):
            n_src = max(i2 - i1, 1)
            n_dst = j2 - j1
            for k in range(n_dst):
                pos.append(min(i1 + (k * n_src) // n_dst, max(i1, i2 - 1)))
        # "delete": nothing in dst comes from src[i1:i2]
    return pos


def span_to_original(offsets: list[int], start: int, end: int) -> tuple[int, int]:
    """A span of the converted text as a span of the original: from its first
    character's origin to where the next converted character's origin starts (so a
    span covering a converted phrase covers the whole original phrase)."""
    s = offsets[start]
    if end <= start:
        return s, s
    last, nxt = offsets[end - 1], offsets[end]
    return s, nxt if nxt > last else last + 1
