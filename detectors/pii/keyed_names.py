"""The values of name keys in data and markup, read as record fields.

In code and markup the name stages do not read the text (identifiers, tags and
constants are no prose); a person's name there stands as the value of a key that
says what it is: {"姓名": "王秀英"}, author: Jane Doe, <lastName>Doe</lastName>,
<td>Name</td><td>Jane Doe</td>, full_name=Jane Doe, a CSV table's first_name column
(`table_fields`). A key is a name key when, with
case, camelCase and the separators _ - . and spaces taken away, it is one of the
record labels of data/name_labels.tsv (customer_name, firstName, CANDIDATE_NAME,
联系人). `name_fields` finds each such value; the detector reads it as the field
"label: value" with the name stages of prose, so the labels' mechanism, the
models' scores and their checks decide, and a value like react-dom, Build and
test or 北京 stays no name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from corpusgate.detectors.pii.china.cn_person_recognizer import _CJK, name_labels
from corpusgate.detectors.pii.sensitive import trie_regex
from corpusgate.detectors.pii.windows import first_chars

# A value: one line, no quote or escape (an escaped value's offsets are not the
# text's), at most 80 characters.
_VALUE = r"[^\"'\\\n]{1,80}"
# What follows a key up to its value.
_AFTER_KEY = re.compile(
    # "key": "value", 'key': 'value', key="value" (JSON, Python, JS, attributes)
    rf"""["']?[ \t]*[:=][ \t]*(?P<q>["'])(?P<v>{_VALUE})(?P=q)"""
    # key: value at a line's end (YAML, properties, front matter)
    r"|[ \t]*[:=][ \t]*(?P<yv>[^\"'\\\n#{}\[\]<>&*!|]{1,80}?)[ \t]*$"
    # <key>value</key> (XML)
    r"|>(?P<xv>[^<>\n]{1,80})</"
    # <td>key</td><td>value</td> (a table's row: HTML)
    r"|[ \t]*[:：]?[ \t]*</t[dh]>\s*<td\b[^>]*>[ \t]*(?P<cv>[^<>\n]{1,80}?)[ \t]*</td>",
    re.MULTILINE,
)
_SEPARATOR_CHOICES = ("", "_", " ", "-", ".")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SEPARATORS = re.compile(r"[\s_.\-]+")


def key_form(key: str) -> str:
    """A key or label as it is compared: firstName, first_name, FIRST-NAME and First
    name are all firstname."""
    return _SEPARATORS.sub("", _CAMEL.sub(" ", key)).lower()


# Keys that name anything (a breed, a colour, a package, a step of a build): their
# value is read as a person's name only in a record that holds personal data too.
GENERIC_KEYS = frozenset({"name", "名字", "名称"})
# Keys for a part of a name.
NAME_PART_KEYS = frozenset(
    {"firstname", "lastname", "middlename", "surname", "givenname", "familyname"}
)
_HAN = re.compile(f"[{_CJK}]")
# Keys of personal data (as `key_form` writes them): a record or a table with one of
# them describes people.
PERSONAL_KEYS = frozenset(
    "phone mobile tel telephone cell email gender sex age birthday birthdate "
    "dateofbirth dob address idcard idnumber ssn passport nationality employeeid "
    "staffid studentid salary jobtitle occupation "
    "电话 手机 联系电话 邮箱 电子邮件 性别 年龄 生日 出生日期 地址 住址 "
    "身份证 身份证号 护照 民族 工号 学号 籍贯 学历 职务 职位 工资".split()
)
# A key of a record: a word (quoted or not) before a colon, an equals sign or the end
# of an element's opening tag.
_ANY_KEY = re.compile(
    r"(?<![\w-])[\"'<]?([A-Za-z\u4e00-\u9fff][\w\u4e00-\u9fff.-]{0,30})"
    r"[\"'>]?[ \t]*[:：=>]"
)


def name_shaped(value: str) -> bool:
    """A value that can hold a name: a Han character or a capital letter (in data
    an all-lower-case value is an identifier: fname, uname, react-dom)."""
    return _HAN.search(value) is not None or any(c.isupper() for c in value)


# Characters either side of a generic key's value searched for such a key.
RECORD_REACH = 300


# English labels that are a person's role in data as well as in records.
_PERSON_KEYS = frozenset({"author", "authors", "maintainer", "contributor", "assignee"})


