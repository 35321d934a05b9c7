"""The mail and web domain pattern of the English name model tries a mail user only
from the start of its run of user characters (or where the last match ended); it
finds exactly what the pattern that tries every position finds."""

import pytest
import regex
from corpusgate.detectors.pii.en_person_model import _DOMAIN
from hypothesis import given, settings
from hypothesis import strategies as st

EVERY_POSITION = regex.compile(r"(?:([\w.+-]*)@|://|\bwww\.)((?:[\w-]+\.)+)[a-z]{2,}\b")


def _found(rx, text):
    return [(m.span(), m.groups()) for m in rx.finditer(text)]


@pytest.mark.parametrize(
    "text",
    [
        "write to jeff.skilling@enron.com or see http://www.enron.com/corp",
        "x@foo.com-bar@baz.org",  # a second user right after the first match
        "a@b.c, me@kennethreitz.org and www.python.org.",
        "user:pass@Some.Host.org and modh1_1v@v1.1.0",
        "no domain here @ all",
        "",
    ],
)
def test_same_matches_as_trying_every_position(text):
    assert _found(_DOMAIN, text) == _found(EVERY_POSITION, text)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["a", "b1", ".", "+", "-", "_", "@", ":", "/", "www.", ".com", " ", "é"]
        ),
        max_size=20,
    ).map("".join)
)
def test_same_matches_on_generated_text(text):
    assert _found(_DOMAIN, text) == _found(EVERY_POSITION, text)
