"""The `pii` record detector: Chinese, English and mixed personal information.

Per record: route by language (no model), run a cheap pre-scan, then only the Presidio
engines that can find something; resolve overlapping results; tag sensitive categories;
mask evidence and hash values. Raw values never leave this module.
"""

from __future__ import annotations

import logging
import re
from typing import Any, ClassVar

from corpusgate.detectors.base import (
    RISK_DATA_LEAKAGE,
    RISK_UNLAWFUL_COLLECTION,
    Finding,
    Record,
    RecordDetector,
)
from corpusgate.detectors.masking import ValueHasher, mask_value
from corpusgate.detectors.pii.china.base import (
    WindowContextRecognizer,
    recognizer_result,
    sentence_window,
    word_regex,
)
from corpusgate.detectors.pii.china.cn_license_plate_recognizer import _PROVINCES
from corpusgate.detectors.pii.sensitive import CATEGORIES, SensitiveVocabulary
from corpusgate.detectors.text import detect_language
from presidio_analyzer import RecognizerResult

logger = logging.getLogger(__name__)

ANNEX_A = "A.4.f"
ORG_TYPES = frozenset({"CN_USCC"})
ALWAYS_SENSITIVE = {"PRECISE_LOCATION": "WHEREABOUTS"}
# Account numbers whose leakage directly endangers property: Framework 3.1.2(d).
LEAKAGE_TYPES = frozenset(
    {"CN_BANK_CARD", "CREDIT_CARD", "IBAN_CODE", "US_BANK_NUMBER"}
)
# Names and addresses are identifiers too, but anchor sensitive terms only when a
# person is named, so an address alone does not make nearby words sensitive.
NON_ANCHORS = ORG_TYPES | {"LOCATION", "IP_ADDRESS", "MAC_ADDRESS", "CRYPTO"}

# One fast test before any pattern recognizer: every pattern entity needs seven digits
# (separators allowed), an @, a dotted quad, a 4-decimal number, a MAC/IPv6-like hex
# group, a plate's province character, a degree sign or a medical-record label. Text
# with none of them costs one regex search.
_PRESCAN = re.compile(
    r"\d(?:[\s().\-]?\d){6}|@|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|\d\.\d{4}"
    r"|[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{0,4}:|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}"
    rf"|[{_PROVINCES}][A-Z]|°|病案|住院号|门诊号|MRN",
    re.IGNORECASE,
)
# Every pre-scan alternative holds a digit, @, ° or a medical-record word, except
# digit-free IPv6/MAC shapes, which are not worth a slower scan of all text.
_PRESCAN_GATE = re.compile(r"[\d@°]|病案|住院号|门诊号|MRN", re.IGNORECASE)


def has_candidates(text: str) -> bool:
    """Whether the pattern recognizers can find anything in `text`: a cheap gate,
    then the combined pre-scan."""
    return _PRESCAN_GATE.search(text) is not None and _PRESCAN.search(text) is not None


_HAS_UPPER_WORD = re.compile(r"[A-Z][a-z]")
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")
_IPV4_SHAPE = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
# Presidio types without a check digit that a look-alike marker (order number...)
# just before the value pushes below 0.5.
_UNCHECKED = frozenset({"PHONE_NUMBER", "US_SSN", "UK_NHS", "CREDIT_CARD"})
# A bare 10-11 digit run starting with 1 is the shape of a Chinese mobile number:
# the CN_MOBILE_PHONE recognizer (segments, length) decides, not libphonenumber.
_CN_MOBILE_SHAPE = re.compile(r"1\d{9,10}")
# A run of digits and phone separators (on the ASCII view): where libphonenumber looks.
_AMOUNT = re.compile(r"\d+(?:,\d{3})*\.\d{1,2}")  # 119346.88: money, not a phone
_DIGIT_RUN = re.compile(r"[+(]?\d(?:[ \t().\-/]{0,2}\d){6,}")


