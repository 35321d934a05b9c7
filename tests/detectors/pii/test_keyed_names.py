"""Names as the values of name keys in data and markup (`keyed_names`)."""

from __future__ import annotations

import pytest
from corpusgate.detectors.base import Record
from corpusgate.detectors.pii.keyed_names import key_form, name_fields
from corpusgate.detectors.text_kind import text_kind


def values(text):
    return [(label, text[s:e]) for label, s, e in name_fields(text)]


@pytest.mark.parametrize(
    "key", ["firstName", "first_name", "FIRST-NAME", "First Name", "first.name"]
)
def test_a_key_in_any_spelling(key):
    assert key_form(key) == "firstname"


@pytest.mark.parametrize(
    "text, found",
    [
        (
            '{"customer_name": "Priya Raghunathan"}',
            [("Customer name", "Priya Raghunathan")],
        ),
        ("{'lastName': 'Doe'}", [("Last name", "Doe")]),
        ("author: Jane Doe\ntitle: Notes", [("Author", "Jane Doe")]),
        ("<lastName>Doe</lastName>", [("Last name", "Doe")]),
        ("<tr><td>姓名：</td><td>龚雪梅</td></tr>", [("姓名", "龚雪梅")]),
        ('<input name="full_name" value="x">', []),  # the key's value is a field name
        (
            "CANDIDATE_NAME = 'YORK, AMOS DALTON'",
            [("Candidate name", "YORK, AMOS DALTON")],
        ),
        ('{"联系人": "王秀英"}', [("联系人", "王秀英")]),
        ("full_name=Jane Doe", [("Full name", "Jane Doe")]),
        # Identifiers, escaped values, keys inside longer words.
        ('{"firstname": "fname"}', []),
        ('{"author": "Zo\\u00eb Smith"}', []),
        ('{"rename": "Jane Doe"}', []),
        # A generic key only in a record with personal data.
        ('{"name": "Lemon", "color": "#FFF44F"}', []),
        ('{"name": "Pat Kim", "email": "x@example.org"}', [("name", "Pat Kim")]),
        ('{"name": "张伟", "phone": "13912345678"}', [("name", "张伟")]),
        ('{"name": "张伟", "工号": "A1023"}', [("name", "张伟")]),
        ('{"name": "Pat Kim", "employee_id": 7}', [("name", "Pat Kim")]),
        ('{"page": 2, "name": "Hugo"}', []),
    ],
)
def test_name_fields(text, found):
    assert values(text) == found


@pytest.mark.parametrize(
    "text, found",
    [
        (
            "id,first_name,last_name,email\n1,John,Smith,js@example.com\n"
            "2,Priya,Raghunathan,pr@example.org\n",
            [
                ("First name", "John"),
                ("Last name", "Smith"),
                ("First name", "Priya"),
                ("Last name", "Raghunathan"),
            ],
        ),
        ("id;name;email\n1;Jane Doe;jane@example.com\n", [("name", "Jane Doe")]),
        ("姓名\t性别\t电话\n覃晓燕\t女\t13912345678\n", [("姓名", "覃晓燕")]),
        # A generic column without a column of personal data; a row of another
        # width or with quotes.
        ("id,name,color\n1,Lemon,#FFF44F\n2,Amber,#FFBF00\n", []),
        ('id,name,email\n1,"Doe, Jane",jd@example.com\n2,Pat Kim\n', []),
    ],
)
def test_table_fields(text, found):
    assert values(text) == found


def persons(detector, text):
    return [
        (text[f.start : f.end], f.score)
        for f in detector.scan(Record("d", "s", 0, text))
        if f.finding_type == "PERSON" and f.score >= 0.5
    ]


def test_a_name_in_a_json_record_is_found_where_it_stands(detector):
    text = '{"id": 7, "姓名": "覃晓燕", "电话": "13912345678", "customer_name": "Priya Raghunathan"}'
    assert text_kind(text, {}) == "markup"
    assert [name for name, _ in persons(detector, text)] == [
        "覃晓燕",
        "Priya Raghunathan",
    ]


def test_a_name_in_a_csv_table_is_found_where_it_stands(detector):
    text = (
        "id,first_name,last_name,email\n1,Kwame,Mensah,km@example.net\n"
        "2,Ana,Ferreira,af@example.org\n3,Li,Na,ln@example.com\n"
        "4,Hannah,Kowalski,hk@example.net\n"
    )
    assert text_kind(text, {}) == "markup"
    found = [name for name, _ in persons(detector, text)]
    assert found[:4] == ["Kwame", "Mensah", "Ana", "Ferreira"]
    assert {"Hannah", "Kowalski"} <= set(found)


def test_a_name_in_capitals_is_one_finding(detector):
    text = '[{"candidate_name": "YORK, AMOS DALTON", "party": "Independent"}]'
    assert [name for name, _ in persons(detector, text)] == ["YORK, AMOS DALTON"]


@pytest.mark.parametrize(
    "text",
    [
        # Values the name stages do not read as a person's name.
        '{"name": "react-dom", "version": "18.2.0", "author": "Meta"}',
        '[{"name": "Alaskan Malamute", "origin": "USA"}, {"name": "Lemon", "color": "#FFF44F"}]',
        "name: Build and test\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n",
        '{"联系人": "本人", "电话": "13912345678"}',
    ],
)
def test_data_without_a_persons_name(detector, text):
    assert persons(detector, text) == []


def test_code_outside_name_keys_stays_unread(detector):
    text = 'def greet():\n    print("Hello, John Smith")\n    return {"status": "Jane Doe"}\n'
    assert text_kind(text, {}) == "code"
    assert persons(detector, text) == []
