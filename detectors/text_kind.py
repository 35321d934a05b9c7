"""What kind of text a document is: prose, source code, or markup/data.

Natural-language recognizers (names, places, sensitive statements, numbers that only
context makes personal) are meant for prose; in code and markup the same digits are
coordinates, constants, ids and hashes. `text_kind` decides from the file extension
where the record names its file (a `path`, `file`, `filename` or `url` field) and
from content features otherwise, reading the first `SAMPLE` characters (and the next
`SAMPLE` after them when comments fill the first).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any, NamedTuple

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

# A tag with well-formed attributes (<a href="x">, <br/>, </p>): not <<Memo to BOD -
# 12-21-01.doc>> of a mail's attachment list.
_TAG = re.compile(
    r"</?[A-Za-z][\w:-]*(?:\s+[\w:-]+(?:\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'|[^\s<>\"']+))?)*"
    r"\s*/?>"
)
# A bare <word> is a tag only under an HTML name (<p>, <br>); else it needs an
# attribute, a closing slash or to be self-closing (<alice> of a chat log is none).
_HTML_NAMES = frozenset(
    "a abbr b body br code dd div dl dt em h1 h2 h3 h4 h5 h6 head hr html i img li"
    " ol p pre script span strong style sub sup table tbody td th thead title tr tt u"
    " ul".split()
)


def _tag_chars(text: str) -> int:
    n = 0
    for m in _TAG.finditer(text):
        tag = m.group()
        if (
            tag[1] == "/"
            or tag[-2] == "/"
            or "=" in tag
            or tag[1:-1].split(None, 1)[0].lower() in _HTML_NAMES
        ):
            n += len(tag)
    return n


# Document structure, not math (\frac in a Markdown page's formula).
_LATEX = re.compile(
    r"\\(?:begin|end|documentclass|usepackage|chapter|section|subsection|label|ref"
    r"|cite|item|emph|textbf|newcommand|includegraphics)\b"
)
# A troff/man request line (.SH NAME, .TP, .B word, .\" comment): manual pages are
# typesetting markup, their words interleaved with requests and escapes (\fB, \*(Aq).
_TROFF_LINE = re.compile(r"^(?:[.'](?:[A-Za-z]{1,2}(?:[ \t]|$)|\\\"))")
TROFF_SHARE = 0.2
_PEM = re.compile(r"^-----BEGIN [A-Z0-9 ]+-----\s*$")
# A JSON array: a string, array or object first, or a number/literal and its comma.
_JSON_ARRAY = re.compile(
    r"\[\s*(?:\"|\[|\{|(?:-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)"
    r"\s*(?:,|\]\s*$)|\]\s*$)"
)
_BASE64_LINE = re.compile(r"^[A-Za-z0-9+/=]{40,}$")


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


# -- one line at a time -------------------------------------------------------------
# Each line of the sample is a comment, a tag line, a key/value or section line of a
# configuration or data file, an assignment, a line of code, a line of running text,
# or none of these (short lines, headings, bullets). Code-shaped punctuation decides
# before the words do; keywords alone (`if`, `for`, `use`, `return` start wrapped
# sentences too) count only when the line does not read as text.
COMMENT, TAG, CONFIG, ASSIGN, CODE_LINE, TEXT, OTHER = range(7)
NON_PROSE = (TAG, CONFIG, ASSIGN, CODE_LINE)
_COMMENT = re.compile(
    r"^(?://|/\*|\*/|#(?!include|define|if|endif|pragma|!)|--\s|;;|%|<!--)"
)
_BLOCK_OPEN = re.compile(r"^[rbuRBU]{0,2}(\"\"\"|''')")
_DOCSTRING = re.compile(r"^[rbuRBU]{0,2}(\"\"\"|''').*\1$")
_KEY = re.compile(
    r"^(?P<item>-\s+)?(?P<q>[\"']?)(?P<key>[A-Za-z_$@][\w.\-/$@]{0,60})(?P=q)"
    r"\s*:(?!//|:)(?:\s|$)"
)
_SECTION = re.compile(r"^\[{1,2}[\w.\-\"' ]{1,60}\]{1,2}$")
_LINK_REF = re.compile(r"^\[[^\]]+\]:\s*\S+")
_ASSIGN = re.compile(
    r"^(?:(?:export|set|var|let|const|local|my|our|val|readonly|declare)\s+)?"
    r"[A-Za-z_$][\w.$\[\]\"'-]*\s*(?:[-+*/%|&^.?:]|\*\*|//|<<|>>)?=(?!=)\s*\S"
)
# Every branch opens with a literal character, so the engine skips ahead to those
# characters instead of trying each branch at every position ("->" not after "-").
_CODE_ANYWHERE = re.compile(r"=>|-(?<!--)>\s*\S|::\w|\$[({]|&&|\|\||!=|==")
_CODE_START = re.compile(
    r"[\])}]+[;,)]*$|#(?:include|define|if|ifdef|ifndef|endif|pragma|!)"
    r"|[\w.$]+\(.*\)[;,]?$|from\s+[\w.]+\s+import\s|import\s+[\w.*]+(?:\s+as\s+\w+)?;?$"
    r"|(?:fi|done|esac|then|do|end|else|endif|try|finally|begin)\s*;?$"
    r"|(?:def|func|fn|class|struct|interface|impl)\s+\w+\s*[(<:{\[]"
    r"|package\s+[\w.]+;?$|@\w+(?:\(|$)|type\s+\w+\s+[\w\[*]"
    r"|(?:raise|throw|return|yield)\s+[\w.]+\(|(?:if|elif|while|for|with|except)\b[^.!?]*:$"
    # a string literal ending in a comma/bracket/plus, or one token in quotes
    r"|[\"'].*[\"']\s*[,)+;\]\\]+$|[rbuRBU]?(?:\"[^\s\"]*\"|'[^\s']*')\s*[,)+;\]\\]*$"
)
_CODE_WEAK = re.compile(
    r"^(?:return|const|let|var|public|private|static|use|require|echo|export|local"
    r"|module\.exports|function|async|await|yield|raise|throw|assert|print)\b"
)
_TRAILING_COMMENT = re.compile(r"\s+(?:#|//)\s.*$")
_CSS_DECL = re.compile(r"^[-a-z]+\s*:\s*[^;{}]*;$")
_CODE_PUNCT = re.compile(r"[{}\[\]();=<>|&$\\]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_CJK_RUNS = re.compile(_CJK.pattern + "+")


def _cjk_count(s: str) -> int:
    """How many characters of `s` _CJK matches: its length less what is left once
    the runs of them are removed (a third of the time of a findall per character,
    asked of every line)."""
    return len(s) - len(_CJK_RUNS.sub("", s))


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_MD_INLINE = re.compile(r"\[([^\]\n]*)\]\([^)\s]*\)|`[^`\n]*`|\{\{[^{}\n]*\}\}")
# Bullets and enumerators before an item's text: "- ", "3. ", "(a) ", "iv) ".
_LIST_MARK = re.compile(
    r"^(?:[-*+>•·]\s*|\(?(?:\d{1,3}|[A-Za-z]|[ivxlc]{1,5})[.)]\s+)+"
)
_EDGE = "\"'“”‘’()[],.;:!?*`«»"


def _edged_words(tokens: list[str]) -> list[str]:
    """The whitespace-separated tokens that are one word (_WORD) once the
    punctuation at their edges is stripped, stripped. A token of letters only is a
    word without asking the regex (twice as fast on long lines of prose), nor
    stripping it (no edge character is a letter: a third faster again)."""
    out = []
    full = _WORD.fullmatch
    for token in tokens:
        if token.isalpha():
            out.append(token)
            continue
        core = token.strip(_EDGE)
        if core and (core.isalpha() or full(core)):
            out.append(core)
    return out


def _reads_as_text(line: str, cjk: int) -> bool:
    """Running text: mostly letters in words of ordinary length (or CJK
    characters), hardly any code punctuation (Markdown links and `code` spans
    count as words)."""
    if "](" in line or "`" in line or "{{" in line:
        line = _MD_INLINE.sub("x", line)
    chars = len(line) - line.count(" ")
    if (
        chars < 12
        or len(_CODE_PUNCT.findall(line, 0, len(line) - 1)) > 0.04 * chars + 1
    ):
        return False
    if cjk >= 6 and cjk >= 0.3 * chars:
        return True
    split = line.split()
    tokens = len(split)
    if tokens < 4:
        return False
    words = _edged_words(split)
    if len(words) < 4 or len(words) < 0.6 * tokens:
        return False
    letters = sum(map(len, words))
    return 0.6 * chars <= letters <= 12 * len(words)


def _line_kind(line: str, cjk: int) -> int:
    if _COMMENT.match(line):
        return COMMENT
    if " # " in line or " // " in line:  # code, then a comment after it
        line = _TRAILING_COMMENT.sub("", line) or line
    if cjk >= 6 and cjk >= (0.35 if cjk >= 20 else 0.5) * (len(line) - line.count(" ")):
        return TEXT  # Chinese/Japanese/Korean sentences, whatever their brackets
    if "<" in line:
        tags = _tag_chars(line)
        if tags and (line[0] == "<" or tags >= 0.3 * len(line)):
            return TAG
    if line[0] == "[" and _SECTION.match(line):
        return CONFIG
    if ":" in line:
        m = _KEY.match(line)
        if m and not _LINK_REF.match(line):
            key = m.group("key")
            if (
                m.group("q")
                or m.group("item")
                or not key[0].isupper()
                or any(c in key for c in "_.-/$@")
            ):
                return CONFIG
    last = line[-1]
    if (
        last in "{}(["
        or line[0] == "{"
        or (last == ":" and line[:-1].rstrip().endswith(")"))
        or (last == "," and line[-2:-1] in (")", "]", "}"))
        or _CODE_ANYWHERE.search(line)
        or _CODE_START.match(line)
    ):
        return CODE_LINE
    if _ASSIGN.match(line):
        return ASSIGN
    if _reads_as_text(_LIST_MARK.sub("", line), cjk):
        return TEXT  # also a clause ending in ";" of a contract's list
    if last == ";" or "{{" in line or "}}" in line:  # a template's {{ ... }}
        return CODE_LINE
    if _CODE_WEAK.match(line):
        return CODE_LINE
    return OTHER


Line = tuple[int, int, str, int]  # kind, indent, stripped text, CJK characters


class _Scan(NamedTuple):
    lines: list[Line]
    fenced_code: bool  # Markdown: a document, whatever its examples hold
    front_matter: bool  # a leading --- block (Markdown pages of static sites)
    open_block: str  # the delimiter still awaited at the end (a docstring's)
    tab_lines: int  # lines indented with a tab (never YAML; a Makefile's recipes)


def _lines(sample: str, cut: bool) -> _Scan:
    """The non-blank lines. The last line of a cut sample is left out (it is
    partial), so are a leading front matter block, fenced code and YAML block
    scalars; block comments, docstrings and HTML comments count as comments."""
    raw = sample.splitlines()
    if cut and len(raw) > 1:
        raw = raw[:-1]
    has_cjk = _CJK.search(sample) is not None
    out: list[Line] = []
    start = 0
    if raw and raw[0].strip() in ("---", "+++"):
        close = next(
            (i for i in range(1, len(raw)) if raw[i].strip() in ("---", "+++", "...")),
            None,
        )
        if close is not None:
            start = close + 1
    closing = ""  # the delimiter that ends the current block comment/docstring
    fenced = fences = False
    tabs = 0
    block_indent = -1  # a YAML block scalar (key: |) runs while lines are deeper
    for line in raw[start:]:
        s = line.strip()
        if not s:
            continue
        indent = len(line) - len(line.lstrip())
        if block_indent >= 0:
            if indent > block_indent:
                continue
            block_indent = -1
        if closing:
            out.append((COMMENT, indent, s, 0))
            if closing in s:
                closing = ""
            continue
        if s.startswith(("```", "~~~")):
            fenced = not fenced
            fences = True
            continue
        if fenced:
            continue
        while s.startswith(">"):  # quoted mail
            s = s[1:].lstrip()
        if not s:
            continue
        if "'''" in s or '"""' in s:
            if _DOCSTRING.match(s):
                out.append((COMMENT, indent, s, 0))
                continue
            d = _BLOCK_OPEN.match(s)
            if d and s.count(d.group(1)) == 1:
                closing = d.group(1)
        elif s.startswith(("/*", "{{/*", "{{- /*")) and "*/" not in s:
            closing = "*/"
        elif s.startswith("<!--") and "-->" not in s:
            closing = "-->"
        if closing:
            out.append((COMMENT, indent, s, 0))
            continue
        cjk = _cjk_count(s) if has_cjk else 0
        kind = _line_kind(s, cjk)
        tabs += line[0] == "\t"
        if kind == CONFIG and s.rstrip("-+").endswith((": |", ": >")):
            block_indent = indent
        out.append((kind, indent, s, cjk))
    return _Scan(out, fences, start > 0, closing, tabs)


