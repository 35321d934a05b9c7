"""The lookups behind the pii detector's overlap selections answer as the scans
they replace: a greedy choice of non-overlapping spans, the spans overlapping a
given one, whether a result stands near an identifier, and whether a position is
inside brackets of its line."""

from corpusgate.detectors.pii.detector import REACHABLE_WINDOW, _Reach
from corpusgate.detectors.spans import DisjointSpans, ScoredSpans, SpanIndex
from hypothesis import given, settings
from hypothesis import strategies as st

spans = st.lists(
    st.tuples(st.integers(0, 300), st.integers(1, 25)).map(
        lambda t: (t[0], t[0] + t[1])
    ),
    max_size=60,
)


def overlap(a, b):
    return a[0] < b[1] and b[0] < a[1]


@settings(max_examples=300)
@given(spans)
def test_greedy_choice_matches_a_scan(candidates):
    kept, scanned = DisjointSpans(), []
    chosen = []
    for sp in candidates:
        assert kept.overlaps(*sp) == any(overlap(sp, k) for k in scanned)
        if not kept.overlaps(*sp):
            kept.add(*sp)
            scanned.append(sp)
            chosen.append(sp)
    assert all(not overlap(a, b) for i, a in enumerate(chosen) for b in chosen[i + 1 :])


@settings(max_examples=300)
@given(spans, st.tuples(st.integers(0, 320), st.integers(1, 30)))
def test_overlapping_spans_match_a_scan(indexed, query):
    start, end = query[0], query[0] + query[1]
    assert SpanIndex(indexed).overlapping(start, end) == sorted(
        sp for sp in indexed if overlap(sp, (start, end))
    )
    assert SpanIndex(indexed).containing(start, end) == sorted(
        sp for sp in indexed if sp[0] <= start and end <= sp[1]
    )


@settings(max_examples=300)
@given(
    st.lists(
        st.tuples(
            st.booleans(),
            st.tuples(st.integers(0, 200), st.integers(1, 12)).map(
                lambda t: (t[0], t[0] + t[1])
            ),
            st.tuples(st.integers(0, 210), st.integers(1, 15)),
        ),
        max_size=60,
    )
)
def test_scored_spans_answer_as_a_dict_scan_while_changed(steps):
    # Adds and deletes as names_in_lists makes them; every question is answered
    # as the scan of a plain dict would, in the dict's own order.
    table, plain = ScoredSpans(), {}
    for delete, span, (start, width) in steps:
        if delete and span in plain:
            del table[span], plain[span]
        else:
            table[span] = plain[span] = float(len(plain))
        end = start + width
        assert table.overlapping(start, end) == [
            sp for sp in plain if overlap(sp, (start, end))
        ]
    assert list(table.items()) == list(plain.items())


class _Result:
    def __init__(self, entity_type, start, end):
        self.entity_type, self.start, self.end = entity_type, start, end


@settings(max_examples=300)
@given(
    st.lists(st.tuples(st.booleans(), st.integers(0, 600), st.integers(1, 20))),
    st.tuples(st.integers(0, 600), st.integers(1, 20)),
)
def test_reach_matches_a_scan(anchor_specs, result_spec):
    anchors = [
        (i, _Result("PERSON" if person else "PHONE_NUMBER", s, s + n))
        for i, (person, s, n) in enumerate(anchor_specs)
    ]
    r = _Result("PERSON", result_spec[0], result_spec[0] + result_spec[1])
    expected = any(
        a.entity_type != "PERSON"
        and a.start - REACHABLE_WINDOW < r.end
        and r.start < a.end + REACHABLE_WINDOW
        for _, a in anchors
    )
    assert _Reach(anchors)(r) == expected


def _inside_by_scan(text, at):
    line_start = text.rfind("\n", 0, at) + 1
    depth = 0
    for c in text[line_start:at]:
        if c in "(（[【":
            depth += 1
        elif c in ")）]】" and depth:
            depth -= 1
    return depth > 0


@settings(max_examples=300)
@given(st.text(alphabet="ab(（[【)）]】\n", max_size=80), st.integers(0, 80))
def test_bracket_depth_matches_a_scan_of_the_line(text, at):
    from corpusgate.detectors.pii.sensitive import _inside_parenthesis

    at = min(at, len(text))
    assert _inside_parenthesis(text, at) == _inside_by_scan(text, at)


def _in_text_by_scan(moved, start, end):
    for a, b, width in moved:
        if a <= start < b:
            start += width
        if a < end <= b:
            end += width
    return start, end


@settings(max_examples=300)
@given(
    st.lists(st.tuples(st.integers(1, 20), st.integers(1, 15), st.integers(1, 3))),
    st.integers(0, 400),
    st.integers(0, 40),
)
def test_soft_break_offsets_match_a_scan(pieces, start, length):
    from corpusgate.detectors.pii.international import in_text

    moved, at = [], 0
    for gap, size, width in pieces:  # disjoint pieces in order, as the view makes
        a = at + gap
        moved.append((a, a + size, width))
        at = a + size + width
    end = start + length
    assert in_text(moved, start, end) == _in_text_by_scan(moved, start, end)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["John", "Smith", "said", ".", "the", "Paris", ",", "Mr"]),
        min_size=1,
        max_size=30,
    ),
    st.data(),
)
def test_name_attributes_of_a_sentence_within_words_match_its_copy(words, data):
    from corpusgate.detectors.pii.en_person_model import features

    a = data.draw(st.integers(0, len(words) - 1))
    b = data.draw(st.integers(a + 1, len(words)))
    lo = data.draw(st.integers(a, b - 1))
    hi = data.draw(st.integers(lo + 1, b))
    assert features(words, lo, hi, None, a, b) == features(words[a:b], lo - a, hi - a)