@lru_cache(maxsize=1)
def name_keys() -> dict[str, str]:
    """key_form of every name key -> the record label it stands for: every Chinese
    label (姓名, 联系人: roles of people), the English labels that say "name"
    (customer_name, firstName) or "surname", and the generic keys. English roles
    (Driver, Party, Owner, Executor, Provider) are not keys: in data they are as
    often software, parties, firms and settings."""
    labels = name_labels()
    out = {key_form(k): k for k in GENERIC_KEYS}
    for label in labels["zh"]:
        out.setdefault(key_form(label), label)
    for label in labels["en"]:
        form = key_form(label)
        if form.endswith(("name", "names")) or form in _PERSON_KEYS:
            out.setdefault(form, label)
    return out


@lru_cache(maxsize=1)
def _key_re() -> re.Pattern:
    """The name keys in every spelling (first_name, first-name, First Name,
    firstName), case-insensitive, not inside a longer word."""
    spellings = set()
    for label in name_labels()["zh"] + name_labels()["en"] + tuple(GENERIC_KEYS):
        if key_form(label) in name_keys():
            words = _SEPARATORS.split(label.lower())
            spellings |= {sep.join(words) for sep in _SEPARATOR_CHOICES}
    return re.compile(
        r"(?i)"
        + first_chars(spellings)
        + r"(?<![\w\-])(?:"
        + trie_regex(sorted(spellings))
        + r")(?![\w\-])"
    )


def _value_ok(label: str, value: str) -> bool:
    """A value that can be read as a name under `label`: name-shaped, and one Latin
    word only under a key for a part of a name (lastName: Doe); under another key
    one word is as often a firm or a handle (author: Meta)."""
    return name_shaped(value) and bool(
        _HAN.search(value)
        or key_form(label) in NAME_PART_KEYS
        or any(c in value for c in " ,")
    )


def _personal_key_near(text: str, s: int, e: int) -> bool:
    """A key of personal data within RECORD_REACH characters of text[s:e]."""
    return any(
        key_form(m.group(1)) in PERSONAL_KEYS
        for m in _ANY_KEY.finditer(text, max(0, s - RECORD_REACH), e + RECORD_REACH)
    )


_DELIMITERS = (",", "\t", ";", "|")


def table_fields(text: str) -> list[tuple[str, int, int]]:
    """(label, start, end) of the cells under a name column of a table (CSV, TSV)
    whose first line is its header (first_name,last_name,email); a generic column
    (name) only in a table with a column of personal data. Rows with quotes or
    another number of cells are not read (their cells' offsets are not plain)."""
    first = text.find("\n")
    if first < 0:
        return []
    header = text[:first].rstrip("\r")
    sep = max(_DELIMITERS, key=header.count)
    cells = [c.strip().strip("\"'") for c in header.split(sep)]
    if len(cells) < 2:
        return []
    keys = name_keys()
    columns = {i: keys[key_form(c)] for i, c in enumerate(cells) if key_form(c) in keys}
    if not columns or (
        all(label in GENERIC_KEYS for label in columns.values())
        and not any(key_form(c) in PERSONAL_KEYS for c in cells)
    ):
        return []
    out = []
    pos = first + 1
    for line in text[pos:].splitlines(keepends=True):
        row = line.rstrip("\r\n")
        parts = row.split(sep)
        if len(parts) == len(cells) and '"' not in row:
            at = pos
            for i, part in enumerate(parts):
                value = part.strip()
                if i in columns and _value_ok(columns[i], value):
                    s = at + len(part) - len(part.lstrip())
                    out.append((columns[i], s, s + len(value)))
                at += len(part) + len(sep)
        pos += len(line)
    return out


def name_fields(text: str) -> list[tuple[str, int, int]]:
    """(label, start, end) of every value of a name key in `text` (`table_fields`
    too); the value of a generic key only where a key of personal data is within
    RECORD_REACH characters of it."""
    keys = name_keys()
    out = table_fields(text)
    for k in _key_re().finditer(text):
        m = _AFTER_KEY.match(text, k.end())
        if m is None:
            continue
        v = next(g for g in ("v", "yv", "xv", "cv") if m.group(g) is not None)
        if v == "xv" and not text.startswith("<", k.start() - 1):
            continue  # >value</ after a key that opens no element
        label = keys[key_form(k.group())]
        s, e = m.span(v)
        value = text[s:e]
        # Leading and trailing spaces are no part of the value.
        s += len(value) - len(value.lstrip())
        e -= len(value) - len(value.rstrip())
        if _value_ok(label, text[s:e]) and (
            label not in GENERIC_KEYS or _personal_key_near(text, s, e)
        ):
            out.append((label, s, e))
    return out