def _markdown(scan: _Scan) -> bool:
    """Fenced code blocks after front matter or among lines of text (not in a
    template that writes them): a Markdown document."""
    if not scan.fenced_code:
        return False
    if scan.front_matter:
        return True
    words = sum(1 for line in scan.lines if line[0] in (TEXT, OTHER))
    return words >= 0.5 * sum(1 for line in scan.lines if line[0] in NON_PROSE)


def _table(body: str, cut: bool) -> bool:
    """CSV/TSV: Python's csv reader over the sample (quoted fields may hold the
    separator or line breaks) gives four rows or more of one width, or a few rows
    (one header row of many short fields when it fills the sample, without the space
    that follows a comma in running text) whose cells are not long sentences."""
    if not cut and "\n" not in body and "\r" not in body:
        return False  # one row, and all of the text: no table (see the one-row case)
    for sep in (",", "\t", ";", "|"):
        if body.count(sep) < 2:
            continue
        try:
            reader = csv.reader(io.StringIO(body, newline=""), delimiter=sep)
            rows = [r for r in reader if r]
        except csv.Error:
            continue
        if not rows:
            continue
        cells = [c for r in rows for c in r]
        width, n = Counter(map(len, rows)).most_common(1)[0]
        if len(rows) >= 4 and width >= 3 and n >= 0.9 * len(rows):
            return True
        if sum(1 for c in cells if len(c) >= 10 and _sentence_cell(c)) > 0.3 * len(
            cells
        ):
            continue
        if len(rows) == 1:
            row = rows[0]
            if (
                cut
                and len(row) >= 10
                and sum(1 for c in row if len(c.split()) <= 3) >= 0.9 * len(row)
                and sum(1 for c in row[1:] if c[:1] == " ") <= 0.1 * len(row)
                and sum(map(len, row)) <= 30 * len(row)
            ):
                return True
            continue
        if n < 0.9 * len(rows) or width < 2:
            continue
        if width == 2:  # two columns: many rows of short values (a poem's lines
            # have one comma each too, but longer halves)
            if len(rows) >= 8 and sum(
                1 for c in cells if len(c) <= 24 and len(c.split()) <= 3
            ) >= 0.9 * len(cells):
                return True
            continue
        if width >= 5:
            return True
    return False


