"""Text kind of a record: from its file name where it has one, else from content."""

import re
import time

import pytest
from corpusgate.detectors import text_kind as text_kind_module
from corpusgate.detectors.text_kind import CODE, MARKUP, PROSE, SAMPLE, text_kind
from hypothesis import given, settings
from hypothesis import strategies as st

_LONG_DOCSTRING = '"""' + "Helpers for reading things.\n\n" * (SAMPLE // 25) + '"""\n'
_PY_BODY = "import os\n\n\ndef read(path):\n    with open(path) as fh:\n" + (
    "        data = fh.read()\n        return data.strip()\n\n\ndef size(p):\n"
    "    return os.path.getsize(p)\n"
)


@pytest.mark.parametrize(
    "text, meta, kind",
    [
        ("<svg><path d='M12 2L2 7'/></svg>", {}, MARKUP),
        ("anything", {"path": "icons/activity.svg"}, MARKUP),
        ("anything", {"path": "src/app.py"}, CODE),
        ("anything", {"path": "docs/intro.md"}, PROSE),
        ('{"name": "x", "values": [1, 2, 3]}', {}, MARKUP),
        ("a,b,c\n1,2,3\n4,5,6\n7,8,9\n", {}, MARKUP),
        (
            "import os\n\ndef main():\n    x = 1\n    return x\n\nif __name__:\n    main()\n",
            {},
            CODE,
        ),
        ("The quick brown fox jumps over the lazy dog. It was a sunny day.", {}, PROSE),
        (
            "\\documentclass{article}\n\\begin{document}\n\\section{A}\n\\end{document}",
            {},
            MARKUP,
        ),
        # Manual pages (troff requests) and message catalogs are markup.
        (
            '.\\" Copyright 1999 A. Writer\n.TH LS 1\n.SH NAME\nls \\- list\n.SH '
            "SYNOPSIS\n.B ls\n[\\fIOPTION\\fR]... [\\fIFILE\\fR]...\n.PP\nList "
            "information about the FILEs.",
            {},
            MARKUP,
        ),
        ("anything", {"path": "locale/de/LC_MESSAGES/sphinx.po"}, MARKUP),
        (
            "This is prose.\nAnother line of it.\n.NET is a framework.\nAnd more.\n"
            "The end of it.\nReally the end.",
            {},
            PROSE,
        ),
        # Tables: quoted fields holding the separator, two columns, a header row
        # longer than the sample (the sample's last, partial line is not counted).
        (
            'id,name,notes\n1,"Smith, J.",ok\n2,"Doe, A.",late\n3,"Roe, B.",ok\n'
            '4,"Poe, E.",o',
            {},
            MARKUP,
        ),
        ("word,count\n" + "".join(f"w{i},{i * 7}\n" for i in range(12)), {}, MARKUP),
        (",".join(f"col_{i}" for i in range(SAMPLE // 6)) + "\n1,2,3\n", {}, MARKUP),
        ("day\tlow\thigh\nmon\t3\t9\ntue\t4\t11\nwed\t2\t8\nthu\t5\t12\n", {}, MARKUP),
        ("show,season,id\rA,1,a1\rA,1,a2\rB,2,b1\rB,2,b2\r", {}, MARKUP),  # CR ends
        # Configuration: nested YAML, INI sections, TOML; a PEM block; a stylesheet.
        (
            "server:\n  host: example.org\n  port: 8080\n  paths:\n    - /a\n    - /b\n"
            "logging:\n  level: info\n",
            {},
            MARKUP,
        ),
        (
            "[core]\nname = demo\nverbose = true\n\n[paths]\ndata = ./data\nout = ./out\n",
            {},
            MARKUP,
        ),
        (
            "-----BEGIN CERTIFICATE-----\n"
            + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZn\n" * 6
            + "-----END CERTIFICATE-----\n",
            {},
            MARKUP,
        ),
        (
            "body {\n  margin: 0;\n  color: #333;\n}\n\n.note a:hover {\n"
            "  text-decoration: underline;\n  font-weight: 600;\n}\n",
            {},
            MARKUP,
        ),
        # Code: a shebang, a Makefile (tab-indented recipes), comments first, a
        # docstring longer than the sample (the end of the file is read instead).
        ("#!/bin/sh\nset -e\ncd build\nmake all\n", {}, CODE),
        (
            "CC = gcc\nCFLAGS = -O2\n\nall: demo\n\ndemo: main.o util.o\n"
            "\t$(CC) $(CFLAGS) -o $@ $^\n\nclean:\n\trm -f *.o demo\n",
            {},
            CODE,
        ),
        (
            "// Copyright 2024 The Authors. All rights reserved.\n// Use of this source"
            " code is governed by a licence\n// found in the LICENSE file.\n\npackage"
            ' demo\n\nimport (\n\t"fmt"\n\t"strings"\n)\n\nfunc Upper(s string) string'
            " {\n\treturn strings.ToUpper(s)\n}\n",
            {},
            CODE,
        ),
        (_LONG_DOCSTRING + _PY_BODY, {}, CODE),
        # YAML whose list items and nested labels read as other lines: no sentence
        # under a first key (a data file of a documentation site)
        (
            "chroma:\n  lexers:\n  - Aliases:\n    - abap\n    Name: ABAP\n"
            "  - Aliases:\n    - ada\n    Name: Ada\n  - Aliases:\n    - dylan\n"
            "    Name: Dylan\n",
            {},
            MARKUP,
        ),
        # Prose stays prose: forms and mail headers, Markdown with front matter and
        # fenced code, a Chinese answer quoting HTML, lists and poems with commas,
        # an attachment list in angle brackets, wrapped lines starting with keywords.
        (
            "Name: John Smith\nPhone: 555-0100\nEmail: john@example.com\n"
            "Address: 1 Main St, Springfield\n",
            {},
            PROSE,
        ),
        (
            "mary jones\n\nteacher\n\ncontact:\nphone:\n020 7946 0000\n\nemail:\n"
            "mary@example.org\n\naddress:\n12 high street, leeds\n",
            {},
            PROSE,
        ),
        (
            "From: ann@example.com\nTo: bob@example.com\nSubject: lunch\n\nHi Bob,\n"
            "are we still on for lunch tomorrow? Let me know if noon works for you.\n",
            {},
            PROSE,
        ),
        (
            "---\ntitle: Install\nweight: 10\n---\n\nRun the installer, then check the"
            ' version:\n\n```sh\n$ demo --version\n{ "v": 1 }\n```\n\nThat is all.\n',
            {},
            PROSE,
        ),
        (
            "如何获取输入框的值？\n可以先通过编号获取节点，然后读取它的属性，这样就能拿到用户输入的内容了。"
            '\n<input id="a" type="text" value="1"/>\n',
            {},
            PROSE,
        ),
        (
            "Members: " + ", ".join(["Albania", "Algeria", "Cyprus", "Malta"] * 150),
            {},
            PROSE,
        ),
        (
            "The river ran down, the hills were grey,\nthe wind came in, the birds"
            " went away,\nand all the town, asleep and still,\nheard nothing move, on"
            " field or hill,\nuntil the bell, at break of day,\nrang out once more,"
            " and rang for May,\nand from the lane, and from the mill,\ncame all the"
            " folk, as they come still.\n",
            {},
            PROSE,
        ),
        (
            "Please see attached.\nThanks.\n<<Memo to board - 12-21-01.doc>> "
            "<<Plan for 2002.doc>>",
            {},
            PROSE,
        ),
        (
            "We looked at the figures again this morning and\nif the numbers hold we"
            " will go ahead with the plan;\nuse the new template for the report and\n"
            "return the forms to the office by Friday.\n",
            {},
            PROSE,
        ),
        (
            "In this Agreement:\n(a) the Seller means the firm named in the order;\n"
            "(b) the Buyer means the person who places the order;\n(c) the Goods "
            "means the items in the schedule; and\n(d) the Price means the sum on "
            "the invoice;\n",
            {},
            PROSE,
        ),
        (
            "[10:32] <ann> are you coming to the meeting\n[10:33] <bob> yes, in "
            "five minutes\n[10:33] <ann> bring the slides please\n[10:34] <bob> "
            "sure, see you there\n",
            {},
            PROSE,
        ),
        (
            "Dear {{first_name}},\n\nThank you for your order {{order_id}}. We will"
            " ship it to {{city}} within three working days.\n\nBest regards,\nThe"
            " shop team\n",
            {},
            PROSE,
        ),
        ("[1] Brown, A. (2001). A study of rivers. Water Journal, 4, 1-9.", {}, PROSE),
        ("[fe80::1] is the address of the router on this network.", {}, PROSE),
        ('[\n  "oak",\n  "ash",\n  "elm"\n]\n', {}, MARKUP),
    ],
)
def test_text_kind(text, meta, kind):
    assert text_kind(text, meta) == kind


_LINE_CHARS = "ab'’-.,\"()[]«»!?*`:;éΩ_1>=|&$ \t"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_LINE_CHARS, min_size=1, max_size=60))
def test_word_tokens_match_their_definition(line):
    """The tokens that are words once their edge punctuation is stripped, as one
    regex defines them: a token bounded by blanks, edge punctuation, a word."""
    edge = re.escape(text_kind_module._EDGE)
    definition = re.compile(
        rf"(?<!\S)[{edge}]*({text_kind_module._WORD.pattern})[{edge}]*(?!\S)"
    )
    assert text_kind_module._edged_words(line.split()) == definition.findall(line)


def test_no_edge_character_is_a_letter():
    # _edged_words takes a token of letters only as it is, unstripped.
    assert not any(c.isalpha() for c in text_kind_module._EDGE)


@pytest.mark.parametrize(
    "line, is_code",
    [
        ("x -> y", True),
        ("a --> b", False),  # an arrow drawn in text, an HTML comment's end
        ("-> next", True),
        ("if a == b", True),
        ("Foo::bar", True),
        ("echo ${HOME}", True),
        ("a && b", True),
        ("a || b", True),
        ("a != b", True),
        ("x => y", True),
        ("Dear John, see you at 5.", False),
    ],
)
def test_code_operators_anywhere(line, is_code):
    assert (text_kind_module._CODE_ANYWHERE.search(line) is not None) is is_code


@pytest.mark.parametrize(
    "text, pieces",
    [
        (
            "Parse it:\n```python\nphonenumbers.parse('+442083661177')\n```\nDone.",
            ["```python\nphonenumbers.parse('+442083661177')\n```"],
        ),
        (">>> fromtimestamp(1143408899)\n\nText.", [">>> fromtimestamp(1143408899)"]),
        # a doctest's output, up to a blank line or a quoted line
        (
            ">>> points\n[-1.847759, -5.842437]\n\nText 31.2304, 121.4737.",
            [">>> points\n[-1.847759, -5.842437]"],
        ),
        (">>> x\n> quoted 31.2304\nText.", [">>> x"]),
        ("$ export PROXY=10.10.1.10\n$ 500 million", ["$ export PROXY=10.10.1.10"]),
        ("Set `trust proxy` to `10.0.0.1`.", ["`trust proxy`", "`10.0.0.1`"]),
        # not code: a reST heading's underline of backticks, a mail's separator
        # line, a reST link, an unclosed fence
        ("Maintainers\n````````````\n- Ian Cordasco", []),
        ("Call Heather at 202.862.5884.\n~~~~~~~~~~~~~~~~\nBye", []),
        ("Reach out to `Nate Prewitt`_ or `Ian Cordasco`_.", []),
        ("```\nno closing fence, 555-0100", []),
    ],
)
def test_code_spans_in_prose(text, pieces):
    assert [text[s:e] for s, e in text_kind_module.code_spans(text)] == pieces


# code_spans' definition as one regex (quadratic on unclosed fences, hence the
# line scan): the scan must find exactly its spans.
_CODE_SPANS_DEFINITION = re.compile(
    r"^[ \t]*(```|~~~)(?![`~])[^\n`]*\n.*?^[ \t]*\1[ \t]*$"
    r"|^[ \t]*>>>[ \t][^\n]*(?:\n(?=[ \t]*[^\s>])[^\n]*)*$"
    r"|^[ \t]*\$[ \t]+[a-z][^\n]*$"
    r"|(?<![\w`])`[^`\n]+`(?![\w`])",
    re.M | re.S,
)
_CODE_PIECES = ["```", "~~~", "```py", ">>> x", "$ ls", "$ 5", "`a`", "`", "x`y`"]
_CODE_PIECES += ["> q", "1.5", "[2]"]
_CODE_PIECES += ["text", "\n", "\n", "  ", "\t", "\r"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_CODE_PIECES), max_size=30).map("".join))
def test_code_spans_follow_their_definition(text):
    expected = [m.span() for m in _CODE_SPANS_DEFINITION.finditer(text)]
    assert text_kind_module.code_spans(text) == expected


def test_code_spans_of_many_unclosed_fences_take_linear_time():
    text = ("```python\n" + "word " * 20 + "\n") * 3000
    start = time.perf_counter()
    assert text_kind_module.code_spans(text) == []
    assert time.perf_counter() - start < 1.0