class PiiDetector(RecordDetector):
    name: ClassVar[str] = "pii"
    version: ClassVar[str] = "1.0.0"
    finding_types: ClassVar[tuple[str, ...]] = (
        "CN_RESIDENT_ID",
        "CN_MOBILE_PHONE",
        "CN_LANDLINE_PHONE",
        "CN_BANK_CARD",
        "CN_USCC",
        "CN_PASSPORT",
        "CN_TRAVEL_PERMIT",
        "CN_LICENSE_PLATE",
        "CN_MEDICAL_RECORD_NO",
        "PERSON",
        "LOCATION",
        "PRECISE_LOCATION",
        "EMAIL_ADDRESS",
        "PHONE_NUMBER",
        "CREDIT_CARD",
        "IBAN_CODE",
        "IP_ADDRESS",
        "MAC_ADDRESS",
        "US_SSN",
        "CRYPTO",
        "UK_NHS",
    ) + CATEGORIES
    DEFAULTS: ClassVar[dict[str, Any]] = {
        # Results below this score are not reported at all; between it and 0.5 they
        # are reported as low-confidence (e.g. an ID number with a wrong check digit).
        "min_score": 0.3,
        "names": True,  # PERSON / LOCATION recognizers
        "zh_segmenter": True,  # jieba word segmentation for Chinese names
        # Learned second stage rescoring Chinese PERSON candidates (needs the
        # segmenter); False = the rules alone.
        "zh_person_model": True,
        # An installed spaCy English package, e.g. en_core_web_sm; "" = no NER.
        "english_ner_model": "",
        "sensitive_window": 25,  # characters between a category term and a person
    }

    def setup(self) -> None:
        from corpusgate.detectors.pii.engine import build_engines
        from corpusgate.detectors.pii.international import (
            CONTEXT_BOOST,
            ascii_view,
            latin_view,
        )

        self._hash = ValueHasher(self.context.salt)
        self._engines = build_engines(
            zh_segmenter=self.config["zh_segmenter"],
            english_ner_model=self.config["english_ner_model"],
            zh_person_model=self.config["zh_person_model"],
        )
        self._ascii_view = ascii_view
        self._latin_view = latin_view
        self._boost = {
            k: (re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE), b)
            for k, (words, b) in CONTEXT_BOOST.items()
        }
        self._vocab = SensitiveVocabulary()
        self._lookalike = word_regex(WindowContextRecognizer.NEGATIVE_CONTEXT)
        self._ner = bool(self.config["english_ner_model"])
        self.analyze("warm-up: a@example.org")  # loads the bundled suffix list once

    # -- analysis -------------------------------------------------------------------
    def analyze(self, text: str) -> tuple[str, list[RecognizerResult]]:
        """Language and resolved Presidio results for `text` (no masking yet).

        The common case is text with nothing to find, so the order is: one combined
        pre-scan regex; pattern recognizers only if it hits; libphonenumber only on
        the digit runs that no surer recognizer already explains; name recognizers
        only for the scripts present. Recognizers are called directly, not through
        `AnalyzerEngine.analyze` (see `engine.PiiEngines`).
        """
        lang = detect_language(text)
        if self._ner:
            return lang, self._resolve(self._analyze_with_engines(text, lang))
        e = self._engines
        candidates = has_candidates(text)
        names = self.config["names"]
        results: list[RecognizerResult] = []
        if candidates:
            for r in e.zh_patterns:
                results += r.analyze(text, r.supported_entities, None)
        if names and (
            lang in ("zh", "mixed") or (lang == "other" and _HAS_CJK.search(text))
        ):
            for r in e.zh_names:
                results += r.analyze(text, r.supported_entities, None)
        en_names = names and (
            lang in ("en", "mixed") or _HAS_UPPER_WORD.search(text) is not None
        )
        if candidates or en_names:
            view = text if text.isascii() else self._ascii_view(text)
            en_results: list[RecognizerResult] = []
            if candidates:
                for r in e.en_patterns:
                    en_results += r.analyze(view, r.supported_entities, None)
                # Boosted before the phone pass: a grouped number next to "phone"
                # is then sure and spares its run the libphonenumber matcher.
                results += [self._boosted(text, r) for r in en_results]
                en_results = self._phones(view, results)
            if en_names:
                latin = text if text.isascii() else self._latin_view(text)
                for r in e.en_names:
                    en_results += r.analyze(latin, r.supported_entities, None)
            results += [self._boosted(text, r) for r in en_results]
        return lang, self._resolve(results)

    def _phones(
        self, view: str, found: list[RecognizerResult]
    ) -> list[RecognizerResult]:
        """libphonenumber's matcher (Presidio's PhoneRecognizer) on each run of seven
        or more digits that no result scoring >= 0.5 already covers, with offsets
        shifted back: the matcher is the costliest recognizer by far."""
        sure = [(r.start, r.end) for r in found if r.score >= 0.5]
        out: list[RecognizerResult] = []
        for m in _DIGIT_RUN.finditer(view):
            s, t = m.span()
            # E.164 allows at most 15 digits: longer runs are IDs and cards.
            if not 7 <= sum(c.isdigit() for c in m.group()) <= 15:
                continue
            if _AMOUNT.fullmatch(m.group()):
                continue
            if any(a <= s and t <= b for a, b in sure):
                continue
            # A few characters either side: the matcher checks what surrounds a
            # number (a time after a date, letters) before accepting it.
            ws, we = max(0, s - 6), min(len(view), t + 6)
            window = view[ws:we]
            for r in self._engines.en_phone:
                for x in _phone_matches(r, window):
                    x.start += ws
                    x.end += ws
                    out.append(x)
        return out

    def _analyze_with_engines(self, text: str, lang: str) -> list[RecognizerResult]:
        """The AnalyzerEngine path, used with the spaCy NER option."""
        candidates = has_candidates(text)
        names = self.config["names"]
        e = self._engines
        results: list[RecognizerResult] = []
        zh_entities = list(e.zh_pattern_entities) if candidates else []
        if names and (
            lang in ("zh", "mixed") or (lang == "other" and _HAS_CJK.search(text))
        ):
            zh_entities += ["PERSON", "LOCATION"]
        if zh_entities:
            results += e.zh.analyze(text=text, language="zh", entities=zh_entities)
        en_entities = list(e.en_pattern_entities) if candidates else []
        if names and (lang in ("en", "mixed") or _HAS_UPPER_WORD.search(text)):
            en_entities += e.en_name_entities
        if en_entities:
            view = text if text.isascii() else self._ascii_view(text)
            en_results = e.en.analyze(text=view, language="en", entities=en_entities)
            results += [self._boosted(text, r) for r in en_results]
        return results

    def _boosted(self, text: str, r: RecognizerResult) -> RecognizerResult:
        value = text[r.start : r.end]
        if r.entity_type == "PHONE_NUMBER":
            if _IPV4_SHAPE.fullmatch(value) or _CN_MOBILE_SHAPE.fullmatch(value):
                r.score = 0.0  # a dotted quad is an IP address, not a phone number
                return r
            digits = sum(c.isdigit() for c in value)
            # Our grouped layouts need a phone word; libphonenumber's finds do not.
            grouped = (
                r.recognition_metadata.get(RecognizerResult.RECOGNIZER_NAME_KEY)
                == "GroupedPhoneRecognizer"
            )
            if digits >= 10 and any(c in "()-. +" for c in value) and not grouped:
                r.score = max(r.score, 0.55)
        rule = self._boost.get(r.entity_type)
        left, right = sentence_window(text, r.start, r.end, 30)
        if rule and (
            rule[0].search(text, left, r.start) or rule[0].search(text, r.end, right)
        ):
            r.score = min(1.0, r.score + rule[1])
        if r.entity_type in _UNCHECKED and self._lookalike.search(
            text, max(0, r.start - 8), r.start
        ):
            r.score = min(r.score, 0.3)
        return r

    def _resolve(self, results: list[RecognizerResult]) -> list[RecognizerResult]:
        """Drops results below min_score, then keeps the best of overlapping ones."""
        floor = self.config["min_score"]
        ranked = sorted(
            (r for r in results if r.score >= floor),
            key=lambda r: (-r.score, -(r.end - r.start), r.start),
        )
        kept: list[RecognizerResult] = []
        for r in ranked:
            if any(r.start < k.end and k.start < r.end for k in kept):
                continue
            kept.append(r)
        return sorted(kept, key=lambda r: (r.start, r.end))

    # -- findings -------------------------------------------------------------------
    def scan(self, record: Record) -> list[Finding]:
        text = record.text
        if not text:
            return []
        lang, results = self.analyze(text)
        if not results:
            return []
        categories = self._categories(text, results)
        findings = [
            self._finding(text, r, lang, categories.get(i))
            for i, r in enumerate(results)
        ]
        findings += self._category_findings(text, results, categories)
        return findings

    def _categories(
        self, text: str, results: list[RecognizerResult]
    ) -> dict[int, set[str]]:
        """Index of each anchor result -> sensitive categories found near it."""
        out: dict[int, set[str]] = {}
        for i, r in enumerate(results):
            if r.entity_type in ALWAYS_SENSITIVE:
                out.setdefault(i, set()).add(ALWAYS_SENSITIVE[r.entity_type])
        anchors = [
            (i, r)
            for i, r in enumerate(results)
            if r.entity_type not in NON_ANCHORS and r.score >= 0.5
        ]
        if not anchors:
            return out
        w = self.config["sensitive_window"]
        # Vocabulary is searched only in the windows around anchors, never the whole
        # text: anchors are few, and most text has none.
        hits = {}
        for _, r in anchors:
            for hit in self._vocab.find(text, max(0, r.start - w), r.end + w):
                hits[(hit.start, hit.end)] = hit
        self._hits = sorted(hits.values(), key=lambda h: h.start)
        for hit in self._hits:
            for i, r in anchors:
                if hit.start < r.end + w and r.start - w < hit.end:
                    if not (hit.start >= r.start and hit.end <= r.end):
                        out.setdefault(i, set()).add(hit.category)
        return out

    def _category_findings(self, text, results, categories) -> list[Finding]:
        if not any(categories.values()):
            return []
        w = self.config["sensitive_window"]
        findings = []
        seen: set[tuple[str, int]] = set()
        for hit in getattr(self, "_hits", []):
            near = [
                r
                for i, r in enumerate(results)
                if hit.category in categories.get(i, ())
                and hit.start < r.end + w
                and r.start - w < hit.end
            ]
            if not near or (hit.category, hit.start) in seen:
                continue
            seen.add((hit.category, hit.start))
            anchor = max(near, key=lambda r: r.score)
            findings.append(
                Finding(
                    finding_type=hit.category,
                    severity="high",
                    score=round(min(0.9, anchor.score), 4),
                    risk_code=RISK_UNLAWFUL_COLLECTION,
                    annex_a=ANNEX_A,
                    sensitive=True,
                    evidence=f"{hit.term} [near {anchor.entity_type}]",
                    start=hit.start,
                    end=hit.end,
                    details={"term": hit.term, "anchor_type": anchor.entity_type},
                )
            )
        self._hits = []
        return findings

    def _finding(
        self, text: str, r: RecognizerResult, lang: str, cats: set[str] | None
    ) -> Finding:
        value = text[r.start : r.end]
        sensitive = bool(cats)
        if sensitive:
            severity = "high"
        elif r.entity_type in ORG_TYPES:
            severity = "info"
        elif r.score < 0.5:
            severity = "low"
        else:
            severity = "medium"
        meta = r.recognition_metadata or {}
        details: dict[str, Any] = {
            "language": lang,
            "recognizer": meta.get(RecognizerResult.RECOGNIZER_NAME_KEY),
            "length": len(value),
        }
        if "checksum" in meta:
            details["checksum_ok"] = meta["checksum"]
        if "context" in meta:
            details["context"] = meta["context"]
        if cats:
            details["sensitive_categories"] = sorted(cats)
        return Finding(
            finding_type=r.entity_type,
            severity=severity,
            score=round(float(r.score), 4),
            risk_code=RISK_DATA_LEAKAGE
            if r.entity_type in LEAKAGE_TYPES
            else RISK_UNLAWFUL_COLLECTION,
            annex_a=ANNEX_A,
            sensitive=sensitive,
            evidence=mask_evidence(r.entity_type, value),
            start=r.start,
            end=r.end,
            value_hash=self._hash(value),
            details=details,
        )


def _phone_matches(recognizer: Any, window: str) -> list[RecognizerResult]:
    """Presidio's PhoneRecognizer.analyze on one digit run, stopping at the first of
    its regions that matches (the others would find the same span again)."""
    import phonenumbers

    for region in recognizer.supported_regions:
        matches = list(
            phonenumbers.PhoneNumberMatcher(
                window, region, leniency=recognizer.leniency
            )
        )
        if matches:
            return [
                recognizer_result(
                    recognizer, "PHONE_NUMBER", m.start, m.end, recognizer.SCORE
                )
                for m in matches
            ]
    return []


def mask_evidence(entity_type: str, value: str) -> str:
    """Masked evidence: the shape of the value, never the value."""
    if entity_type == "EMAIL_ADDRESS" and "@" in value:
        local, _, domain = value.partition("@")
        return mask_value(local, keep_start=1) + "@" + domain
    if entity_type in ("PERSON", "LOCATION"):
        return mask_value(value, keep_start=1)
    if entity_type == "CN_LICENSE_PLATE":
        return mask_value(value, keep_start=2)
    return mask_value(value, keep_start=4, keep_end=4)