def _sentence_cell(cell: str) -> bool:
    return len(cell.split()) >= 8 or _cjk_count(cell) >= 10


def _structured(lines: list[Line]) -> bool:
    """Configuration rather than a form: nested keys, list items, [sections] or
    keys spelled as identifiers (not `Name:` / `Phone:` lines of a form)."""
    for i, (kind, indent, s, _) in enumerate(lines):
        if kind != CONFIG:
            continue
        if indent or s[0] in "-[\"'" or any(c in s.split(":", 1)[0] for c in "_./$@"):
            return True
        if s.endswith(":") and i + 1 < len(lines):
            if lines[i + 1][1] > indent or lines[i + 1][2].startswith("- "):
                return True
    return False


def kind_from_content(text: str) -> str:
    """Content features of the first SAMPLE characters (and of the last SAMPLE when
    the first hold nothing but comments): an XML/SVG/HTML/PEM head, a JSON shape,
    Markdown code fences, LaTeX commands, troff requests, a CSV/TSV table, tag
    density, then each line's kind (running text, code, configuration keys, tags).
    A text reads as prose unless lines of code or data clearly outnumber its
    sentences."""
    cut = len(text) > SAMPLE
    sample = text[:SAMPLE]
    head = sample.lstrip()
    if not head:
        return PROSE
    if head.startswith(("<?xml", "<svg", "<!DOCTYPE", "<!doctype", "<html")):
        return MARKUP
    if head[0] in "{[" and (
        re.search(r'"[^"\n]{1,40}"\s*:', sample) or _JSON_ARRAY.match(head)
    ):
        return MARKUP
    scan = _lines(sample, cut)
    if _markdown(scan):
        return PROSE
    if "\\documentclass" in sample or len(_LATEX.findall(sample)) >= 3:
        return MARKUP
    raw = [ln.strip() for ln in sample.splitlines() if ln.strip()]
    if _PEM.match(raw[0]) and sum(
        1 for ln in raw if _BASE64_LINE.match(ln)
    ) >= 0.5 * len(raw):
        return MARKUP
    if len(raw) >= 4 and (
        sum(1 for ln in raw if _TROFF_LINE.match(ln)) >= TROFF_SHARE * len(raw)
    ):
        return MARKUP
    end = max(sample.rfind("\n"), sample.rfind("\r"))
    body = sample[:end] if cut and end > 0 else sample
    if _table(body, cut):
        return MARKUP
    tags = _tag_chars(sample) if "<" in sample else 0
    if head[0] == "<" and tags > 0.2 * len(sample):
        return MARKUP
    if head.startswith("#!"):
        return CODE
    if cut and sum(1 for line in scan.lines if line[0] != COMMENT) < 3:
        # A licence or a module's docstring fills the head: read on after it.
        start = SAMPLE
        if scan.open_block:
            end = text.find(scan.open_block, SAMPLE)
            start = end + len(scan.open_block) if end >= 0 else len(text)
        start = text.find("\n", start) + 1
        if start > 0:
            scan = _lines(text[start : start + SAMPLE], len(text) > start + SAMPLE)
            if _markdown(scan):
                return PROSE
    lines = scan.lines
    count: Counter = Counter()
    size: Counter = Counter()
    for kind, _, s, cjk in lines:  # a CJK character weighs about a short word
        count[kind] += 1
        size[kind] += len(s) + cjk
    prose = count[TEXT]
    other = sum(count[k] for k in NON_PROSE)
    if not prose and lines and lines[0][0] == CONFIG and count[CONFIG] >= 3:
        # No running text at all under a first `key:` line: a YAML or INI document
        # whose list items (- abap) and nested labels (Name: ABAP) read as other
        # lines, not a form (its labels are no configuration keys).
        return MARKUP
    if (prose >= 3 or size[TEXT] >= 150) and size[TEXT] >= 0.3 * (
        size[TEXT] + sum(size[k] for k in NON_PROSE)
    ):
        return PROSE
    # Chinese/Japanese/Korean words outside code, keys and comments: a page about
    # code that quotes some (a Q&A answer with an HTML example) is still prose.
    cjk = sum(line[3] for line in lines if line[0] in (TAG, TEXT, OTHER))
    if cjk >= 0.2 * (len(sample) - sample.count(" ") - sample.count("\n")):
        return PROSE
    if tags > 0.2 * len(sample):
        return MARKUP
    if count[CODE_LINE] and not (prose or count[OTHER]) and count[COMMENT] >= 2:
        return CODE  # a licence or package comment, then a declaration or two
    if other < 3 or other < 0.5 * (other + prose + 0.5 * count[OTHER]):
        return PROSE
    # A stylesheet: "property: value;" lines between "selector {" and "}".
    css = sum(
        1 for k, _, s, _ in lines if k in (CONFIG, CODE_LINE) and _CSS_DECL.match(s)
    )
    if css >= 3 and css >= 0.4 * (count[CODE_LINE] + count[CONFIG]):
        return MARKUP
    if count[CONFIG] + count[TAG] >= count[CODE_LINE] + count[ASSIGN]:
        if scan.tab_lines and not count[TAG]:
            return CODE  # make rules: "target: prerequisites", tab-indented recipes
        if count[TAG] or _structured(lines):
            return MARKUP
        return PROSE
    if count[CODE_LINE] >= 2:
        return CODE
    return MARKUP  # assignments and [sections]: INI, TOML, properties


