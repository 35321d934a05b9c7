"""jieba's segmentation for the Chinese recognizers, run by jieba-rs.

The recognizers need jieba's words (dictionary DAG + HMM for unknown words) on many
short windows, and its dictionary data (word frequencies and part-of-speech tags).
The words come from `rjieba`, the Python binding of jieba-rs: the same dictionary and
algorithm in Rust, the same Chinese words (checked on 2,400 documents of the
evaluation sets; only the grouping of digits and Latin letters differs, 240-250 is
one token) at about 25 times the speed of jieba's Python. The dictionary data comes
from jieba itself, loaded once per process.
"""

from __future__ import annotations

import os
from functools import lru_cache

import rjieba


def cut(text: str) -> list[str]:
    """jieba's words of `text`, its HMM on (an unknown name is one word: 倪以理)."""
    return rjieba.cut(text, True)


def dictionary_words(text: str) -> list[str]:
    """jieba's words of `text` by its dictionary alone, the HMM off (an unknown
    name falls into its characters: 徐|海燕, where the HMM glues 徐海 as a place)."""
    return rjieba.cut(text, False)


@lru_cache(maxsize=1)  # one dictionary per process
def dictionary() -> tuple[dict[str, int], dict[str, str]]:
    """jieba's word frequencies (with the zero-count prefixes it keeps) and
    part-of-speech tags, from the set-up cache (`setup_cache`: parsing them costs
    about a second per process, loading the cached copy a quarter of that)."""
    import inspect

    from corpusgate.detectors.pii.setup_cache import cached

    return cached(
        "jieba-dictionary",
        [inspect.getsource(_parse_dictionary), *jieba_data()],
        _parse_dictionary,
    )


@lru_cache(maxsize=1)
def jieba_data() -> tuple[str, str]:
    """What jieba's dictionary data is: its version and a digest of its dictionary
    file (found without importing jieba, which parses the dictionary on import)."""
    import hashlib
    from importlib.metadata import version
    from importlib.util import find_spec

    spec = find_spec("jieba")
    assert spec is not None and spec.submodule_search_locations
    path = os.path.join(spec.submodule_search_locations[0], "dict.txt")
    with open(path, "rb") as fh:
        return version("jieba"), hashlib.sha256(fh.read()).hexdigest()


def _parse_dictionary() -> tuple[dict[str, int], dict[str, str]]:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    jieba.dt.initialize()
    freq, tags = jieba.dt.FREQ, jieba.posseg.dt.word_tag_tab
    # The same objects for the same words and tags: the cached copy stores each
    # string once and loads faster. Key order is kept.
    words = {w: w for w in freq}
    values: dict[str, str] = {}
    return freq, {words.get(w, w): values.setdefault(t, t) for w, t in tags.items()}
