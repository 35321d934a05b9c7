"""What kind of text a document is: prose, source code, or markup/data.

Natural-language recognizers (names, places, sensitive statements, numbers that only
context makes personal) are meant for prose; in code and markup the same digits are
coordinates, constants, ids and hashes. `text_kind` decides from the file extension
where the record names its file (a `path`, `file`, `filename` or `url` field) and
from content features otherwise, reading at most the first `SAMPLE` characters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

PROSE, CODE, MARKUP = "prose", "code", "markup"
KINDS = (PROSE, CODE, MARKUP)

_CODE_EXT = frozenset(
    "py pyi pyx js mjs cjs jsx ts tsx go java kt kts scala c h cc cpp cxx hpp hh cs rs"
    " rb php pl pm swift m mm sh bash zsh fish ps1 bat cmd lua r jl dart ex exs erl"
    " hs ml clj sql groovy gradle vb f90 cmake mk makefile dockerfile vim el".split()
)
_MARKUP_EXT = frozenset(
    "svg html htm xhtml xml xsl xsd json jsonl ndjson geojson csv tsv tex sty cls bib"
    " yaml yml toml ini cfg conf properties css scss sass less plist rdf kml gpx"
    " ipynb lock map ics vcf po pot".split()
)
_PROSE_EXT = frozenset("txt md markdown rst adoc text org".split())
PATH_FIELDS = ("path", "file", "filename", "file_name", "url")
SAMPLE = 4000

_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")
_LATEX = re.compile(r"\\(?:begin|end|documentclass|usepackage|section|frac|label)\b")
# A troff/man request line (.SH NAME, .TP, .B word, .\" comment): manual pages are
# typesetting markup, their words interleaved with requests and escapes (\fB, \*(Aq).
_TROFF_LINE = re.compile(r"^(?:[.'](?:[A-Za-z]{1,2}(?:[ \t]|$)|\\\"))")
TROFF_SHARE = 0.2
_CODE_LINE = re.compile(
    r"^\s*(?:def |class |import |from \S+ import |func |package |#include|#define"
    r"|const |let |var |return\b|if \(|for \(|while \(|function\b|public |private "
    r"|static |fn |use |module\.exports|require\(|@\w+|}\s*else|\}|\{)"
    r"|[;{}]\s*$|\)\s*:\s*$|=>\s*\{?\s*$"
)


def extension(path: str) -> str:
    name = path.rsplit("/", 1)[-1].split("?", 1)[0].lower()
    if name in ("makefile", "dockerfile"):
        return name
    return name.rsplit(".", 1)[-1] if "." in name else ""


def kind_from_path(path: str | None) -> str | None:
    if not path:
        return None
    ext = extension(path)
    if ext in _CODE_EXT:
        return CODE
    if ext in _MARKUP_EXT:
        return MARKUP
    if ext in _PROSE_EXT:
        return PROSE
    return None


def kind_from_content(text: str) -> str:
    """Content features of the first SAMPLE characters: tag density, a JSON or CSV
    shape, LaTeX commands, troff requests, the share of lines that look like code."""
    sample = text[:SAMPLE]
    head = sample.lstrip()
    if not head:
        return PROSE
    if head.startswith(("<?xml", "<svg", "<!DOCTYPE", "<!doctype", "<html")):
        return MARKUP
    tags = sum(len(m.group()) for m in _TAG.finditer(sample))
    if tags > 0.2 * len(sample):
        return MARKUP
    if head[0] in "{[" and re.search(r'"[^"\n]{1,40}"\s*:', sample):
        return MARKUP
    if len(_LATEX.findall(sample)) >= 3:
        return MARKUP
    lines = [ln for ln in sample.splitlines() if ln.strip()]
    if len(lines) >= 4 and (
        sum(1 for ln in lines if _TROFF_LINE.match(ln)) >= TROFF_SHARE * len(lines)
    ):
        return MARKUP
    if len(lines) >= 4:
        for sep in (",", "\t", ";", "|"):
            counts = [ln.count(sep) for ln in lines[:20]]
            if min(counts) >= 2 and max(counts) == min(counts):
                return MARKUP  # a table: every row has the same number of fields
        code = sum(1 for ln in lines if _CODE_LINE.search(ln))
        if code >= 0.3 * len(lines):
            return CODE
    return PROSE


def text_kind(text: str, meta: Mapping[str, Any] | None = None) -> str:
    """prose | code | markup for one record (its file name first, then content)."""
    for key in PATH_FIELDS:
        value = (meta or {}).get(key)
        if isinstance(value, str):
            kind = kind_from_path(value)
            if kind:
                return kind
    return kind_from_content(text)