def text_kind(text: str, meta: Mapping[str, Any] | None = None) -> str:
    """prose | code | markup for one record (its file name first, then content)."""
    for key in PATH_FIELDS:
        value = (meta or {}).get(key)
        if isinstance(value, str):
            kind = kind_from_path(value)
            if kind:
                return kind
    return kind_from_content(text)


# Code inside running text: a Markdown fenced block (a line of three backticks or
# tildes and an optional language to the next line of the same three alone; not a
# longer run of them, a reST heading's underline or a mail's separator line), an
# interpreter's prompt line (>>> x) with the lines of its output up to a blank line
# or one opening with ">" (a doctest: [-1.847759, -5.842437]), a shell's prompt line
# ($ cmd: a lower-case word after the dollar, not an amount) and an inline code span
# (`Name`_ is a reST link). Its numbers are examples and values of code, as in a
# file of code.
_FENCE_OPEN = re.compile(r"[ \t]*(```|~~~)(?![`~])[^`]*$")
_PROMPT_LINE = re.compile(r"[ \t]*(?:(>>>)[ \t]|\$[ \t]+[a-z])")
_OUTPUT_LINE = re.compile(r"[ \t]*[^\s>]")
_INLINE_CODE_SPAN = re.compile(r"(?<![\w`])`[^`\n]+`(?![\w`])")
_CODE_MARKS = ("```", "~~~", ">>>", "$", "`")


def code_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each piece of code in a prose text (see _FENCE_OPEN and
    the patterns after it), in order. One pass over the lines: a fence opens a block
    only when a closing line of its kind follows (the nearest one closes it)."""
    if not any(mark in text for mark in _CODE_MARKS):
        return []
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    # the index of the next closing line of each fence kind at or after each line
    # (only for a text that holds a fence: "$" and "`" are common in prose too)
    fenced = "```" in text or "~~~" in text
    following: dict[str, list[int]] = {}
    if fenced:
        following = {fence: [len(lines)] * (len(lines) + 1) for fence in ("```", "~~~")}
        for i in range(len(lines) - 1, -1, -1):
            for fence, after in following.items():
                after[i] = i if lines[i][1].strip(" \t") == fence else after[i + 1]
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        start, body = lines[i]
        opening = _FENCE_OPEN.match(body) if fenced else None
        if opening:
            close = following[opening.group(1)][i + 1]
            if close < len(lines):
                out.append((start, lines[close][0] + len(lines[close][1])))
                i = close + 1
                continue
        prompt = _PROMPT_LINE.match(body)
        if prompt:
            j = i + 1
            if prompt.group(1):  # an interpreter's: its output lines follow
                while j < len(lines) and _OUTPUT_LINE.match(lines[j][1]):
                    j += 1
            out.append((start, lines[j - 1][0] + len(lines[j - 1][1])))
            i = j
            continue
        else:
            out += [
                (start + m.start(), start + m.end())
                for m in _INLINE_CODE_SPAN.finditer(body)
            ]
        i += 1
    return out
